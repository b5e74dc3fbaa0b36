import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FixedFormat, Overflow, Rounding } from '../../src/fixedpoint/types.js';
import { convertBits } from '../../src/netlist/index.js';
import { circuit, evalNet, fromRaw, range, toRaw } from './helpers.js';

const SEED = 3005;
const ROUNDINGS: Rounding[] = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV'];
const OVERFLOWS: Overflow[] = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'];

/** Floor division of bigints. */
function floorDiv(a: bigint, d: bigint): bigint {
  const q = a / d;
  return a % d !== 0n && a < 0n !== d < 0n ? q - 1n : q;
}

/**
 * The spec (docs/fixed-point.md), written as exact rational arithmetic: the code's
 * real value code * 2^-F_from expressed in units of 2^-F_to is code / 2^s;
 * round by the target's mode (ties decided on the remainder), then apply the
 * target's overflow mode to its range.
 */
function oracle(code: bigint, from: FixedFormat, to: FixedFormat): { code: bigint; overflow: boolean } {
  const s = BigInt(from.width - from.intBits - (to.width - to.intBits));
  let v: bigint;
  if (s <= 0n) {
    v = code * (1n << -s);
  } else {
    const den = 1n << s;
    const q = floorDiv(code, den);
    const twice = 2n * (code - q * den); // 2 * remainder, compared with den
    const up = ((): boolean => {
      switch (to.rounding) {
        case 'TRN':
          return false;
        case 'TRN_ZERO':
          return code < 0n && twice !== 0n;
        case 'RND':
          return twice >= den;
        case 'RND_ZERO':
          return twice > den || (twice === den && code < 0n);
        case 'RND_MIN_INF':
          return twice > den;
        case 'RND_INF':
          return twice > den || (twice === den && code >= 0n);
        case 'RND_CONV':
          return twice > den || (twice === den && (q & 1n) === 1n);
      }
    })();
    v = up ? q + 1n : q;
  }
  const [min, hi] = range(to.width, to.signed);
  const lo = to.signed && to.overflow === 'SAT_SYM' ? -hi : min;
  const overflow = v < lo || v > hi;
  if (!overflow) return { code: v, overflow };
  switch (to.overflow) {
    case 'WRAP':
      return { code: fromRaw(toRaw(v, to.width), to.width, to.signed), overflow };
    case 'SAT_ZERO':
      return { code: 0n, overflow };
    default:
      return { code: v < lo ? lo : hi, overflow };
  }
}

function fmt(signed: boolean, width: number, intBits: number, rounding: Rounding = 'TRN', overflow: Overflow = 'WRAP'): FixedFormat {
  return { signed, width, intBits, rounding, overflow };
}

function checkAll(from: FixedFormat, to: FixedFormat): void {
  const net = circuit('cv', { x: from.width }, (b, i) => {
    const r = convertBits(b, i.x, from, to);
    return { y: r.y, o: [r.overflow] };
  });
  const [lo, hi] = range(from.width, from.signed);
  for (let c = lo; c <= hi; c++) {
    const r = evalNet(net, { x: toRaw(c, from.width) });
    const exp = oracle(c, from, to);
    const got = { code: fromRaw(r.y, to.width, to.signed), overflow: r.o === 1n };
    if (got.code !== exp.code || got.overflow !== exp.overflow) {
      expect({ from, to, c, got }).toEqual({ from, to, c, got: exp });
    }
  }
}

describe('convertBits', () => {
  it('the oracle reproduces the worked example fixed<3,2,RND>: 1.25 -> 1.5, -1.25 -> -1.0', () => {
    // 1.25 and -1.25 as codes of fixed<8,2> (F = 6): 80 and -80
    const from = fmt(true, 8, 2),
      to = fmt(true, 3, 2, 'RND');
    expect(oracle(80n, from, to).code).toBe(3n); // 3 * 0.5 = 1.5
    expect(oracle(-80n, from, to).code).toBe(-2n); // -1.0
  });

  it('every rounding and overflow mode, exhaustive over inputs, fixed formats pairs', () => {
    const pairs: [FixedFormat, FixedFormat][] = [
      [fmt(true, 8, 4), fmt(true, 4, 2)],
      [fmt(true, 8, 4), fmt(true, 4, 4)],
      [fmt(false, 8, 4), fmt(true, 4, 3)],
      [fmt(true, 6, 2), fmt(false, 4, 2)],
      [fmt(true, 4, 2), fmt(true, 8, 5)],
      [fmt(true, 6, 6), fmt(true, 3, 1)],
      [fmt(true, 5, 0), fmt(true, 3, -1)],
      [fmt(true, 3, 1), fmt(true, 2, 8)],
      [fmt(false, 5, 5), fmt(false, 3, 2)],
      [fmt(true, 1, 1), fmt(true, 1, 0)],
    ];
    for (const [f, t] of pairs) {
      for (const r of ROUNDINGS) for (const o of OVERFLOWS) checkAll(f, { ...t, rounding: r, overflow: o });
    }
  });

  it('random formats (fast-check), exhaustive over input codes', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: -4, max: 12 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: -4, max: 12 }),
        fc.constantFrom(...ROUNDINGS),
        fc.constantFrom(...OVERFLOWS),
        (s1, w1, i1, s2, w2, i2, r, o) => {
          checkAll(fmt(s1, w1, i1), fmt(s2, w2, i2, r, o));
          return true;
        },
      ),
      { seed: SEED, numRuns: 250 },
    );
  });

  it('wide formats (up to 40 bits) on random codes', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -8, max: 48 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: -8, max: 48 }),
        fc.constantFrom(...ROUNDINGS),
        fc.constantFrom(...OVERFLOWS),
        fc.array(fc.bigInt(), { minLength: 8, maxLength: 8 }),
        (s1, w1, i1, s2, w2, i2, r, o, raws) => {
          const from = fmt(s1, w1, i1),
            to = fmt(s2, w2, i2, r, o);
          const net = circuit('cv', { x: w1 }, (b, i) => {
            const res = convertBits(b, i.x, from, to);
            return { y: res.y, o: [res.overflow] };
          });
          return raws.every((raw) => {
            const c = fromRaw(toRaw(raw, w1), w1, s1);
            const got = evalNet(net, { x: toRaw(c, w1) });
            const exp = oracle(c, from, to);
            return fromRaw(got.y, w2, s2) === exp.code && (got.o === 1n) === exp.overflow;
          });
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('same format in and out is pure wiring', () => {
    const f = fmt(true, 8, 4, 'RND_CONV', 'SAT');
    const net = circuit('cv', { x: 8 }, (b, i) => ({ y: convertBits(b, i.x, f, f).y }));
    expect(net.cells).toHaveLength(0);
  });
});
