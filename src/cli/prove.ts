import type { Command } from 'commander';
import { parseOutputFormat } from '../activations/index.js';
import { UserError, VerificationFailure } from '../errors.js';
import { formatToString, parseFormat } from '../fixedpoint/index.js';
import { exactDecimal, proveActivation, proveRtl, type MethodChoice, type ProofResult } from '../prove/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, positiveInt, printJson } from './common.js';

interface Options {
  in: string;
  out?: string;
  rtl?: string;
  top?: string;
  latency: number;
  method: string;
  timeout?: number;
  json: boolean;
}

const METHODS: readonly MethodChoice[] = ['auto', 'exhaustive', 'sat'];

const HELP = `
Proves a unit equal to the activation's fixed-point model for every input:
helu-sim's own gate circuit, or with --rtl your Verilog unit (ports
input [W-1:0] x, output [Wo-1:0] y, raw bit patterns as 'helu-sim verilog'
writes them; input clk and --latency N for an N-stage pipeline).

Methods: exhaustive (every input simulated bit-parallel against the
functional model), or sat (Yosys: miter -equiv of the unit against the
behavioral Verilog of the model, sat -prove-asserts). auto enumerates when
that is estimated to take at most about a second, else uses SAT.

Exit 0: proven. Exit 1: a counterexample, checked by evaluating the model and
the unit at that input. Exit 2: bad input (unreadable Verilog, wrong ports,
an unsupported construct).

Examples:
  helu-sim prove leakyrelu --in 'fixed<32,16>'
  helu-sim prove gelu --in 'fixed<24,8>' --json
  helu-sim prove relu --in 'fixed<16,8>' --rtl my_relu.v --top my_relu`;

function jsonDoc(activation: string, inFmt: FixedFormat, r: ProofResult & { output: FixedFormat }, o: Options): object {
  const c = r.counterexample;
  return {
    activation, input: formatToString(inFmt), output: formatToString(r.output),
    unit: o.rtl !== undefined ? { rtl: o.rtl, top: o.top ?? null, latency: o.latency } : 'helu-sim circuit',
    proven: r.proven, method: r.method, detail: r.detail, vectors: r.vectors,
    seconds: Number(r.seconds.toFixed(3)), cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
    ...(c ? {
      counterexample: {
        xRaw: `0x${c.xRaw.toString(16)}`, x: c.x.toString(), xReal: exactDecimal(c.x, inFmt),
        expected: c.expected.toString(), expectedReal: exactDecimal(c.expected, r.output),
        got: c.got.toString(), gotReal: exactDecimal(c.got, r.output),
      },
    } : {}),
  };
}

async function run(activation: string, o: Options): Promise<void> {
  if (!METHODS.includes(o.method as MethodChoice)) throw new UserError(`unknown method '${o.method}'; accepted: ${METHODS.join(', ')}`);
  if (o.rtl === undefined && (o.top !== undefined || o.latency > 0)) throw new UserError('--top and --latency apply to --rtl units only');
  const inFmt = parseFormat(o.in);
  const outFmt = o.out === undefined ? undefined : parseOutputFormat(o.out);
  const opts = { method: o.method as MethodChoice, timeoutSeconds: o.timeout };
  const r = o.rtl !== undefined
    ? await proveRtl({ file: o.rtl, top: o.top, latency: o.latency }, activation, inFmt, outFmt, opts)
    : await proveActivation(activation, inFmt, outFmt, opts);
  const unit = o.rtl !== undefined ? o.rtl : 'helu-sim circuit';
  const head = `${activation} ${formatToString(inFmt)} -> ${formatToString(r.output)} (${unit})`;
  if (o.json) printJson(jsonDoc(activation, inFmt, r, o));
  else if (r.proven) process.stdout.write(`${head}: proven (${r.method}, ${r.seconds.toFixed(2)} s; ${r.cpuSeconds.toFixed(2)} s CPU)\n`);
  else process.stdout.write(`${head}: refuted (${r.method}, ${r.seconds.toFixed(2)} s; ${r.cpuSeconds.toFixed(2)} s CPU)\n  counterexample ${r.counterexample!.text}\n`);
  if (!r.proven) throw new VerificationFailure(`counterexample ${r.counterexample!.text}`);
}

export function register(program: Command): void {
  program
    .command('prove')
    .description("prove an activation unit (helu-sim's circuit or your Verilog) equal to the fixed-point model for every input")
    .argument('<activation>', ACTIVATION_ARG_HELP)
    .requiredOption('--in <format>', IN_FORMAT_HELP)
    .option('--out <format>', 'output format (default: the activation default; no modes written = RND_CONV, SAT)')
    .option('--rtl <file.v>', 'prove this Verilog unit instead of helu-sim\'s circuit')
    .option('--top <module>', 'top module of --rtl (default: the file\'s top module)')
    .option('--latency <N>', 'clock cycles from x to y of a pipelined --rtl unit', nonNegativeInt('--latency'), 0)
    .option('--method <method>', 'auto, exhaustive or sat', 'auto')
    .option('--timeout <seconds>', 'give up a SAT proof after this many seconds', positiveInt('--timeout'))
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((activation: string, opts: Options) => run(activation, opts));
}
