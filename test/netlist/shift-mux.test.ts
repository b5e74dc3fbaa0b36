import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barrelShift, muxBits, shiftLeftConst, shiftRightConst } from '../../src/netlist/index.js';
import { circuit, evalNet, fromRaw, toRaw } from './helpers.js';

const SEED = 3003;

describe('muxBits', () => {
  it('selects c when s = 1, a when s = 0 (random widths)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.bigInt(), fc.bigInt(), fc.boolean(), (w, aa, ca, s) => {
        const a = toRaw(aa, w),
          c = toRaw(ca, w);
        const net = circuit('m', { a: w, c: w, s: 1 }, (b, i) => ({ y: muxBits(b, i.a, i.c, i.s[0]) }));
        return evalNet(net, { a, c, s: s ? 1n : 0n }).y === (s ? c : a) && net.cells.length === w;
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('constant shifts (wiring)', () => {
  it('match integer shifts and add no gates', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 45 }), fc.bigInt(), (w, n, xa) => {
        const x = toRaw(xa, w);
        const net = circuit('s', { x: w }, (_b, i) => ({
          l: shiftLeftConst(i.x, n),
          rl: shiftRightConst(i.x, n, false),
          ra: shiftRightConst(i.x, n, true),
        }));
        const r = evalNet(net, { x });
        return (
          net.cells.length === 0 &&
          r.l === toRaw(x << BigInt(n), w) &&
          r.rl === x >> BigInt(n) &&
          r.ra === toRaw(fromRaw(x, w, true) >> BigInt(n), w)
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('barrelShift', () => {
  it('exhaustive at 1..6 bits for all amounts of a 3-bit shift input', () => {
    for (let w = 1; w <= 6; w++) {
      for (const dir of ['left', 'right'] as const) {
        for (const arith of [false, true]) {
          const net = circuit('bs', { x: w, a: 3 }, (b, i) => ({ y: barrelShift(b, i.x, i.a, dir, arith) }));
          for (let x = 0n; x < 1n << BigInt(w); x++) {
            for (let a = 0n; a < 8n; a++) {
              const exp = dir === 'left' ? toRaw(x << a, w) : arith ? toRaw(fromRaw(x, w, true) >> a, w) : x >> a;
              expect(evalNet(net, { x, a }).y).toBe(exp);
            }
          }
        }
      }
    }
  });

  it('random widths up to 32 bits with 5- and 6-bit amounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 5, max: 6 }),
        fc.bigInt(),
        fc.nat(),
        fc.constantFrom('left', 'right') as fc.Arbitrary<'left' | 'right'>,
        fc.boolean(),
        (w, wa, xa, an, dir, arith) => {
          const x = toRaw(xa, w),
            a = BigInt(an % 2 ** wa);
          const net = circuit('bs', { x: w, a: wa }, (b, i) => ({ y: barrelShift(b, i.x, i.a, dir, arith) }));
          const exp = dir === 'left' ? toRaw(x << a, w) : arith ? toRaw(fromRaw(x, w, true) >> a, w) : x >> a;
          return evalNet(net, { x, a }).y === exp;
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
