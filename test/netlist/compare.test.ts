import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareConst, equalBits, lessThan, type CompareOp } from '../../src/netlist/index.js';
import { circuit, evalNet, fromRaw, range, toRaw } from './helpers.js';

const SEED = 3002;
const OPS: CompareOp[] = ['<', '<=', '>', '>=', '=='];

function oracle(x: bigint, c: bigint, op: CompareOp): boolean {
  switch (op) {
    case '<':
      return x < c;
    case '<=':
      return x <= c;
    case '>':
      return x > c;
    case '>=':
      return x >= c;
    case '==':
      return x === c;
  }
}

describe('lessThan / equal', () => {
  it('exhaustive at 1..5 bits, signed and unsigned, equal and unequal widths', () => {
    for (const signed of [false, true]) {
      for (let wx = 1; wx <= 4; wx++) {
        for (let wy = 1; wy <= 5; wy++) {
          const net = circuit('lt', { x: wx, y: wy }, (b, i) => ({
            lt: [lessThan(b, i.x, i.y, signed)],
            eq: [equalBits(b, i.x, i.y, signed)],
          }));
          for (let x = 0n; x < 1n << BigInt(wx); x++) {
            for (let y = 0n; y < 1n << BigInt(wy); y++) {
              const r = evalNet(net, { x, y });
              const xv = fromRaw(x, wx, signed),
                yv = fromRaw(y, wy, signed);
              expect(r.lt).toBe(xv < yv ? 1n : 0n);
              expect(r.eq).toBe(xv === yv ? 1n : 0n);
            }
          }
        }
      }
    }
  });

  it('random widths up to 48 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.boolean(), fc.bigInt(), fc.bigInt(), (w, signed, xa, ya) => {
        const [lo, hi] = range(w, signed);
        const span = hi - lo + 1n;
        const x = lo + (((xa % span) + span) % span),
          y = lo + (((ya % span) + span) % span);
        const net = circuit('lt', { x: w, y: w }, (b, i) => ({ lt: [lessThan(b, i.x, i.y, signed)] }));
        return evalNet(net, { x: toRaw(x, w), y: toRaw(y, w) }).lt === (x < y ? 1n : 0n);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe('compareConst', () => {
  it('exhaustive at 1..5 bits for every constant in and around the range', () => {
    for (const signed of [false, true]) {
      for (let w = 1; w <= 5; w++) {
        const [lo, hi] = range(w, signed);
        for (let c = lo - 2n; c <= hi + 2n; c++) {
          const net = circuit('cc', { x: w }, (b, i) => ({ y: OPS.map((op) => compareConst(b, i.x, c, op, signed)) }));
          // folding: at most one 2-input cell per relevant bit per comparison (+ inverters shared)
          expect(net.cells.length).toBeLessThanOrEqual(5 * w + w);
          for (let x = lo; x <= hi; x++) {
            const r = evalNet(net, { x: toRaw(x, w) }).y;
            OPS.forEach((op, k) => expect([op, x, c, (r >> BigInt(k)) & 1n]).toEqual([op, x, c, oracle(x, c, op) ? 1n : 0n]));
          }
        }
      }
    }
  });

  it('random widths and constants up to 40 bits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.bigInt(),
        fc.bigInt(),
        fc.constantFrom(...OPS),
        (w, signed, xa, ca, op) => {
          const [lo, hi] = range(w, signed);
          const span = hi - lo + 1n;
          const x = lo + (((xa % span) + span) % span);
          const c = lo - 3n + (((ca % (span + 6n)) + span + 6n) % (span + 6n));
          const net = circuit('cc', { x: w }, (b, i) => ({ y: [compareConst(b, i.x, c, op, signed)] }));
          return net.cells.length <= w && evalNet(net, { x: toRaw(x, w) }).y === (oracle(x, c, op) ? 1n : 0n);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('folds constants out of range to no gates, and x >= 0 (signed) to one inverter', () => {
    const always = circuit('cc', { x: 8 }, (b, i) => ({
      y: [compareConst(b, i.x, 200n, '<', true), compareConst(b, i.x, -129n, '>', true)],
    }));
    expect(always.cells).toHaveLength(0);
    expect(evalNet(always, { x: 5n }).y).toBe(3n);
    const nonneg = circuit('cc', { x: 8 }, (b, i) => ({ y: [compareConst(b, i.x, 0n, '>=', true)] }));
    expect(nonneg.cells.map((c) => c.type)).toEqual(['$_NOT_']);
  });
});
