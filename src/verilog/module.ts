import { checkModuleName } from './identifier.js';
import { checkTable, hexDigits, toHex } from './tables.js';

/**
 * Behavioral Verilog-2001 writers. Every module has the ports
 * `input wire [W-1:0] x` and `output wire [Wo-1:0] y` carrying raw two's
 * complement (or unsigned) bit patterns, plus `input wire clk` when pipelined.
 * A pipelined module registers its output through `pipeline` ranks of
 * flip-flops on the rising edge of clk: y at a cycle is f(x) of `pipeline`
 * rising edges earlier (latency = pipeline cycles, throughput one per cycle,
 * no reset: the first `pipeline` outputs are undefined).
 */
export interface ModuleFrame {
  /** Module name; must pass checkModuleName. */
  readonly name: string;
  /** W, input bits (>= 1). */
  readonly inWidth: number;
  /** Wo, output bits (>= 1). */
  readonly outWidth: number;
  /** Register ranks on the output (default 0: combinational, no clk port). */
  readonly pipeline?: number;
  /** Comment lines written above the module (one `//` line each). */
  readonly comment?: readonly string[];
  /**
   * Set when the function ignores some input bits (for example an output
   * format that drops LSBs): wraps the input port in a Verilator
   * `lint_off UNUSED` region so `verilator --lint-only -Wall` stays clean.
   */
  readonly unusedInputBits?: boolean;
}

function checkFrame(f: ModuleFrame): number {
  checkModuleName(f.name);
  for (const [what, w] of [
    ['inWidth', f.inWidth],
    ['outWidth', f.outWidth],
  ] as const) {
    if (!Number.isInteger(w) || w < 1) throw new Error(`internal: ${what} ${w} is not a positive integer`);
  }
  const stages = f.pipeline ?? 0;
  if (!Number.isInteger(stages) || stages < 0) throw new Error(`internal: pipeline ${stages} is not a non-negative integer`);
  return stages;
}

function range(width: number): string {
  return `[${width - 1}:0]`;
}

/** Port list lines (inside the parentheses). */
function portLines(f: ModuleFrame, stages: number): string[] {
  const lines: string[] = [];
  if (stages > 0) lines.push('  input  wire clk,');
  if (f.unusedInputBits) lines.push('  /* verilator lint_off UNUSED */');
  lines.push(`  input  wire ${range(f.inWidth)} x,`);
  if (f.unusedInputBits) lines.push('  /* verilator lint_on UNUSED */');
  lines.push(`  output wire ${range(f.outWidth)} y`);
  return lines;
}

/** Output logic: `assign y = result;` or the register ranks fed by `result`. */
function outputLines(f: ModuleFrame, stages: number, result: string): string[] {
  if (stages === 0) return [`  assign y = ${result};`];
  const regs = Array.from({ length: stages }, (_, k) => `stage${k + 1}`);
  const lines = [`  reg ${range(f.outWidth)} ${regs.join(', ')};`, '  always @(posedge clk) begin'];
  regs.forEach((r, k) => lines.push(`    ${r} <= ${k === 0 ? result : regs[k - 1]};`));
  lines.push('  end', `  assign y = ${regs[stages - 1]};`);
  return lines;
}

/** Assembles a module from its body items and the signal/expression giving f(x). */
function moduleText(f: ModuleFrame, items: readonly string[], result: string): string {
  const stages = checkFrame(f);
  const comment = (f.comment ?? []).flatMap((c) => c.split(/\r?\n/)).map((c) => `// ${c.replace(/[\u0000-\u001f\u007f]/g, ' ')}`.trimEnd());
  return [
    ...comment,
    '`default_nettype none',
    `module ${f.name} (`,
    ...portLines(f, stages),
    ');',
    ...items,
    ...outputLines(f, stages, result),
    'endmodule',
    '`default_nettype wire',
    '',
  ].join('\n');
}

/**
 * A module computing y = `expression`, a Verilog expression over x whose
 * value has Wo bits (for example signMuxExpression(8) for an 8-bit HeLU).
 */
export function behavioralModule(spec: ModuleFrame & { readonly expression: string }): string {
  if (/[;\n]/.test(spec.expression)) throw new Error('internal: expression must be one Verilog expression');
  return moduleText(spec, [], spec.expression);
}

/**
 * The HeLU/ReLU unit with output format = input format: the sign-bit mux
 * `x[W-1] ? {W{1'b0}} : x` (two's complement: negative inputs give 0, the
 * others pass unchanged).
 */
export function signMuxExpression(width: number): string {
  return `x[${width - 1}] ? {${width}{1'b0}} : x`;
}

/** How a table ROM is written: `$readmemh` of a .mem file, or a self-contained case statement. */
export type RomStyle = 'readmemh' | 'case';

/** Largest ROM input width accepted (2^20 entries). */
export const MAX_ROM_INPUT_BITS = 20;

/**
 * A lookup-table module: y = table[x], the index being x's raw bit pattern
 * read as an unsigned number. table.length must be 2^W and every entry a
 * Wo-bit raw pattern. 'readmemh' declares `reg [Wo-1:0] rom [0:2^W-1]` loaded
 * by `$readmemh(memFile)` (default `<name>.mem`, resolved by the simulator or
 * synthesizer relative to its working directory); 'case' writes every entry as
 * a case item (the last one as `default`, so the case is full and no latch is
 * inferred).
 */
export function romModule(
  spec: ModuleFrame & { readonly table: readonly bigint[]; readonly style: RomStyle; readonly memFile?: string },
): string {
  const { inWidth: w, outWidth: wo, table } = spec;
  if (!Number.isInteger(w) || w < 1 || w > MAX_ROM_INPUT_BITS)
    throw new Error(`internal: ROM input width ${w} outside 1..${MAX_ROM_INPUT_BITS}`);
  if (table.length !== 2 ** w) throw new Error(`internal: ROM table has ${table.length} entries, expected 2^${w}`);
  checkTable(table, wo);
  if (spec.style === 'readmemh') {
    const file = spec.memFile ?? `${spec.name}.mem`;
    if (!/^[A-Za-z0-9_./-]+$/.test(file)) throw new Error(`internal: memory file name '${file}' is not a plain path`);
    const items = [`  reg ${range(wo)} rom [0:${table.length - 1}];`, `  initial $readmemh("${file}", rom);`];
    return moduleText(spec, items, 'rom[x]');
  }
  return moduleText(spec, caseItems(w, wo, table), 'f');
}

function caseItems(w: number, wo: number, table: readonly bigint[]): string[] {
  const ad = hexDigits(w);
  const dd = hexDigits(wo);
  const lines = [`  reg ${range(wo)} f;`, '  always @* begin', '    case (x)'];
  const last = table.length - 1;
  for (let i = 0; i < last; i++) lines.push(`      ${w}'h${i.toString(16).padStart(ad, '0')}: f = ${wo}'h${toHex(table[i]!, dd)};`);
  lines.push(`      default: f = ${wo}'h${toHex(table[last]!, dd)};`, '    endcase', '  end');
  return lines;
}
