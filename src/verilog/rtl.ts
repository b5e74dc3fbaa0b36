import { checkModuleName } from './identifier.js';
import type { ModuleFrame } from './module.js';

/**
 * Readable-RTL building blocks: a module frame around named wires, and the
 * width-exact constant and resize forms Verilator's -Wall accepts (every
 * operand of an assignment, comparison or ?: has the width of its partner).
 */

/** Smallest N >= 1 such that N-bit two's complement holds every integer in [lo, hi]. */
export function signedBits(lo: bigint, hi: bigint): number {
  let n = 1;
  while (lo < -(1n << BigInt(n - 1)) || hi > (1n << BigInt(n - 1)) - 1n) n++;
  return n;
}

/** Smallest N >= 1 such that N unsigned bits hold every integer in [0, hi]. */
export function unsignedBits(hi: bigint): number {
  let n = 1;
  while (hi > (1n << BigInt(n)) - 1n) n++;
  return n;
}

/**
 * A signed constant of `width` bits: `8'sd5`, `-8'sd5`; the most negative
 * value, whose magnitude has no `sd` form in that width, as `8'sh80`.
 */
export function sconst(value: bigint, width: number): string {
  const lim = 1n << BigInt(width - 1);
  if (value < -lim || value >= lim) throw new Error(`internal: ${value} does not fit ${width} signed bits`);
  if (value >= 0n) return `${width}'sd${value}`;
  if (value === -lim) return `${width}'sh${lim.toString(16)}`;
  return `-${width}'sd${-value}`;
}

/** An unsigned constant (a raw bit pattern) of `width` bits, in hex. */
export function uconst(value: bigint, width: number): string {
  if (value < 0n || value >= 1n << BigInt(width)) throw new Error(`internal: ${value} is not a ${width}-bit pattern`);
  return `${width}'h${value.toString(16)}`;
}

/** `[w-1:0]` */
export function range(width: number): string {
  return `[${width - 1}:0]`;
}

/**
 * `name` (a `width`-bit signal) brought to `to` bits: sign- or zero-extended,
 * or its low `to` bits (callers truncate only values that provably fit).
 */
export function resize(name: string, width: number, signed: boolean, to: number): string {
  if (to === width) return name;
  if (to < width) return to === 1 ? `${name}[0]` : `${name}[${to - 1}:0]`;
  const fill = signed ? `{${to - width}{${width === 1 ? name : `${name}[${width - 1}]`}}}` : `${to - width}'d0`;
  return `{${fill}, ${name}}`;
}

/** `// ` comment lines, one per line of `comment`, control characters blanked. */
export function commentLines(comment: readonly string[] = []): string[] {
  return comment.flatMap((c) => c.split(/\r?\n/)).map((c) => `// ${c.replace(/[\u0000-\u001f\u007f]/g, ' ')}`.trimEnd());
}

/** Output logic: `assign y = result;` or `stages` register ranks fed by `result` (latency = stages cycles). */
function outputLines(outWidth: number, stages: number, result: string): string[] {
  if (stages === 0) return [`  assign y = ${result};`];
  const regs = Array.from({ length: stages }, (_, k) => `stage${k + 1}`);
  const lines = [`  reg ${range(outWidth)} ${regs.join(', ')};`, '  always @(posedge clk) begin'];
  regs.forEach((r, k) => lines.push(`    ${r} <= ${k === 0 ? result : regs[k - 1]};`));
  lines.push('  end', `  assign y = ${regs[stages - 1]};`);
  return lines;
}

/**
 * A Verilog-2001 module with the ports of ModuleFrame (clk when pipelined, x,
 * y), body `items` (declarations and assigns), and y = `result` (through the
 * output register ranks when pipelined: no reset, the first `pipeline`
 * outputs are undefined). The items run between `verilator lint_off UNUSED`
 * and `lint_on`: intermediate values are declared at full width, and not
 * every bit of each reaches y.
 */
export function rtlModule(f: ModuleFrame, items: readonly string[], result: string): string {
  checkModuleName(f.name);
  const stages = f.pipeline ?? 0;
  if (!Number.isInteger(stages) || stages < 0) throw new Error(`internal: pipeline ${stages} is not a non-negative integer`);
  const ports = [
    ...(stages > 0 ? ['  input  wire clk,'] : []),
    ...(f.unusedInputBits ? ['  /* verilator lint_off UNUSED */'] : []),
    `  input  wire ${range(f.inWidth)} x,`,
    ...(f.unusedInputBits ? ['  /* verilator lint_on UNUSED */'] : []),
    `  output wire ${range(f.outWidth)} y`,
  ];
  const body = items.length > 0 ? ['  /* verilator lint_off UNUSED */', ...items, '  /* verilator lint_on UNUSED */'] : [];
  return [
    ...commentLines(f.comment),
    '`default_nettype none',
    `module ${f.name} (`,
    ...ports,
    ');',
    ...body,
    ...outputLines(f.outWidth, stages, result),
    'endmodule',
    '`default_nettype wire',
    '',
  ].join('\n');
}
