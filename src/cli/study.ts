import { InvalidArgumentError, type Command } from 'commander';
import { VerificationFailure } from '../errors.js';
import { MAX_JOBS, runStudy, STUDY_ACTIVATIONS, STUDY_DATASETS, STUDY_SEEDS, studyFailure, type StudyPhase } from '../study/index.js';
import { positiveInt, printJson } from './common.js';
import { phasedProgress } from './progress.js';

interface Options {
  output: string;
  seeds?: number;
  activations?: string[];
  datasets?: string[];
  epochs?: number;
  quick: boolean;
  jobs?: number;
  json: boolean;
}

const HELP = `
Trains the same architecture with each activation over several seeds (for one
seed every activation starts from the same weights and sees the same batches),
on digits (MLP mlp:64,32, 20 epochs) and on a Fashion-MNIST subset (CNN with
BatchNorm cnn:8c3b,p2,16c3b,p2,32, first 1,500 train / 1,000 test images,
3 epochs). Every network is exported to 8-bit pow2, verified bit-exact with
gate-level activations on every sample, and costed (activation units and the
16x16 accelerator at its own formats). Reports mean ± sd and 95 % t-intervals
per activation, the paired difference to ReLU over seeds with its interval and
the exact Wilcoxon signed-rank p, and whether the difference is resolved or
within noise; against the paper's CIFAR figures.

Each finished network is cached under <output>/cache/ (keyed by data set,
architecture, subset, epochs, hyperparameters, activation and seed): a rerun,
e.g. with more seeds, trains only what is missing. The report (report.md,
report.json, SVG pictures) is written in one step at the end. Exit code 1 if
any network fails verification (the report is still written).

Examples:
  helu-sim study                                  # the default study (70 networks)
  helu-sim study --quick -o /tmp/study            # smoke test: 1 seed, 2 epochs
  helu-sim study --datasets digits --seeds 10 --activations relu,helu:0.05,gelu`;

function list(name: string): (v: string) => string[] {
  return (v: string) => {
    const items = v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) throw new InvalidArgumentError(`${name} needs a comma-separated list, got '${v}'`);
    return items;
  };
}

async function run(o: Options): Promise<void> {
  const { onProgress, log, stop } = phasedProgress<StudyPhase>(9, o.json);
  let result;
  try {
    result = await runStudy({
      outDir: o.output,
      quick: o.quick,
      onProgress,
      log,
      ...(o.seeds !== undefined ? { seeds: o.seeds } : {}),
      ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
      ...(o.activations ? { activations: o.activations } : {}),
      ...(o.datasets ? { datasets: o.datasets } : {}),
      ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
    });
  } finally {
    stop();
  }
  if (o.json) printJson(result);
  const failure = studyFailure(result);
  if (failure !== undefined) throw new VerificationFailure(failure);
}

export function register(program: Command): void {
  program
    .command('study')
    .description(
      'activations over seeds: accuracy with 95 % intervals and paired tests vs ReLU, dead units, hardware cost, every network verified bit-exact',
    )
    .option('-o, --output <dir>', 'output directory (report and cache)', 'reports/study')
    .option('--seeds <n>', `number of seeds, 1 .. n (default ${STUDY_SEEDS}; --quick: 1)`, positiveInt('--seeds'))
    .option(
      '--activations <list>',
      `comma-separated activations (default ${STUDY_ACTIVATIONS.join(',')}; relu is always included)`,
      list('--activations'),
    )
    .option(
      '--datasets <list>',
      `comma-separated data sets: ${STUDY_DATASETS.map((d) => d.name).join(', ')} (default both)`,
      list('--datasets'),
    )
    .option('--epochs <n>', 'training epochs for every data set (default: digits 20, fashion-mnist 3; --quick: 2)', positiveInt('--epochs'))
    .option('--quick', 'smoke test: one seed, two epochs, a 500/250-image Fashion-MNIST subset', false)
    .option('--jobs <n>', `networks trained at once in worker threads, 1 .. ${MAX_JOBS} (default min(2, cores))`, positiveInt('--jobs'))
    .option('--json', 'print report.json on stdout (one JSON document) instead of the summary', false)
    .addHelpText('after', HELP)
    .action((o: Options) => run(o));
}
