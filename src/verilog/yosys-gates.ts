import { checkTopName, designFiles, runYosysScript, type VerilogDesign } from './yosys.js';

/** The gate set helu-sim's netlists use, as `abc -g` spells it. */
export const YOSYS_GATE_SET = 'AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX';

export interface YosysGateCount {
  /** Cells by Yosys type after mapping, e.g. { '$_ANDNOT_': 7 }. */
  readonly cells: Record<string, number>;
  /** Logic cells: every cell that is not a flip-flop or latch. */
  readonly gates: number;
  /** Flip-flop and latch cells ($_DFF*, $_SDFF*, $_DLATCH* ...). */
  readonly registers: number;
  /** `stat -tech cmos` transistor estimate (NOT 2, NAND/NOR 4, AND/OR/ANDNOT/ORNOT 6, XOR/XNOR/MUX 12). */
  readonly transistors: number;
  /** The Yosys script that produced the figures, for reports. */
  readonly script: string;
  readonly log: string;
}

/**
 * Yosys's synthesis script for gate counts: generic synth; flip-flops turned
 * back into plain $_DFF_P_ (synth folds a mux in front of a register into a
 * sync-reset or enable flip-flop, which would hide that logic from the count
 * and from comparison with helu-sim's netlists, whose only register is
 * $_DFF_P_); then ABC onto YOSYS_GATE_SET.
 */
export function gateCountScript(sources: readonly string[], top: string, gateSet: string = YOSYS_GATE_SET): string {
  return [
    `read_verilog ${sources.join(' ')}`,
    `hierarchy -check -top ${checkTopName(top)}`,
    `synth -flatten -top ${top}`,
    'dfflegalize -cell $_DFF_P_ 01',
    `abc -g ${gateSet}`,
    'opt_clean',
    'tee -q -o __stat.json stat -json',
    'tee -q -o __cmos.json stat -json -tech cmos',
  ].join('\n');
}

const REGISTER_CELL = /^\$_(S?DFF|DFFE|SDFFE|SDFFCE|ALDFF|DFFSR|DFFSRE|DLATCH|SR)/;

interface StatJson {
  design?: { num_cells_by_type?: Record<string, number>; estimated_num_transistors?: string | number };
}

/**
 * Synthesizes `design` (top module `top`) with Yosys and counts its cells:
 * `synth -flatten`, `dfflegalize -cell $_DFF_P_ 01`,
 * `abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT,MUX`,
 * `opt_clean`, `stat` (and `stat -tech cmos` for transistors). Measured with
 * @yowasp/yosys 0.55: `assign y = x[7] ? 8'd0 : x;` gives 7 $_ANDNOT_
 * (42 transistors); with opts.gateSet 'AND' (`abc -g AND`) it is 7 $_AND_ +
 * 1 $_NOT_, the figure docs/helu.md quotes.
 */
export async function yosysGateCount(
  design: VerilogDesign,
  top: string,
  opts: { readonly gateSet?: string } = {},
): Promise<YosysGateCount> {
  const { files, sources } = designFiles(design, top);
  const gateSet = opts.gateSet ?? YOSYS_GATE_SET;
  if (!/^[A-Za-z0-9,]+$/.test(gateSet)) throw new Error(`internal: gate set '${gateSet}' is not an abc -g list`);
  const script = gateCountScript(sources, top, gateSet);
  const run = await runYosysScript(files, script);
  const stat = JSON.parse(String(run.files['__stat.json'])) as StatJson;
  const cmos = JSON.parse(String(run.files['__cmos.json'])) as StatJson;
  const cells = { ...(stat.design?.num_cells_by_type ?? {}) };
  let gates = 0;
  let registers = 0;
  for (const [type, n] of Object.entries(cells)) {
    if (REGISTER_CELL.test(type)) registers += n;
    else gates += n;
  }
  const transistors = Number(cmos.design?.estimated_num_transistors ?? NaN);
  return { cells, gates, registers, transistors, script, log: run.stdout };
}
