import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyOverflow, convert, multiplyByQuantizedMultiplier, parseFormat, shiftRightRound } from '../../../src/fixedpoint/index.js';
import type { FixedFormat } from '../../../src/fixedpoint/types.js';
import { loadTech, VectorRng, simulateVectors, type Tech } from '../../../src/netlist/index.js';
import type { Netlist } from '../../../src/netlist/ir.js';
import {
  buildAccumulator,
  buildAffineRequant,
  buildMultiplier,
  buildPe,
  buildPow2Requant,
  macUnit,
  requantUnit,
} from '../../../src/hardware/index.js';

const SEED = 20240611;
const nangate = loadTech('nangate45');
const asap7 = loadTech('asap7');

const raw = (code: bigint, w: number) => Number(BigInt.asUintN(w, code));
const codeOf = (r: number, f: FixedFormat) => (f.signed ? BigInt.asIntN(f.width, BigInt(r)) : BigInt(r));
const randCode = (rng: VectorRng, f: FixedFormat) => codeOf(rng.bits(f.width), f);

/** Simulates `n` vectors given per-port raw patterns; returns output 'y' (or `out`) raw patterns. */
function run(net: Netlist, inputs: Record<string, number[]>, out = 'y'): Float64Array {
  const n = Object.values(inputs)[0]!.length;
  return simulateVectors(net, inputs, n).outputs[out]!;
}

/** Cells whose inputs are all bits of the named input ports (the partial products of an array multiplier). */
function cellsOnPorts(net: Netlist, ports: string[]): number {
  const bits = new Set(
    net
      .inputs()
      .filter((p) => ports.includes(p.name))
      .flatMap((p) => p.bits),
  );
  return net.cells.filter((c) => c.inputs.every((b) => bits.has(b))).length;
}

const macFormats = fc
  .record({
    ww: fc.integer({ min: 2, max: 10 }),
    wi: fc.integer({ min: 0, max: 10 }),
    ws: fc.boolean(),
    xw: fc.integer({ min: 2, max: 10 }),
    xi: fc.integer({ min: 0, max: 10 }),
    xs: fc.boolean(),
    aw: fc.integer({ min: 4, max: 30 }),
    ai: fc.integer({ min: -4, max: 24 }),
    ar: fc.constantFrom('TRN', 'RND', 'RND_CONV', 'TRN_ZERO'),
    ao: fc.constantFrom('WRAP', 'SAT'),
  })
  .map((r) => ({
    weight: { signed: r.ws, width: r.ww, intBits: r.wi, rounding: 'TRN', overflow: 'WRAP' } as FixedFormat,
    input: { signed: r.xs, width: r.xw, intBits: r.xi, rounding: 'TRN', overflow: 'WRAP' } as FixedFormat,
    acc: { signed: true, width: r.aw, intBits: r.ai, rounding: r.ar, overflow: r.ao } as FixedFormat,
  }));

describe('MAC datapath', () => {
  it('multiplier: exact product, W_w x W_x partial-product gates on the operand ports', () => {
    fc.assert(
      fc.property(macFormats, fc.integer(), (f, seed) => {
        const net = buildMultiplier(f);
        // An array multiplier forms one two-input partial product per (weight bit, input bit) pair.
        expect(cellsOnPorts(net, ['w', 'x'])).toBe(f.weight.width * f.input.width);
        const rng = new VectorRng(seed);
        const ws = Array.from({ length: 64 }, () => randCode(rng, f.weight));
        const xs = Array.from({ length: 64 }, () => randCode(rng, f.input));
        const wp = f.weight.width + f.input.width;
        const p = run(net, { w: ws.map((v) => raw(v, f.weight.width)), x: xs.map((v) => raw(v, f.input.width)) }, 'p');
        ws.forEach((w, k) => expect(p[k]).toBe(raw(w * xs[k]!, wp)));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('unsigned W x W multiplier: exactly W^2 AND partial products', () => {
    for (const w of [1, 2, 4, 8, 12]) {
      const u: FixedFormat = { signed: false, width: w, intBits: w, rounding: 'TRN', overflow: 'WRAP' };
      const net = buildMultiplier({ weight: u, input: u, acc: parseFormat('int32') });
      const pp = net.cells.filter((c) => c.inputs.every((b) => net.inputs().some((p) => p.bits.includes(b))));
      expect(pp.length).toBe(w * w);
      expect(pp.every((c) => c.type === '$_AND_')).toBe(true);
    }
  });

  it('accumulator: a W-bit ripple adder has 2W-1 XOR cells and W-1 carry cells', () => {
    for (const w of [8, 16, 24, 32]) {
      const s8 = parseFormat('fixed<8,4>');
      const net = buildAccumulator({
        weight: s8,
        input: s8,
        acc: { signed: true, width: w, intBits: w - 8, rounding: 'TRN', overflow: 'WRAP' },
      });
      const n = (t: string) => net.cells.filter((c) => c.type === t).length;
      expect(n('$_XOR_') + n('$_XNOR_')).toBe(2 * w - 1);
      expect(net.cells.length).toBe(3 * w - 2);
    }
  });

  it('PE = acc + w*x rounded to the accumulator LSB, then its overflow mode (bigint oracle); registers W_w + W_x + W_acc', () => {
    fc.assert(
      fc.property(macFormats, fc.integer(), (f, seed) => {
        const net = buildPe(f);
        // Registers whose bits cannot reach the result (e.g. product bits above a narrow wrapping accumulator) are pruned.
        expect(net.cells.filter((c) => c.type === '$_DFF_P_').length).toBeLessThanOrEqual(f.weight.width + f.input.width + f.acc.width);
        const rng = new VectorRng(seed);
        const n = 64;
        const ws = Array.from({ length: n }, () => randCode(rng, f.weight));
        const xs = Array.from({ length: n }, () => randCode(rng, f.input));
        const accs = Array.from({ length: n }, () => randCode(rng, f.acc));
        const y = run(net, {
          w: ws.map((v) => raw(v, f.weight.width)),
          x: xs.map((v) => raw(v, f.input.width)),
          acc: accs.map((v) => raw(v, f.acc.width)),
        });
        const fp = f.weight.width - f.weight.intBits + f.input.width - f.input.intBits;
        const fa = f.acc.width - f.acc.intBits;
        for (let k = 0; k < n; k++) {
          const p = shiftRightRound(ws[k]! * xs[k]!, fp - fa, f.acc.rounding);
          const want = applyOverflow(accs[k]! + p, f.acc).code;
          expect(y[k]).toBe(raw(want, f.acc.width));
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('macUnit reports the PE with energy per MAC; a faster, smaller technology keeps the gate counts', () => {
    const f = { weight: parseFormat('fixed<8,1>'), input: parseFormat('fixed<8,4>'), acc: parseFormat('fixed<24,12>') };
    const a = macUnit(f, nangate, 64);
    const b = macUnit(f, asap7, 64);
    expect(a.pe.gates).toBe(b.pe.gates);
    expect(a.pe.cells).toEqual(b.pe.cells);
    expect(a.multiplier.gates).toBe(b.multiplier.gates);
    expect(b.pe.areaUm2).toBeLessThan(a.pe.areaUm2);
    expect(b.pe.delayPs).toBeLessThan(a.pe.delayPs);
    expect(a.pe.registers).toBe(40);
    expect(a.pe.energyFjPerOp).toBeGreaterThan(0);
    // The PE holds the multiplier and the adder (and registers): never smaller than their sum.
    expect(a.pe.gates).toBe(a.multiplier.gates + a.accumulatorAdder.gates);
    expect(macUnit(f, nangate, 64)).toEqual(a); // seeded: identical reruns
  });
});

describe('requantization units', () => {
  const fmt = (signed: boolean, width: number, intBits: number, rounding = 'TRN', overflow = 'WRAP') =>
    ({ signed, width, intBits, rounding, overflow }) as FixedFormat;
  const outFormat = fc
    .record({
      s: fc.boolean(),
      w: fc.integer({ min: 2, max: 12 }),
      i: fc.integer({ min: -2, max: 10 }),
      r: fc.constantFrom('TRN', 'RND', 'RND_CONV', 'RND_ZERO', 'RND_INF', 'RND_MIN_INF', 'TRN_ZERO'),
      o: fc.constantFrom('WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'),
    })
    .map((r) => fmt(r.s, r.w, r.i, r.r, r.o));

  it('pow2: equals fixedpoint convert() for every channel format (shared or per-channel)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 4, max: 28 }), f: fc.integer({ min: 0, max: 16 }) }), { minLength: 1, maxLength: 4 }),
        outFormat,
        fc.integer(),
        (chs, out, seed) => {
          const acc = chs.map((c) => fmt(true, c.w, c.w - c.f));
          const net = buildPow2Requant({ kind: 'pow2', acc, out });
          const fmax = Math.max(...acc.map((a) => a.width - a.intBits));
          const wmax = Math.max(...acc.map((a) => a.width));
          const rng = new VectorRng(seed);
          const chan = Array.from({ length: 96 }, () => rng.bits(16) % acc.length);
          const codes = chan.map((c) => randCode(rng, acc[c]!));
          const inputs: Record<string, number[]> = { acc: codes.map((v) => raw(v, wmax)) };
          if (net.inputs().some((p) => p.name === 'shift')) inputs.shift = chan.map((c) => fmax - (acc[c]!.width - acc[c]!.intBits));
          const y = run(net, inputs);
          codes.forEach((v, k) => expect(y[k]).toBe(raw(convert(v, acc[chan[k]!]!, out).code, out.width)));
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('affine: equals gemmlowp MultiplyByQuantizedMultiplier + zero point, clamped', () => {
    for (const type of ['int8', 'uint8'] as const) {
      const out = parseFormat(type);
      const net = buildAffineRequant({ kind: 'affine', accBits: 32, out });
      const rng = new VectorRng(SEED);
      const n = 200;
      const acc: number[] = [],
        m: number[] = [],
        e: number[] = [],
        zp: number[] = [],
        want: number[] = [];
      for (let k = 0; k < n; k++) {
        const a = k < 4 ? [-(2 ** 31), 2 ** 31 - 1, 0, -1][k]! : (rng.next32() | 0) >> rng.bits(5);
        const mult = k === 0 ? -(2 ** 31) : 2 ** 30 + rng.bits(30);
        const ex = rng.bits(5);
        const z = type === 'int8' ? rng.bits(8) - 128 : rng.bits(8);
        const [lo, hi] = type === 'int8' ? [-128, 127] : [0, 255];
        acc.push(raw(BigInt(a), 32));
        m.push(raw(BigInt(mult), 32));
        e.push(ex);
        zp.push(raw(BigInt(z), 9));
        const v = multiplyByQuantizedMultiplier(a, mult, -ex, 'gemmlowp') + z;
        want.push(raw(BigInt(Math.min(hi, Math.max(lo, v))), 8));
      }
      const y = run(net, { acc, m, e, zp });
      want.forEach((w, k) => expect(y[k]).toBe(w));
    }
  });

  it('changing the technology changes area and delay, never gate counts', () => {
    const spec = { kind: 'pow2' as const, acc: [parseFormat('fixed<24,12>')], out: parseFormat('fixed<8,4,RND_CONV,SAT>') };
    const techs: Tech[] = [nangate, asap7];
    const [a, b] = techs.map((t) => requantUnit(spec, t));
    expect(a!.circuit.cells).toEqual(b!.circuit.cells);
    expect(a!.circuit.areaUm2).not.toBe(b!.circuit.areaUm2);
    expect(a!.circuit.delayPs).not.toBe(b!.circuit.delayPs);
    expect(a!.key).toBe('requant pow2 fixed<24,12> -> fixed<8,4,RND_CONV,SAT>');
  });
});
