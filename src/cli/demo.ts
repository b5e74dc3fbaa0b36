import type { Command } from 'commander';
import { VerificationFailure } from '../errors.js';
import { DEMO_EPOCHS, DEMO_SEED, demoFailure, runDemo, type DemoPhase } from '../demo/index.js';
import { nonNegativeInt, positiveInt, printJson } from './common.js';
import { phasedProgress } from './progress.js';

interface Options {
  output: string;
  seed: number;
  epochs: number;
  json: boolean;
}

const HELP = `
The whole mission on the bundled digits set (1,797 8x8 images), in about half
a minute on two cores:
  1. trains the same MLP (mlp:64,32) with ReLU and with HeLU from the same seed
     and compares accuracy and dead units;
  2. exports the HeLU network to 8-bit pow2 fixed point and verifies it on all
     samples with every activation simulated as its gate-level circuit
     (every value of every layer against the float reference, 0 LSB);
  3. costs the activation units (HeLU, ReLU, LeakyReLU, ReLU6, HardSwish,
     GELU, SiLU, Sigmoid, Tanh) at the network's formats and the accelerator
     for the network (16x16 array, nangate45), with the GELU what-if;
  4. writes Verilog for the HeLU and GELU units with testbenches;
  5. writes report.md, report.json, SVG pictures, the integer model
     (model.q.json) and the float network (helu.onnx).
Nothing is written until everything is produced; the directory is checked
first. Exit code 1 if the verification finds a mismatch (the report is still
written, as evidence).

Examples:
  helu-sim demo
  helu-sim demo -o /tmp/demo --epochs 10 --seed 7
  helu-sim demo -o /tmp/demo --json > report.json`;

async function run(o: Options): Promise<void> {
  const { onProgress, log, stop } = phasedProgress<DemoPhase>(10, o.json);
  let result;
  try {
    result = await runDemo({ outDir: o.output, seed: o.seed, epochs: o.epochs, onProgress, log });
  } finally {
    stop();
  }
  if (o.json) printJson(result);
  const failure = demoFailure(result);
  if (failure !== undefined) throw new VerificationFailure(failure);
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('the whole mission: train ReLU and HeLU, export to 8-bit, verify bit-exact, cost, Verilog, report')
    .option('-o, --output <dir>', 'output directory', 'reports/demo')
    .option('--seed <n>', 'seed of both training runs', nonNegativeInt('--seed'), DEMO_SEED)
    .option('--epochs <n>', 'training epochs of each run', positiveInt('--epochs'), DEMO_EPOCHS)
    .option('--json', 'print report.json on stdout (one JSON document) instead of the summary', false)
    .addHelpText('after', HELP)
    .action((o: Options) => run(o));
}
