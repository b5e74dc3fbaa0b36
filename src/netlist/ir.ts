/**
 * The gate-level IR. A netlist holds named multi-bit ports and single-output
 * cells from Yosys's internal gate library. Bits are plain numbers: 0 and 1 are
 * the constants, every other number is a net driven by exactly one input-port
 * bit or one cell output. Port bits are LSB first (as in Yosys JSON).
 *
 * Cell semantics (Yosys simcells): $_NOT_ Y=~A; $_AND_ Y=A&B; $_OR_ Y=A|B;
 * $_XOR_ Y=A^B; $_NAND_ Y=~(A&B); $_NOR_ Y=~(A|B); $_XNOR_ Y=~(A^B);
 * $_ANDNOT_ Y=A&~B; $_ORNOT_ Y=A|~B; $_MUX_ Y=S?B:A; $_DFF_P_ Q<=D on posedge C.
 */
export type GateType =
  | '$_NOT_' | '$_AND_' | '$_OR_' | '$_XOR_' | '$_NAND_' | '$_NOR_' | '$_XNOR_'
  | '$_ANDNOT_' | '$_ORNOT_' | '$_MUX_' | '$_DFF_P_';

export const GATE_TYPES: readonly GateType[] = [
  '$_NOT_', '$_AND_', '$_OR_', '$_XOR_', '$_NAND_', '$_NOR_', '$_XNOR_', '$_ANDNOT_', '$_ORNOT_', '$_MUX_', '$_DFF_P_',
];

/** Input pin names per cell type, in the order of `Cell.inputs`. */
export const CELL_PINS: Readonly<Record<GateType, readonly string[]>> = {
  $_NOT_: ['A'], $_AND_: ['A', 'B'], $_OR_: ['A', 'B'], $_XOR_: ['A', 'B'], $_NAND_: ['A', 'B'],
  $_NOR_: ['A', 'B'], $_XNOR_: ['A', 'B'], $_ANDNOT_: ['A', 'B'], $_ORNOT_: ['A', 'B'],
  $_MUX_: ['A', 'B', 'S'], $_DFF_P_: ['D', 'C'],
};
/** Output pin name per cell type. */
export const OUTPUT_PIN: Readonly<Record<GateType, string>> = {
  $_NOT_: 'Y', $_AND_: 'Y', $_OR_: 'Y', $_XOR_: 'Y', $_NAND_: 'Y', $_NOR_: 'Y', $_XNOR_: 'Y',
  $_ANDNOT_: 'Y', $_ORNOT_: 'Y', $_MUX_: 'Y', $_DFF_P_: 'Q',
};

export type Bit = number;
export const ZERO: Bit = 0;
export const ONE: Bit = 1;

export interface Cell {
  readonly type: GateType;
  readonly inputs: readonly Bit[];
  readonly output: Bit;
}

export interface Port {
  readonly name: string;
  readonly direction: 'input' | 'output';
  readonly bits: readonly Bit[];
}

/**
 * A netlist. Cells are kept in creation order, which the builder guarantees is
 * topological for combinational cells (a cell's inputs exist before it does);
 * a $_DFF_P_ may take a D input created later (its Q is a sequential source).
 */
export class Netlist {
  readonly cells: Cell[] = [];
  readonly ports: Port[] = [];
  /** Next free net number; nets are 2 .. nextNet-1. */
  nextNet = 2;

  constructor(readonly name: string) {}

  newNet(): Bit {
    return this.nextNet++;
  }

  addInput(name: string, width: number): Bit[] {
    this.assertFreePortName(name);
    const bits = Array.from({ length: width }, () => this.newNet());
    this.ports.push({ name, direction: 'input', bits });
    return bits;
  }

  addOutput(name: string, bits: readonly Bit[]): void {
    this.assertFreePortName(name);
    this.ports.push({ name, direction: 'output', bits: [...bits] });
  }

  /** Appends a cell without simplification (readers and the builder use this). */
  addCell(type: GateType, inputs: readonly Bit[], output: Bit = this.newNet()): Bit {
    if (inputs.length !== CELL_PINS[type].length) throw new Error(`internal: ${type} takes ${CELL_PINS[type].length} inputs`);
    this.cells.push({ type, inputs: [...inputs], output });
    return output;
  }

  port(name: string): Port {
    const p = this.ports.find((q) => q.name === name);
    if (!p) throw new Error(`internal: netlist '${this.name}' has no port '${name}'`);
    return p;
  }

  inputs(): Port[] {
    return this.ports.filter((p) => p.direction === 'input');
  }

  outputs(): Port[] {
    return this.ports.filter((p) => p.direction === 'output');
  }

  private assertFreePortName(name: string): void {
    if (this.ports.some((p) => p.name === name)) throw new Error(`internal: duplicate port '${name}'`);
  }
}
