import type { Command } from 'commander';
import { allActivations, getActivation, unitVerificationText, parseOutputFormat, renderActivationTable, type ActivationReport } from '../activations/index.js';
import { VerificationFailure } from '../errors.js';
import { parseFormat } from '../fixedpoint/index.js';
import { describeProvenActivations } from '../prove/index.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, printJson } from './common.js';
import { progressBar } from './progress.js';

interface Options {
  in: string;
  out?: string;
  tech: string;
  pipeline: number;
  json: boolean;
}

const HELP = `
Builds the activation's gate-level circuit, proves it equal to the fixed-point
model for every input (as 'helu-sim prove' does: exhaustive enumeration when
small, else a Yosys SAT proof; formats up to 64 bits) and reports its cost.

Output format: --out, or the activation's default: the input format for
helu, relu, leakyrelu, relu6, clamp, hardswish, gelu, silu, elu; ufixed<W,1>
for sigmoid and hardsigmoid; fixed<W,1> for tanh. Output formats written
without modes (fixed<8,4>, int8) round to nearest even and saturate
(RND_CONV, SAT); write the modes to choose others (fixed<8,4,TRN,WRAP>).

Examples:
  helu-sim activation helu --in 'fixed<8,4>'
  helu-sim activation leakyrelu:0.01 --in 'fixed<8,4>' --out 'fixed<8,3>'
  helu-sim activation all --in 'fixed<8,4>' --json`;

async function run(name: string, opts: Options): Promise<void> {
  const inFmt = parseFormat(opts.in);
  const outFmt = opts.out === undefined ? undefined : parseOutputFormat(opts.out);
  const specs = (name === 'all' ? allActivations() : [getActivation(name)]).map((d) => d.spec);
  const bar = progressBar('activation', opts.json || specs.length === 1);
  let reports: ActivationReport[];
  try {
    reports = await describeProvenActivations(specs, inFmt, outFmt, { tech: opts.tech, pipeline: opts.pipeline, onProgress: bar.update });
  } finally {
    bar.stop();
  }
  if (opts.json) printJson(name === 'all' ? reports : reports[0]);
  else process.stdout.write(renderActivationTable(reports));
  const bad = reports.filter((r) => r.verification.mismatches > 0);
  if (bad.length > 0) {
    throw new VerificationFailure(bad.map((r) => `${r.activation}: ${unitVerificationText(r.verification)}`).join('; '));
  }
}

export function register(program: Command): void {
  program
    .command('activation')
    .description('build, verify and cost an activation circuit (or all of them)')
    .argument('<name>', `${ACTIVATION_ARG_HELP}; or 'all'`)
    .requiredOption('--in <format>', IN_FORMAT_HELP)
    .option('--out <format>', 'output format (default: see below)')
    .option('--tech <name|file>', 'technology: nangate45, asap7 or a JSON file', 'nangate45')
    .option('--pipeline <N>', 'register ranks to insert (latency in cycles)', nonNegativeInt('--pipeline'), 0)
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((name: string, opts: Options) => run(name, opts));
}
