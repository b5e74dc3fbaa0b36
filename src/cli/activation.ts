import type { Command } from 'commander';
import {
  allActivations,
  getActivation,
  unitVerificationText,
  parseOutputFormat,
  renderActivationTable,
  type ActivationReport,
  type ActivationSpec,
} from '../activations/index.js';
import { UserError, VerificationFailure } from '../errors.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { parseFormat } from '../fixedpoint/index.js';
import { compareWithSynthesis, parseSynthTool, type SynthComparison } from '../hardware/index.js';
import { pipeline } from '../netlist/index.js';
import { describeProvenActivations } from '../prove/index.js';
import { runModelActivations } from './activation-model.js';
import { synthLines } from './synth-report.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, printJson } from './common.js';
import { progressBar } from './progress.js';

interface Options {
  model?: string;
  in?: string;
  out?: string;
  tech: string;
  pipeline: number;
  json: boolean;
  synth?: string;
  liberty?: string;
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
  helu-sim activation all --in 'fixed<8,4>' --json
  helu-sim activation --model model_int8.onnx`;

/** --synth yosys: each activation's circuit (as costed) synthesized beside helu-sim's estimate. */
async function synthesizeAll(
  specs: readonly ActivationSpec[],
  inFmt: FixedFormat,
  outFmt: FixedFormat | undefined,
  opts: Options,
): Promise<SynthComparison[]> {
  const out: SynthComparison[] = [];
  for (const spec of specs) {
    const def = getActivation(spec);
    const comb = def.circuit(inFmt, outFmt ?? def.defaultOutput(inFmt));
    const net = opts.pipeline > 0 ? pipeline(comb, opts.pipeline) : comb;
    out.push(await compareWithSynthesis(net, { tech: opts.tech, ...(opts.liberty !== undefined ? { liberty: opts.liberty } : {}) }));
  }
  return out;
}

async function run(name: string | undefined, opts: Options): Promise<void> {
  if (opts.model !== undefined) {
    if (name !== undefined || opts.in !== undefined)
      throw new UserError("activation --model reports the model's own units; give no activation name and no --in");
    return runModelActivations(opts.model, opts);
  }
  if (name === undefined || opts.in === undefined)
    throw new UserError("activation: give an activation (or 'all') and --in <format>, or --model <file>");
  if (opts.synth !== undefined) parseSynthTool(opts.synth);
  else if (opts.liberty !== undefined) throw new UserError('--liberty needs --synth yosys');
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
  const syn = opts.synth === undefined ? undefined : await synthesizeAll(specs, inFmt, outFmt, opts);
  const withSynth = syn ? reports.map((r, i) => ({ ...r, synthesis: syn[i] })) : reports;
  if (opts.json) printJson(name === 'all' ? withSynth : withSynth[0]);
  else {
    process.stdout.write(renderActivationTable(reports));
    if (syn) process.stdout.write(['', ...reports.flatMap((r, i) => synthLines(r.activation, syn[i]!)), ''].join('\n'));
  }
  const bad = reports.filter((r) => r.verification.mismatches > 0);
  if (bad.length > 0) {
    throw new VerificationFailure(bad.map((r) => `${r.activation}: ${unitVerificationText(r.verification)}`).join('; '));
  }
}

export function register(program: Command): void {
  program
    .command('activation')
    .description('build, verify and cost an activation circuit (or all of them)')
    .argument('[name]', `${ACTIVATION_ARG_HELP}; or 'all' (none with --model)`)
    .option('--in <format>', `${IN_FORMAT_HELP} (required with a name)`)
    .option('--model <file>', 'every activation unit of a model instead: an integer model, a quantized ONNX or QONNX file')
    .option('--out <format>', 'output format (default: see below)')
    .option('--tech <name|file>', 'technology: nangate45, asap7 or a JSON file', 'nangate45')
    .option('--pipeline <N>', 'register ranks to insert (latency in cycles)', nonNegativeInt('--pipeline'), 0)
    .option('--synth <tool>', 'also synthesize each circuit: yosys (Yosys + ABC onto the --tech library)')
    .option('--liberty <file>', 'with --synth: map onto this Liberty file instead of the generated library')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((name: string | undefined, opts: Options) => run(name, opts));
}
