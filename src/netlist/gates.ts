import type { GateType } from './ir.js';

/**
 * The one gate table: every cell type's pins, meaning and cost. The compiled
 * kernel (sim/kernel.ts), the interpreter (sim/interp.ts), the Verilog writer
 * (io/verilog.ts) and the cost model (cost/cost.ts) all read it; none restates
 * a gate. Semantics are Yosys's simcells (docs/gates.md):
 * $_NOT_ Y=~A; $_AND_ Y=A&B; $_OR_ Y=A|B; $_XOR_ Y=A^B; $_NAND_ Y=~(A&B);
 * $_NOR_ Y=~(A|B); $_XNOR_ Y=~(A^B); $_ANDNOT_ Y=A&~B; $_ORNOT_ Y=A|~B;
 * $_MUX_ Y=S?B:A; $_DFF_P_ Q<=D on the rising edge of C.
 */
export interface GateInfo {
  /** Input pin names, in the order of Cell.inputs. */
  readonly pins: readonly string[];
  readonly output: string;
  /**
   * Combinational cells: the output as a JavaScript expression over 32-bit
   * words (one vector per bit; operands are identifiers or literals, each
   * used as a whole term). Registers have none.
   */
  readonly word?: (a: readonly string[]) => string;
  /** Combinational cells: the output as a Verilog expression over 1-bit operands. */
  readonly verilog?: (a: readonly string[]) => string;
  /** Transistors exactly as Yosys `stat -tech cmos` counts the cell (passes/cmds/stat.cc; @yowasp/yosys 0.55 reports 16 for $_DFF_P_). */
  readonly transistors: number;
  /** The interpreter's opcode (combinational cells: 0, 1, ...; registers -1). */
  readonly opcode: number;
}

const AB = ['A', 'B'] as const;

export const GATES: Readonly<Record<GateType, GateInfo>> = {
  $_NOT_: { pins: ['A'], output: 'Y', word: (a) => `~${a[0]}`, verilog: (a) => `~${a[0]}`, transistors: 2, opcode: 0 },
  $_AND_: { pins: AB, output: 'Y', word: (a) => `${a[0]} & ${a[1]}`, verilog: (a) => `${a[0]} & ${a[1]}`, transistors: 6, opcode: 1 },
  $_OR_: { pins: AB, output: 'Y', word: (a) => `${a[0]} | ${a[1]}`, verilog: (a) => `${a[0]} | ${a[1]}`, transistors: 6, opcode: 2 },
  $_XOR_: { pins: AB, output: 'Y', word: (a) => `${a[0]} ^ ${a[1]}`, verilog: (a) => `${a[0]} ^ ${a[1]}`, transistors: 12, opcode: 3 },
  $_NAND_: {
    pins: AB,
    output: 'Y',
    word: (a) => `~(${a[0]} & ${a[1]})`,
    verilog: (a) => `~(${a[0]} & ${a[1]})`,
    transistors: 4,
    opcode: 4,
  },
  $_NOR_: { pins: AB, output: 'Y', word: (a) => `~(${a[0]} | ${a[1]})`, verilog: (a) => `~(${a[0]} | ${a[1]})`, transistors: 4, opcode: 5 },
  $_XNOR_: {
    pins: AB,
    output: 'Y',
    word: (a) => `~(${a[0]} ^ ${a[1]})`,
    verilog: (a) => `~(${a[0]} ^ ${a[1]})`,
    transistors: 12,
    opcode: 6,
  },
  $_ANDNOT_: { pins: AB, output: 'Y', word: (a) => `${a[0]} & ~${a[1]}`, verilog: (a) => `${a[0]} & ~${a[1]}`, transistors: 6, opcode: 7 },
  $_ORNOT_: { pins: AB, output: 'Y', word: (a) => `${a[0]} | ~${a[1]}`, verilog: (a) => `${a[0]} | ~${a[1]}`, transistors: 6, opcode: 8 },
  // A ^ ((A ^ B) & S): B where S is set, A elsewhere, bitwise on words
  $_MUX_: {
    pins: ['A', 'B', 'S'],
    output: 'Y',
    word: (a) => `${a[0]} ^ ((${a[0]} ^ ${a[1]}) & ${a[2]})`,
    verilog: (a) => `${a[2]} ? ${a[1]} : ${a[0]}`,
    transistors: 12,
    opcode: 9,
  },
  $_DFF_P_: { pins: ['D', 'C'], output: 'Q', transistors: 16, opcode: -1 },
};

/** The table entry of a cell type; an Error naming the type for anything the table does not hold. */
export function gateInfo(type: string): GateInfo {
  const g = Object.hasOwn(GATES, type) ? GATES[type as GateType] : undefined;
  if (!g) throw new TypeError(`netlist: unknown cell type '${type}' (accepted: ${Object.keys(GATES).join(', ')})`);
  return g;
}

/** A combinational cell's word expression; an Error for registers and unknown types. */
export function wordExpr(type: string, operands: readonly string[]): string {
  const g = gateInfo(type);
  if (!g.word) throw new TypeError(`netlist: ${type} is a register, not a combinational cell`);
  if (operands.length !== g.pins.length)
    throw new TypeError(`netlist: ${type} takes ${g.pins.length} inputs (${g.pins.join(', ')}), got ${operands.length}`);
  return g.word(operands);
}

/** Opcodes of the combinational cells, indexed by opcode. */
export const OPCODE_GATES: readonly GateType[] = (Object.keys(GATES) as GateType[])
  .filter((t) => GATES[t].opcode >= 0)
  .sort((a, b) => GATES[a].opcode - GATES[b].opcode);
