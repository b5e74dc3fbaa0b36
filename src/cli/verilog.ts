import { resolve } from 'node:path';
import type { Command } from 'commander';
import { getActivation, parseOutputFormat, unitVerificationText } from '../activations/index.js';
import { pipeline, type Netlist } from '../netlist/index.js';
import { parseFormat } from '../fixedpoint/index.js';
import { UserError } from '../errors.js';
import { compareWithSynthesis, parseSynthTool, type SynthComparison } from '../hardware/index.js';
import { writeProvenActivationExport } from '../prove/index.js';
import type { RomStyle, VerilogStyle } from '../verilog/index.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, positiveInt, printJson } from './common.js';
import { synthLines } from './synth-report.js';
import { runModelExport } from './verilog-model.js';
import { runUnitExport, unitJson, type UnitCliOptions } from './verilog-units.js';

interface Options extends UnitCliOptions {
  model?: string;
  in?: string;
  synth?: string;
  liberty?: string;
  pipeline: number;
  rom: string;
}

const HELP = `
Writes into the output directory (created if needed; all files or none):
  <module>.v        the unit, Verilog-2001: ports x, y (and clk when pipelined)
  <module>_tb.v     a self-checking testbench printing PASS or FAIL <count>,
  <module>_tb.mem   with its golden vectors from helu-sim's functional model
  <module>.mem/.coe/.mif  the lookup table (table activations only)
  <module>.json     formats, gate counts, the circuit's proof (as 'helu-sim prove')

Styles: behavioral (readable RTL; a ROM for table activations) or
structural (helu-sim's gate netlist, one assign per cell).
The module name defaults to <activation>_w<W>i<I> (helu_w8i4).

Run the testbench in the output directory (it reads its .mem files from there):
  iverilog -g2005 -o tb.vvp <module>.v <module>_tb.v && vvp -n tb.vvp

--model <file> writes every activation unit of a model instead (an integer
model, a quantized ONNX or QONNX file): one per distinct activation and
input/output quantization of its activation layers; affine units are the
256-entry table between the two 8-bit tensors as a ROM, tested against it.

Processing element and requantization units (instead of an activation):
  pe       --weight F --input F --acc F   ports clk, w, x, acc -> y, x_out
           (registered w and x; y = acc + w*x rounded to the accumulator
           LSB with its rounding mode, then its overflow mode; registered)
  requant  --acc F[;F...] --out F         pow2: shift, round, saturate
           (several ';'-separated accumulator formats: per-channel, with a
           'shift' port); ports acc[, shift] -> y
  requant  --acc-bits N --out int8|uint8|int32   affine (gemmlowp SRDHM,
           RoundingDivideByPOT, zero point, clamp); ports acc, m, e, zp -> y
Their testbenches apply edge-case and seeded random vectors (--vectors N,
default 10000) with golden outputs from bigint models.

--synth yosys also synthesizes helu-sim's gate netlist of the unit with Yosys
and ABC onto a Liberty library generated from the --tech figures (or the
--liberty file) and prints the synthesized area and critical path beside
helu-sim's estimate.

Examples:
  helu-sim verilog helu --in 'fixed<8,4>' -o rtl
  helu-sim verilog pe --weight 'fixed<8,1>' --input 'fixed<8,4>' --acc 'fixed<24,12>' -o rtl
  helu-sim verilog requant --acc-bits 32 --out int8 --style structural -o rtl --synth yosys
  helu-sim verilog sigmoid --in 'fixed<10,4>' --style structural --pipeline 2 -o rtl
  helu-sim verilog leakyrelu:0.01 --in 'fixed<8,4>' --out 'fixed<8,3>' --module lrelu8 -o rtl --json`;

async function synthFor(net: () => Netlist, opts: Options): Promise<SynthComparison | undefined> {
  if (opts.synth === undefined) {
    if (opts.liberty !== undefined) throw new UserError('--liberty needs --synth yosys');
    return undefined;
  }
  parseSynthTool(opts.synth);
  return compareWithSynthesis(net(), { tech: opts.tech, ...(opts.liberty !== undefined ? { liberty: opts.liberty } : {}) });
}

async function run(subject: string | undefined, opts: Options): Promise<void> {
  if (opts.model !== undefined) {
    if (subject !== undefined)
      throw new UserError(`verilog --model exports the model's activation units; give no unit name (got '${subject}')`);
    return runModelExport(opts.model, opts);
  }
  if (subject === undefined) throw new UserError('verilog: give an activation, pe or requant, or --model <file>');
  if (opts.synth !== undefined) parseSynthTool(opts.synth);
  if (subject === 'pe' || subject === 'requant') {
    const exp = runUnitExport(subject, opts);
    const syn = await synthFor(() => exp.netlist, opts);
    if (opts.json) unitJson(exp, opts.output, syn ? { synthesis: syn } : {});
    else if (syn) process.stdout.write(synthLines('unit', syn).join('\n') + '\n');
    return;
  }
  if (opts.in === undefined) throw new UserError(`verilog ${subject}: --in <format> is required for an activation`);
  const exp = await writeProvenActivationExport(opts.output, {
    activation: subject,
    in: parseFormat(opts.in),
    out: opts.out === undefined ? undefined : parseOutputFormat(opts.out),
    style: opts.style as VerilogStyle,
    pipeline: opts.pipeline,
    module: opts.module,
    rom: opts.rom as RomStyle,
    tech: opts.tech,
  });
  const s = exp.summary;
  // The circuit the summary costs: the activation's netlist, pipelined when asked.
  const syn = await synthFor(() => {
    const def = getActivation(subject);
    const inFmt = parseFormat(opts.in!);
    const comb = def.circuit(inFmt, opts.out === undefined ? def.defaultOutput(inFmt) : parseOutputFormat(opts.out));
    return opts.pipeline > 0 ? pipeline(comb, opts.pipeline) : comb;
  }, opts);
  if (opts.json) {
    const { module, files, ...rest } = s;
    printJson({ module, directory: resolve(opts.output), files, ...rest, ...(syn ? { synthesis: syn } : {}) });
    return;
  }
  const v = s.verification.circuit;
  process.stdout.write(
    [
      `${s.module}: ${s.activation} ${s.input} -> ${s.output}, ${s.style} (${s.form}), latency ${s.latency}`,
      `  helu-sim circuit: ${s.circuit.gates} gates, ${s.circuit.transistors} transistors, depth ${s.circuit.depth}; ${unitVerificationText(v)}`,
      `  testbench: ${s.verification.testbench.vectors} golden vectors (${s.verification.testbench.method})`,
      ...exp.paths.map((p) => `  wrote ${p}`),
      ...(syn ? synthLines('circuit', syn) : []),
      '',
    ].join('\n'),
  );
}

export function register(program: Command): void {
  program
    .command('verilog')
    .description('write an activation unit, the PE or a requantization unit as Verilog with a self-checking testbench')
    .argument('[activation|pe|requant]', `${ACTIVATION_ARG_HELP}; or pe, requant (none with --model)`)
    .option('--model <file>', 'every activation unit of a model: an integer model, a quantized ONNX or QONNX file')
    .option('--in <format>', `activations: ${IN_FORMAT_HELP}`)
    .option('--weight <format>', 'pe: weight format')
    .option('--input <format>', 'pe: input format')
    .option('--acc <format>', "pe: accumulator format; requant pow2: accumulator format(s), ';'-separated per channel")
    .option('--acc-bits <N>', 'requant affine: accumulator bits', positiveInt('--acc-bits'))
    .option('--vectors <N>', 'pe/requant: testbench vectors', positiveInt('--vectors'))
    .option('--synth <tool>', 'also synthesize the unit: yosys')
    .option('--liberty <file>', 'with --synth: map onto this Liberty file instead of the generated library')
    .option('--out <format>', 'output format (activations: default the activation default; no modes written = RND_CONV, SAT)')
    .option('--style <style>', 'behavioral or structural', 'behavioral')
    .option('--pipeline <N>', 'register ranks on the path (latency in cycles)', nonNegativeInt('--pipeline'), 0)
    .option('--module <name>', 'module name (a Verilog identifier)')
    .option('--rom <style>', 'behavioral table ROM: readmemh or case', 'readmemh')
    .option('--tech <name|file>', 'technology of the cost figures: nangate45, asap7 or a JSON file', 'nangate45')
    .requiredOption('-o, --output <dir>', 'output directory')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((subject: string | undefined, opts: Options) => run(subject, opts));
}
