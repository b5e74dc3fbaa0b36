import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseOutputFormat, unitVerificationText } from '../activations/index.js';
import { parseFormat } from '../fixedpoint/index.js';
import { writeProvenActivationExport } from '../prove/index.js';
import type { RomStyle, VerilogStyle } from '../verilog/index.js';
import { ACTIVATION_ARG_HELP, IN_FORMAT_HELP, nonNegativeInt, printJson } from './common.js';

interface Options {
  in: string;
  out?: string;
  style: string;
  pipeline: number;
  module?: string;
  rom: string;
  tech: string;
  output: string;
  json: boolean;
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

Examples:
  helu-sim verilog helu --in 'fixed<8,4>' -o rtl
  helu-sim verilog sigmoid --in 'fixed<10,4>' --style structural --pipeline 2 -o rtl
  helu-sim verilog leakyrelu:0.01 --in 'fixed<8,4>' --out 'fixed<8,3>' --module lrelu8 -o rtl --json`;

async function run(activation: string, opts: Options): Promise<void> {
  const exp = await writeProvenActivationExport(opts.output, {
    activation,
    in: parseFormat(opts.in),
    out: opts.out === undefined ? undefined : parseOutputFormat(opts.out),
    style: opts.style as VerilogStyle,
    pipeline: opts.pipeline,
    module: opts.module,
    rom: opts.rom as RomStyle,
    tech: opts.tech,
  });
  const s = exp.summary;
  if (opts.json) {
    const { module, files, ...rest } = s;
    printJson({ module, directory: resolve(opts.output), files, ...rest });
    return;
  }
  const v = s.verification.circuit;
  process.stdout.write([
    `${s.module}: ${s.activation} ${s.input} -> ${s.output}, ${s.style} (${s.form}), latency ${s.latency}`,
    `  helu-sim circuit: ${s.circuit.gates} gates, ${s.circuit.transistors} transistors, depth ${s.circuit.depth}; ${unitVerificationText(v)}`,
    `  testbench: ${s.verification.testbench.vectors} golden vectors (${s.verification.testbench.method})`,
    ...exp.paths.map((p) => `  wrote ${p}`),
    '',
  ].join('\n'));
}

export function register(program: Command): void {
  program
    .command('verilog')
    .description('write an activation unit as Verilog with a self-checking testbench (and its lookup table)')
    .argument('<activation>', ACTIVATION_ARG_HELP)
    .requiredOption('--in <format>', IN_FORMAT_HELP)
    .option('--out <format>', 'output format (default: the activation default; no modes written = RND_CONV, SAT)')
    .option('--style <style>', 'behavioral or structural', 'behavioral')
    .option('--pipeline <N>', 'register ranks on the path (latency in cycles)', nonNegativeInt('--pipeline'), 0)
    .option('--module <name>', 'module name (a Verilog identifier)')
    .option('--rom <style>', 'behavioral table ROM: readmemh or case', 'readmemh')
    .option('--tech <name|file>', 'technology of the cost figures: nangate45, asap7 or a JSON file', 'nangate45')
    .requiredOption('-o, --output <dir>', 'output directory')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((activation: string, opts: Options) => run(activation, opts));
}
