/*
 * Mutants of helu-sim's activation circuits for the proof tests: one gate's
 * type changed, one cell input rewired to another existing net, or one ROM
 * entry altered. A mutant is used only after the independent evaluator
 * (test/netlist/helpers.ts evalNet) has found an input where it differs from
 * the original circuit, so every mutant is known to be wrong.
 */
import { Netlist, type Cell, type GateType } from '../../src/netlist/index.js';
import { Rng } from '../../src/random.js';
import { evalNet } from '../netlist/helpers.js';

/** The gate each type is changed into (AND -> OR, and similar single-gate faults). */
export const FAULT: Partial<Record<GateType, GateType>> = {
  $_AND_: '$_OR_',
  $_OR_: '$_AND_',
  $_ANDNOT_: '$_ORNOT_',
  $_ORNOT_: '$_ANDNOT_',
  $_NAND_: '$_NOR_',
  $_NOR_: '$_NAND_',
  $_XOR_: '$_XNOR_',
  $_XNOR_: '$_XOR_',
  $_NOT_: '$_NOT_',
};

export function copyWith(net: Netlist, index: number, cell: Cell): Netlist {
  const out = new Netlist(net.name);
  out.nextNet = net.nextNet;
  out.ports.push(...net.ports);
  out.cells.push(...net.cells.map((c, i) => (i === index ? cell : c)));
  return out;
}

/** Seeded raw inputs: edge patterns (0, 1, all ones, sign bit and neighbours) and random ones. */
export function probeInputs(width: number, seed: number, count = 300): bigint[] {
  const rng = new Rng(seed);
  const mask = (1n << BigInt(width)) - 1n,
    sign = 1n << BigInt(width - 1);
  const xs = [0n, 1n, mask, sign, sign - 1n, sign + 1n, mask - 1n];
  while (xs.length < count) {
    let v = 0n;
    for (let k = 0; k < width; k += 32) v = (v << 32n) | BigInt(rng.next32());
    xs.push(v & mask);
  }
  return xs;
}

/** True when evalNet finds a probe input where the two netlists' y differ. */
export function differs(a: Netlist, b: Netlist, width: number, seed: number): boolean {
  return probeInputs(width, seed).some((x) => evalNet(a, { x }).y !== evalNet(b, { x }).y);
}

/** Candidate mutants in a seeded order: gate-type faults and rewired inputs, first ones that change y. */
export function gateMutant(net: Netlist, width: number, seed: number): Netlist {
  const rng = new Rng(seed);
  for (let tries = 0; tries < 200; tries++) {
    const i = rng.int(net.cells.length),
      c = net.cells[i];
    const to = FAULT[c.type];
    if (!to || to === c.type) continue;
    const m = copyWith(net, i, { ...c, type: to });
    if (differs(net, m, width, seed)) return m;
  }
  throw new Error('no gate mutant changes the function');
}

/** One cell input connected to another net that exists before the cell (the netlist stays acyclic). */
export function wireMutant(net: Netlist, width: number, seed: number): Netlist {
  const rng = new Rng(seed);
  const xBits = net.port('x').bits;
  for (let tries = 0; tries < 200; tries++) {
    const i = rng.int(net.cells.length),
      c = net.cells[i];
    const earlier = [...xBits, ...net.cells.slice(0, i).map((d) => d.output)];
    const pin = rng.int(c.inputs.length),
      other = earlier[rng.int(earlier.length)];
    if (other === c.inputs[pin]) continue;
    const m = copyWith(net, i, { ...c, inputs: c.inputs.map((b, k) => (k === pin ? other : b)) });
    if (differs(net, m, width, seed)) return m;
  }
  throw new Error('no wire mutant changes the function');
}
