import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  GATE_TYPES,
  Netlist,
  checkAgainstModel,
  checkExhaustive,
  prune,
  simulateVectors,
  transpose32,
  type Bit,
  type GateType,
} from '../../src/netlist/index.js';
import { UserError } from '../../src/errors.js';
import { evalNet, evalNets } from './helpers.js';

const SEED = 3007;
const ENGINES = ['compiled', 'interpreted'] as const;

/** A random netlist of raw cells (no builder clean-up), inputs a (wa bits) and b (wb bits), outputs y and z. */
function randomNetlist(seed: number, wa: number, wb: number, cells: number, withRegs: boolean): Netlist {
  let s = seed | 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    return (s >>> 8) % n;
  };
  const net = new Netlist('rand');
  const pool: Bit[] = [0, 1, ...net.addInput('a', wa), ...net.addInput('b', wb)];
  const clk = withRegs ? net.addInput('clk', 1)[0] : 0;
  const types = GATE_TYPES.filter((t) => withRegs || t !== '$_DFF_P_');
  for (let i = 0; i < cells; i++) {
    const t = types[rnd(types.length)] as GateType;
    const n = t === '$_NOT_' ? 1 : t === '$_MUX_' ? 3 : 2;
    const ins = t === '$_DFF_P_' ? [pool[rnd(pool.length)], clk] : Array.from({ length: n }, () => pool[rnd(pool.length)]);
    pool.push(net.addCell(t, ins));
  }
  const pick = (w: number) => Array.from({ length: w }, () => pool[rnd(pool.length)]);
  net.addOutput('y', pick(1 + rnd(53)));
  net.addOutput('z', pick(1 + rnd(8)));
  return net;
}

function randomValues(seed: number, n: number, w: number): number[] {
  let s = seed | 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 22695477) + 1) | 0;
    const hi = (s >>> 0) % 2 ** Math.max(0, w - 32);
    s = (Math.imul(s, 22695477) + 1) | 0;
    return w > 32 ? hi * 2 ** 32 + (s >>> 0) : (s >>> 0) % 2 ** w;
  });
}

describe('transpose32', () => {
  it('transposes a 32x32 bit matrix', () => {
    const a = new Int32Array(32).map((_, i) => Math.imul(i + 7, 0x9e3779b1));
    const t = a.slice();
    transpose32(t, 0);
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) expect((t[i] >>> j) & 1).toBe((a[j] >>> i) & 1);
  });
});

describe('simulateVectors', () => {
  it.each(ENGINES)('%s: matches the per-vector reference evaluator on random netlists (widths up to 53, any vector count)', (engine) => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 53 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 140 }),
        fc.boolean(),
        (seed, wa, wb, cells, count, regs) => {
          const net = randomNetlist(seed, wa, wb, cells, regs);
          const a = randomValues(seed + 1, count, wa),
            b = randomValues(seed + 2, count, wb);
          const sim = simulateVectors(net, { a, b }, count, { engine });
          for (let k = 0; k < count; k++) {
            const ref = evalNet(net, { a: BigInt(a[k]), b: BigInt(b[k]) });
            if (BigInt(sim.outputs.y[k]) !== ref.y || BigInt(sim.outputs.z[k]) !== ref.z) return false;
          }
          return sim.gateEvaluations === net.cells.filter((c) => c.type !== '$_DFF_P_').length * count;
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it.each(ENGINES)('%s: counts toggles per net exactly (consecutive-vector transitions)', (engine) => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 100 }), fc.boolean(), (seed, count, regs) => {
        const net = randomNetlist(seed, 6, 5, 260, regs);
        const a = randomValues(seed + 3, count, 6),
          b = randomValues(seed + 4, count, 5);
        const sim = simulateVectors(net, { a, b }, count, { toggles: true, engine });
        const vals = a.map((_, k) => evalNets(net, { a: BigInt(a[k]), b: BigInt(b[k]) }));
        for (const c of net.cells) {
          let t = 0;
          for (let k = 1; k < count; k++) if (vals[k].get(c.output) !== vals[k - 1].get(c.output)) t++;
          if (sim.toggles![c.output] !== t) return false;
        }
        return true;
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it.each(ENGINES)('%s: large circuits (a 5000-cell chain; compiled in chunks)', (engine) => {
    const b = new CircuitBuilder('chain');
    const x = b.input('x', 16);
    let acc = x[0];
    for (let i = 0; i < 5000; i++) acc = b.xor(acc, b.and(x[(i * 7) % 16], x[(i * 3 + 1) % 16]) === acc ? x[i % 16] : x[(i + 5) % 16]);
    b.output('y', [acc]);
    prune(b.net);
    const xs = randomValues(9, 200, 16);
    const sim = simulateVectors(b.net, { x: xs }, 200, { engine });
    for (let k = 0; k < 200; k++) expect(BigInt(sim.outputs.y[k])).toBe(evalNet(b.net, { x: BigInt(xs[k]) }).y);
  });

  it('reports a missing input port as a UserError', () => {
    const b = new CircuitBuilder('c');
    const x = b.input('x', 2);
    b.output('y', [b.and(x[0], x[1])]);
    expect(() => simulateVectors(b.net, {}, 4)).toThrow(UserError);
  });
});

function reluNet(w: number): Netlist {
  const b = new CircuitBuilder(`relu${w}`);
  const x = b.input('x', w);
  b.output(
    'y',
    x.map((xi) => b.andnot(xi, x[w - 1])),
  );
  prune(b.net);
  return b.net;
}

/** ReLU on raw two's-complement patterns, written with integer comparisons. */
function reluModel(w: number): (x: number) => number {
  const half = 2 ** (w - 1);
  return (x) => (x >= half ? 0 : x);
}

describe('checkAgainstModel', () => {
  it.each(ENGINES)('%s: exhaustive ReLU at 1..16 bits has no mismatch over all 2^W vectors', (engine) => {
    for (const w of [1, 2, 3, 5, 8, 12, 16]) {
      expect(checkAgainstModel(reluNet(w), reluModel(w), { engine })).toEqual({ method: 'exhaustive', vectors: 2 ** w, mismatches: 0 });
    }
  });

  it.each(ENGINES)('%s: exhaustive check counts every mismatch and reports the first', (engine) => {
    for (const w of [3, 10]) {
      const bad = (x: number) => (x % 97 === 5 ? 1 : reluModel(w)(x));
      const all = Array.from({ length: 2 ** w }, (_, x) => x);
      const r = checkAgainstModel(reluNet(w), bad, { engine });
      expect(r.mismatches).toBe(all.filter((x) => bad(x) !== reluModel(w)(x)).length);
      if (w === 10) expect(r.first).toEqual({ x: 5, expected: 1, actual: 5 });
    }
  });

  it.each(ENGINES)('%s: exhaustive check of a wide random circuit against an independent evaluation', (engine) => {
    const net = randomNetlist(77, 9, 1, 400, false);
    const xNet = new Netlist('rx');
    xNet.ports.push({ name: 'x', direction: 'input', bits: net.port('a').bits });
    xNet.ports.push({ name: 'y', direction: 'output', bits: net.port('y').bits });
    xNet.cells.push(...net.cells);
    xNet.nextNet = net.nextNet;
    const ref = Array.from({ length: 512 }, (_, x) => Number(evalNet(net, { a: BigInt(x), b: 0n }).y));
    expect(checkExhaustive(xNet, (x) => ref[x], { engine })).toEqual({ vectors: 512, mismatches: 0 });
    const r = checkExhaustive(xNet, (x) => (x === 300 ? ref[x] + 1 : ref[x]), { engine });
    expect(r).toEqual({ vectors: 512, mismatches: 1, first: { x: 300, expected: ref[300] + 1, actual: ref[300] } });
  });

  it('random beyond exhaustiveMaxBits, with edge cases, seeded and reproducible', () => {
    const w = 24;
    const r = checkAgainstModel(reluNet(w), reluModel(w), { randomVectors: 5000, seed: 42 });
    expect(r.method).toBe('random');
    expect(r.mismatches).toBe(0);
    expect(r.vectors).toBeGreaterThan(5000);
    // a model wrong only at the most negative input is caught by the edge cases
    const wrongAtMin = (x: number) => (x === 2 ** 23 ? 7 : reluModel(w)(x));
    const r2 = checkAgainstModel(reluNet(w), wrongAtMin, { randomVectors: 10, seed: 1 });
    expect(r2.mismatches).toBe(1);
    expect(r2.first).toEqual({ x: 2 ** 23, expected: 7, actual: 0 });
    expect(checkAgainstModel(reluNet(w), reluModel(w), { exhaustiveMaxBits: 24 }).method).toBe('exhaustive');
  });

  it('checkExhaustive over word ranges adds up to the whole', () => {
    const w = 14;
    const bad = (x: number) => (x % 1000 === 0 ? 3 : reluModel(w)(x));
    const whole = checkExhaustive(reluNet(w), bad);
    const parts = [
      [0, 100],
      [100, 333],
      [333, 512],
    ].map(([f, t]) => checkExhaustive(reluNet(w), bad, { fromWord: f, toWord: t }));
    expect(parts.reduce((s, p) => s + p.vectors, 0)).toBe(whole.vectors);
    expect(parts.reduce((s, p) => s + p.mismatches, 0)).toBe(whole.mismatches);
    expect(whole.mismatches).toBe(Math.ceil(2 ** 14 / 1000));
  });

  it('wide outputs (40 bits) compare exactly', () => {
    const b = new CircuitBuilder('wide');
    const x = b.input('x', 8);
    b.output('y', [...x, ...x, ...x, ...x, ...x]);
    expect(checkAgainstModel(b.net, (v) => v * (1 + 2 ** 8 + 2 ** 16 + 2 ** 24 + 2 ** 32)).mismatches).toBe(0);
  });
});
