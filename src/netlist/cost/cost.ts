import { GATES } from '../gates.js';
import { GATE_TYPES, type Bit, type GateType, type Netlist } from '../ir.js';
import { schedule } from '../sim/schedule.js';
import { loadDelays } from './load-delay.js';
import { mappedEstimate } from './mapped.js';
import type { Tech } from './tech.js';

/** Transistors per cell exactly as Yosys `stat -tech cmos` counts them: the gate table's column (gates.ts). */
export const CMOS_TRANSISTORS: Readonly<Record<GateType, number>> = Object.fromEntries(
  GATE_TYPES.map((t) => [t, GATES[t].transistors]),
) as Record<GateType, number>;

export interface CostReport {
  /** Cells by type (types with none omitted). */
  readonly cells: Partial<Record<GateType, number>>;
  /** Combinational cells (all but $_DFF_P_). */
  readonly gates: number;
  readonly transistors: number;
  /** Area / NAND2 area. */
  readonly nand2Equivalents: number;
  /** Longest path in combinational cells between start points (inputs, register outputs) and end points (outputs, register inputs). */
  readonly depth: number;
  /** Critical path of the mapped estimate (mapped.ts): library cells with load-dependent delays; register paths start at clock-to-Q and end with setup. */
  readonly delayPs: number;
  /** Area of the mapped estimate (mapped.ts): helu-sim's technology mapping onto the technology's cell library. */
  readonly areaUm2: number;
  /** Library cells of the mapped estimate by name. */
  readonly mappedCells: Record<string, number>;
  /** Area with every gate cell mapped on its own (the technology file's per-cell areas). */
  readonly gateAreaUm2: number;
  /** Critical path of the gate cells themselves (load-delay.ts). */
  readonly gateDelayPs: number;
  readonly registers: number;
}

export function costOf(net: Netlist, tech: Tech): CostReport {
  const cells: Partial<Record<GateType, number>> = {};
  let transistors = 0,
    area = 0;
  for (const c of net.cells) {
    cells[c.type] = (cells[c.type] ?? 0) + 1;
    transistors += CMOS_TRANSISTORS[c.type];
    area += tech.cells[c.type].areaUm2;
  }
  const ordered: Partial<Record<GateType, number>> = {};
  for (const t of GATE_TYPES) if (cells[t] !== undefined) ordered[t] = cells[t];
  const registers = cells.$_DFF_P_ ?? 0;
  const t = staticTiming(net, tech);
  const m = mappedEstimate(net, tech);
  return {
    cells: ordered,
    gates: net.cells.length - registers,
    transistors,
    nand2Equivalents: m.areaUm2 / tech.nand2AreaUm2,
    depth: t.depth,
    delayPs: m.delayPs,
    areaUm2: m.areaUm2,
    mappedCells: m.cells,
    gateAreaUm2: area,
    gateDelayPs: t.delayPs,
    registers,
  };
}

/** Cell inputs each net drives (register clock pins excluded; output ports are no load). */
function fanouts(net: Netlist): Map<Bit, number> {
  const f = new Map<Bit, number>();
  for (const c of net.cells) {
    const ins = c.type === '$_DFF_P_' ? [c.inputs[0]!] : c.inputs;
    for (const i of ins) f.set(i, (f.get(i) ?? 0) + 1);
  }
  return f;
}

/**
 * Levels and arrival times in one pass over the combinational order:
 * inputs arrive at 0 (level 0), register outputs at clock-to-Q under their
 * load (level 0); a cell's level is 1 + the max of its inputs', its arrival
 * the latest input + intrinsic + per-fanout delay x the cell inputs it drives
 * (load-delay.ts). End points: output port bits, and register D pins (+ setup).
 */
export function staticTiming(
  net: Netlist,
  tech: Tech,
): { depth: number; delayPs: number; level: Map<Bit, number>; arrival: Map<Bit, number> } {
  const sched = schedule(net, 'state');
  const level = new Map<Bit, number>();
  const arrival = new Map<Bit, number>();
  const model = loadDelays(tech);
  const fan = fanouts(net);
  const delayOf = (type: GateType, out: Bit) => model[type].intrinsicPs + model[type].perFanoutPs * (fan.get(out) ?? 0);
  for (const r of sched.registers) {
    level.set(r.output, 0);
    arrival.set(r.output, delayOf('$_DFF_P_', r.output));
  }
  for (const c of sched.order) {
    let l = 0,
      a = 0;
    for (const i of c.inputs) {
      l = Math.max(l, level.get(i) ?? 0);
      a = Math.max(a, arrival.get(i) ?? 0);
    }
    level.set(c.output, l + 1);
    arrival.set(c.output, a + delayOf(c.type, c.output));
  }
  let depth = 0,
    delay = 0;
  for (const p of net.outputs()) {
    for (const b of p.bits) {
      depth = Math.max(depth, level.get(b) ?? 0);
      delay = Math.max(delay, arrival.get(b) ?? 0);
    }
  }
  for (const r of sched.registers) {
    depth = Math.max(depth, level.get(r.inputs[0]) ?? 0);
    delay = Math.max(delay, (arrival.get(r.inputs[0]) ?? 0) + tech.dffSetupPs);
  }
  return { depth, delayPs: delay, level, arrival };
}

/**
 * Average energy per evaluation in fJ: every net's transitions (from
 * simulateVectors with toggles, over `vectors` consecutive vectors, i.e.
 * vectors - 1 transitions) times the energy per transition of the cell that
 * drives it, divided by vectors - 1; plus each register's clock energy once
 * per evaluation (one evaluation per cycle when pipelined). Input port nets are
 * driven from outside and not counted.
 */
export function energyPerOpFj(net: Netlist, toggles: ArrayLike<number>, vectors: number, tech: Tech): number {
  if (vectors < 2) return 0;
  let fj = 0;
  let registers = 0;
  for (const c of net.cells) {
    fj += (toggles[c.output] ?? 0) * tech.cells[c.type].energyFj;
    if (c.type === '$_DFF_P_') registers++;
  }
  return fj / (vectors - 1) + registers * tech.dffClockEnergyFj;
}
