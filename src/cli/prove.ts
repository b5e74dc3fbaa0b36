import type { Command } from 'commander';
import { parseOutputFormat } from '../activations/index.js';
import { UserError, VerificationFailure } from '../errors.js';
import { formatToString, parseFormat } from '../fixedpoint/index.js';
import { exactDecimal, proveActivation, proveRtl, type MethodChoice, type ProofResult } from '../prove/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { runUnitProof, type UnitProveOptions } from './prove-units.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, positiveInt, printJson } from './common.js';

interface Options extends Omit<UnitProveOptions, 'json' | 'out' | 'rtl' | 'top' | 'timeout'> {
  in?: string;
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

pe and requant prove the processing element and the pow2 requantization
unit that 'helu-sim verilog pe|requant' exports (or with --rtl yours, with
the same ports) equal to the integer engine's model: the PE decomposed at
its multiplier (every weight/input pair enumerated, the accumulate stage by
SAT with the product as a free input), requant by SAT.

Exit 0: proven. Exit 1: a counterexample, checked by evaluating the model and
the unit at that input. Exit 2: bad input (unreadable Verilog, wrong ports,
an unsupported construct).

Examples:
  helu-sim prove leakyrelu --in 'fixed<32,16>'
  helu-sim prove gelu --in 'fixed<24,8>' --json
  helu-sim prove relu --in 'fixed<16,8>' --rtl my_relu.v --top my_relu
  helu-sim prove pe --weight int8 --input int8 --acc 'fixed<32,32,TRN,WRAP>'
  helu-sim prove requant --acc 'fixed<24,12>' --out 'fixed<8,4>' --rtl my_requant.v`;

function jsonDoc(activation: string, inFmt: FixedFormat, r: ProofResult & { output: FixedFormat }, o: Options): object {
  const c = r.counterexample;
  return {
    activation,
    input: formatToString(inFmt),
    output: formatToString(r.output),
    unit: o.rtl !== undefined ? { rtl: o.rtl, top: o.top ?? null, latency: o.latency } : 'helu-sim circuit',
    proven: r.proven,
    method: r.method,
    detail: r.detail,
    vectors: r.vectors,
    seconds: Number(r.seconds.toFixed(3)),
    cpuSeconds: Number(r.cpuSeconds.toFixed(3)),
    ...(c
      ? {
          counterexample: {
            xRaw: `0x${c.xRaw.toString(16)}`,
            x: c.x.toString(),
            xReal: exactDecimal(c.x, inFmt),
            expected: c.expected.toString(),
            expectedReal: exactDecimal(c.expected, r.output),
            got: c.got.toString(),
            gotReal: exactDecimal(c.got, r.output),
          },
        }
      : {}),
  };
}

async function run(activation: string, o: Options): Promise<void> {
  if (activation === 'pe' || activation === 'requant') {
    if (o.in !== undefined || o.latency > 0 || o.method !== 'auto')
      throw new UserError(`prove ${activation}: --in, --latency and --method apply to activations`);
    return runUnitProof(activation, o);
  }
  if (o.in === undefined) throw new UserError('prove: --in <format> is required for an activation');
  if (o.weight !== undefined || o.input !== undefined || o.acc !== undefined || o.accBits !== undefined)
    throw new UserError('prove: --weight, --input, --acc and --acc-bits apply to pe and requant');
  if (!METHODS.includes(o.method as MethodChoice)) throw new UserError(`unknown method '${o.method}'; accepted: ${METHODS.join(', ')}`);
  if (o.rtl === undefined && (o.top !== undefined || o.latency > 0)) throw new UserError('--top and --latency apply to --rtl units only');
  const inFmt = parseFormat(o.in);
  const outFmt = o.out === undefined ? undefined : parseOutputFormat(o.out);
  const opts = { method: o.method as MethodChoice, timeoutSeconds: o.timeout };
  const r =
    o.rtl !== undefined
      ? await proveRtl({ file: o.rtl, top: o.top, latency: o.latency }, activation, inFmt, outFmt, opts)
      : await proveActivation(activation, inFmt, outFmt, opts);
  const unit = o.rtl !== undefined ? o.rtl : 'helu-sim circuit';
  const head = `${activation} ${formatToString(inFmt)} -> ${formatToString(r.output)} (${unit})`;
  if (o.json) printJson(jsonDoc(activation, inFmt, r, o));
  else if (r.proven) process.stdout.write(`${head}: proven (${r.method}, ${r.seconds.toFixed(2)} s; ${r.cpuSeconds.toFixed(2)} s CPU)\n`);
  else
    process.stdout.write(
      `${head}: refuted (${r.method}, ${r.seconds.toFixed(2)} s; ${r.cpuSeconds.toFixed(2)} s CPU)\n  counterexample ${r.counterexample!.text}\n`,
    );
  if (!r.proven) throw new VerificationFailure(`counterexample ${r.counterexample!.text}`);
}

export function register(program: Command): void {
  program
    .command('prove')
    .description(
      "prove an activation, PE or requantization unit (helu-sim's circuit or your Verilog) equal to the fixed-point model for every input",
    )
    .argument('<activation>', `${ACTIVATION_ARG_HELP}; or pe, requant`)
    .option('--in <format>', IN_FORMAT_HELP)
    .option('--weight <format>', 'pe: weight format')
    .option('--input <format>', 'pe: input (activation) format')
    .option('--acc <format>', "pe: accumulator format; requant: the pow2 accumulator format(s), per-channel ones separated by ';'")
    .option(
      '--acc-bits <N>',
      'requant: affine accumulator bits (int32 multiplier m, exponent e, zero point zp ports)',
      positiveInt('--acc-bits'),
    )
    .option('--out <format>', 'output format (default: the activation default; no modes written = RND_CONV, SAT)')
    .option('--rtl <file.v>', "prove this Verilog unit instead of helu-sim's circuit")
    .option('--top <module>', "top module of --rtl (default: the file's top module)")
    .option('--latency <N>', 'clock cycles from x to y of a pipelined --rtl unit', nonNegativeInt('--latency'), 0)
    .option('--method <method>', 'auto, exhaustive or sat', 'auto')
    .option('--timeout <seconds>', 'give up a SAT proof after this many seconds', positiveInt('--timeout'))
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((activation: string, opts: Options) => run(activation, opts));
}
