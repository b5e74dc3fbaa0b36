import type { Command } from 'commander';
import { describeValues, parseFormat, type FixedCalcReport } from '../fixedpoint/index.js';
import { printJson } from './common.js';

const HELP = `
Quantizes each value (its exact decimal value) into the format with the
format's rounding and overflow modes, and prints the code (decimal, and the raw
W-bit two's complement pattern in hex and binary), the real value the code
represents, the error (value - input) and whether the overflow mode acted.

Formats: fixed<W,I[,Q[,O]]>, ufixed<W,I[,Q[,O]]> (W 1..64 total bits, I integer
bits including the sign, may be negative or exceed W), int8, uint8, int16,
uint16, int32, uint32. Q: TRN (default), TRN_ZERO, RND, RND_ZERO, RND_MIN_INF,
RND_INF, RND_CONV. O: WRAP (default), SAT, SAT_ZERO, SAT_SYM.

Examples:
  helu-sim fixed 'fixed<3,2,RND>' 1.25 -1.25
  helu-sim fixed 'fixed<8,4,RND_CONV,SAT>' 0.1 7.99 -9 --json`;

/** Plain-text table of a report (columns padded to their widest cell). */
export function renderFixedTable(r: FixedCalcReport): string {
  const head =
    `${r.format}: ${r.signed ? 'signed' : 'unsigned'}, W=${r.width}, I=${r.intBits}, F=${r.fracBits}, ` +
    `LSB ${r.lsb}, range [${r.min}, ${r.max}]\n\n`;
  const rows = [['input', 'code', 'hex', 'binary', 'value', 'error', 'overflow']];
  for (const v of r.values) {
    rows.push([v.input, String(v.code), v.hex, v.binary, String(v.value), String(v.error), v.overflow ? 'yes' : 'no']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
  return head + lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('fixed')
    .description('fixed-point calculator: quantize values into a format and show codes, values and errors')
    .argument('<format>', "fixed-point format, e.g. 'fixed<8,4,RND_CONV,SAT>', int8")
    .argument('<value...>', 'decimal values, e.g. 1.25 -0.5 3e-2')
    .option('--json', 'print one JSON document', false)
    .addHelpText('after', HELP)
    .action((format: string, values: string[], opts: { json: boolean }) => {
      const report = describeValues(parseFormat(format), values);
      if (opts.json) printJson({ format: report.format, lsb: report.lsb, min: report.min, max: report.max, values: report.values });
      else process.stdout.write(renderFixedTable(report));
    });
}
