import { GATES } from './gates.js';

/**
 * The gate-level IR. A netlist holds named multi-bit ports and single-output
 * cells from Yosys's internal gate library. Bits are plain numbers: 0 and 1 are
 * the constants, every other number is a net driven by exactly one input-port
 * bit or one cell output. Port bits are LSB first (as in Yosys JSON).
 * Cell semantics, pins and costs: the gate table (gates.ts).
 */
export type GateType =
  '$_NOT_' | '$_AND_' | '$_OR_' | '$_XOR_' | '$_NAND_' | '$_NOR_' | '$_XNOR_' | '$_ANDNOT_' | '$_ORNOT_' | '$_MUX_' | '$_DFF_P_';

export const GATE_TYPES: readonly GateType[] = [
  '$_NOT_',
  '$_AND_',
  '$_OR_',
  '$_XOR_',
  '$_NAND_',
  '$_NOR_',
  '$_XNOR_',
  '$_ANDNOT_',
  '$_ORNOT_',
  '$_MUX_',
  '$_DFF_P_',
];

/** Input pin names per cell type, in the order of `Cell.inputs` (the gate table's). */
export const CELL_PINS: Readonly<Record<GateType, readonly string[]>> = Object.fromEntries(
  GATE_TYPES.map((t) => [t, GATES[t].pins]),
) as Record<GateType, readonly string[]>;
/** Output pin name per cell type (the gate table's). */
export const OUTPUT_PIN: Readonly<Record<GateType, string>> = Object.fromEntries(GATE_TYPES.map((t) => [t, GATES[t].output])) as Record<
  GateType,
  string
>;

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
