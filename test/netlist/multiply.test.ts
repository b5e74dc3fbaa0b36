import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csdDigits, multiply, multiplyConst, multiplyConstWidth } from '../../src/netlist/index.js';
import { circuit, evalNet, fromRaw, range, toRaw } from './helpers.js';

const SEED = 3004;

describe('multiply (array multiplier)', () => {
  it('exhaustive for widths 1..4 x 1..4 and every signedness mix', () => {
    for (const sx of [false, true]) {
      for (const sy of [false, true]) {
        for (let wx = 1; wx <= 4; wx++) {
          for (let wy = 1; wy <= 4; wy++) {
            const net = circuit('mul', { x: wx, y: wy }, (b, i) => ({ p: multiply(b, i.x, i.y, sx, sy) }));
            for (let x = 0n; x < 1n << BigInt(wx); x++) {
              for (let y = 0n; y < 1n << BigInt(wy); y++) {
                const exp = toRaw(fromRaw(x, wx, sx) * fromRaw(y, wy, sy), wx + wy);
                expect([sx, sy, wx, wy, x, y, evalNet(net, { x, y }).p]).toEqual([sx, sy, wx, wy, x, y, exp]);
              }
            }
          }
        }
      }
    }
  });

  it('exhaustive 6x6 signed (Baugh-Wooley) and unsigned', () => {
    for (const s of [false, true]) {
      const net = circuit('mul', { x: 6, y: 6 }, (b, i) => ({ p: multiply(b, i.x, i.y, s, s) }));
      for (let x = 0n; x < 64n; x++) {
        for (let y = 0n; y < 64n; y++) {
          expect(evalNet(net, { x, y }).p).toBe(toRaw(fromRaw(x, 6, s) * fromRaw(y, 6, s), 12));
        }
      }
    }
  });

  it('random widths up to 24 x 24', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.boolean(),
        fc.boolean(),
        fc.bigInt(),
        fc.bigInt(),
        (wx, wy, sx, sy, xa, ya) => {
          const x = toRaw(xa, wx),
            y = toRaw(ya, wy);
          const net = circuit('mul', { x: wx, y: wy }, (b, i) => ({ p: multiply(b, i.x, i.y, sx, sy) }));
          return evalNet(net, { x, y }).p === toRaw(fromRaw(x, wx, sx) * fromRaw(y, wy, sy), wx + wy);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('8x8 unsigned array multiplier: 64 AND cells and no constant rows', () => {
    const net = circuit('mul', { x: 8, y: 8 }, (b, i) => ({ p: multiply(b, i.x, i.y, false, false) }));
    expect(net.cells.filter((c) => c.type === '$_AND_').length).toBeGreaterThanOrEqual(64);
    expect(net.cells.length).toBeLessThan(64 + 8 * 8 * 3 + 16 * 3);
  });
});

describe('multiplyConst (CSD shift-add)', () => {
  it('CSD digits reconstruct the constant and are non-adjacent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), (c) => {
        const d = csdDigits(c);
        const sum = d.reduce((s, { pos, sign }) => s + BigInt(sign) * (1n << BigInt(pos)), 0n);
        return sum === c && d.every((e, i) => i === 0 || e.pos > d[i - 1].pos + 1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('exhaustive at 1..6 bits for constants -40..40', () => {
    for (const signed of [false, true]) {
      for (let w = 1; w <= 6; w++) {
        for (let c = -40n; c <= 40n; c++) {
          const wo = multiplyConstWidth(w, c, signed);
          const net = circuit('mc', { x: w }, (b, i) => ({ p: multiplyConst(b, i.x, c, signed) }));
          expect(net.port('p').bits).toHaveLength(wo);
          const [lo, hi] = range(w, signed);
          for (let x = lo; x <= hi; x++) {
            const got = fromRaw(evalNet(net, { x: toRaw(x, w) }).p, wo, signed || c < 0n);
            expect([w, c, x, got]).toEqual([w, c, x, x * c]);
          }
        }
      }
    }
  });

  it('random widths and constants up to 32 bits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.boolean(),
        fc.bigInt({ min: -(1n << 32n), max: 1n << 32n }),
        fc.bigInt(),
        (w, signed, c, xa) => {
          const [lo, hi] = range(w, signed);
          const x = lo + (((xa % (hi - lo + 1n)) + hi - lo + 1n) % (hi - lo + 1n));
          const wo = multiplyConstWidth(w, c, signed);
          const net = circuit('mc', { x: w }, (b, i) => ({ p: multiplyConst(b, i.x, c, signed) }));
          return fromRaw(evalNet(net, { x: toRaw(x, w) }).p, wo, signed || c < 0n) === x * c;
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('powers of two are pure wiring', () => {
    const net = circuit('mc', { x: 8 }, (b, i) => ({ p: multiplyConst(b, i.x, 16n, true) }));
    expect(net.cells).toHaveLength(0);
  });
});
