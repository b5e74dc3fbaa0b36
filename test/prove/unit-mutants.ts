/*
 * Mutants of helu-sim's PE and requantization netlists (one gate type changed
 * or one cell input rewired), used only after the independent evaluator
 * (test/netlist/helpers.ts evalNet) found an input where the mutant's outputs
 * differ from the original's.
 */
import type { Netlist } from '../../src/netlist/index.js';
import { Rng } from '../../src/random.js';
import { evalNet } from '../netlist/helpers.js';
import { copyWith, FAULT } from './mutants.js';

/** Seeded inputs of every input port: edge patterns (0, all ones, sign bit) and random values. */
export function unitProbes(net: Netlist, seed: number, count = 400): Record<string, bigint>[] {
  const rng = new Rng(seed);
  const ports = net.inputs().filter((p) => p.name !== 'clk');
  const rand = (w: number) => {
    let v = 0n;
    for (let k = 0; k < w; k += 32) v = (v << 32n) | BigInt(rng.next32());
    return BigInt.asUintN(w, v);
  };
  const edge = (w: number) => [0n, (1n << BigInt(w)) - 1n, 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n][rng.int(4)]!;
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(ports.map((p) => [p.name, i % 3 === 0 ? edge(p.bits.length) : rand(p.bits.length)])),
  );
}

const differs = (a: Netlist, b: Netlist, seed: number): boolean =>
  unitProbes(a, seed).some((v) => {
    const x = evalNet(a, v),
      y = evalNet(b, v);
    return Object.keys(x).some((k) => x[k] !== y[k]);
  });

/** Indices of the cells computed from the given ports alone (the test's own forward sweep; cells in dependency order). */
export function coneCells(net: Netlist, ports: readonly string[]): Set<number> {
  const known = new Set(ports.flatMap((p) => net.port(p).bits));
  const cells = new Set<number>();
  net.cells.forEach((c, i) => {
    if (c.inputs.every((b) => b <= 1 || known.has(b))) {
      known.add(c.output);
      cells.add(i);
    }
  });
  return cells;
}

/** A gate-type fault (kind 'gate') or a rewired input (kind 'wire') at a cell `where` accepts, changing some output. */
export function unitMutant(net: Netlist, kind: 'gate' | 'wire', seed: number, where: (i: number) => boolean = () => true): Netlist {
  const rng = new Rng(seed);
  const inBits = net.inputs().flatMap((p) => p.bits);
  for (let tries = 0; tries < 300; tries++) {
    const i = rng.int(net.cells.length),
      c = net.cells[i]!;
    if (!where(i)) continue;
    let m: Netlist;
    if (kind === 'gate') {
      const to = FAULT[c.type];
      if (!to || to === c.type) continue;
      m = copyWith(net, i, { ...c, type: to });
    } else {
      const earlier = [...inBits, ...net.cells.slice(0, i).map((d) => d.output)];
      const pin = rng.int(c.inputs.length),
        other = earlier[rng.int(earlier.length)]!;
      if (other === c.inputs[pin]) continue;
      m = copyWith(net, i, { ...c, inputs: c.inputs.map((b, k) => (k === pin ? other : b)) });
    }
    if (differs(net, m, seed)) return m;
  }
  throw new Error(`no ${kind} mutant changes the function`);
}
