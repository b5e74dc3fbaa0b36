import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE, ZERO, add, constBits, increment, negate, signExtend, subtract, zeroExtend } from '../../src/netlist/index.js';
import { circuit, countType, evalNet } from './helpers.js';

const SEED = 3001;
const styles = ['ripple', 'kogge-stone'] as const;

function adder(w: number, style: (typeof styles)[number]) {
  return circuit(`add${w}`, { x: w, y: w, c: 1 }, (b, i) => {
    const r = add(b, i.x, i.y, i.c[0], style);
    return { s: r.sum, co: [r.carry] };
  });
}

describe('bit helpers', () => {
  it('constBits / extensions', () => {
    expect(constBits(5n, 4)).toEqual([ONE, ZERO, ONE, ZERO]);
    expect(constBits(-1n, 3)).toEqual([ONE, ONE, ONE]);
    expect(constBits(-2n, 3)).toEqual([ZERO, ONE, ONE]);
    expect(signExtend([7, 8], 4)).toEqual([7, 8, 8, 8]);
    expect(zeroExtend([7, 8], 4)).toEqual([7, 8, ZERO, ZERO]);
    expect(signExtend([7, 8, 9], 2)).toEqual([7, 8]);
  });
});

describe('add', () => {
  for (const style of styles) {
    it(`${style}: exhaustive at 1..5 bits against integer addition`, () => {
      for (let w = 1; w <= 5; w++) {
        const net = adder(w, style);
        const m = 1n << BigInt(w);
        for (let x = 0n; x < m; x++) {
          for (let y = 0n; y < m; y++) {
            for (const c of [0n, 1n]) {
              const r = evalNet(net, { x, y, c });
              const s = x + y + c;
              expect(r.s).toBe(s % m);
              expect(r.co).toBe(s / m);
            }
          }
        }
      }
    });

    it(`${style}: random widths up to 64 bits`, () => {
      const nets = new Map<number, ReturnType<typeof adder>>();
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 64 }), fc.bigInt(), fc.bigInt(), fc.boolean(), (w, xa, ya, c) => {
          const m = 1n << BigInt(w);
          const x = ((xa % m) + m) % m,
            y = ((ya % m) + m) % m;
          if (!nets.has(w)) nets.set(w, adder(w, style));
          const r = evalNet(nets.get(w)!, { x, y, c: c ? 1n : 0n });
          const s = x + y + (c ? 1n : 0n);
          return r.s === s % m && r.co === s / m;
        }),
        { seed: SEED, numRuns: 200 },
      );
    });
  }

  it('ripple-carry adder cell count: 2 XOR + 1 MUX per bit (cin = 0 folds bit 0 to a half adder)', () => {
    const net = circuit('add8', { x: 8, y: 8 }, (b, i) => ({ s: add(b, i.x, i.y).sum }));
    // bit 0: XOR only (carry = x0 & y0 as ANDNOT/AND); bits 1..6: 2 XOR + MUX; bit 7: 2 XOR (no carry out used)
    expect(countType(net, '$_XOR_')).toBe(1 + 2 * 7);
    expect(countType(net, '$_MUX_')).toBe(6);
    expect(net.cells).toHaveLength(1 + 1 + 6 * 3 + 2);
  });

  it('kogge-stone is shallower than ripple at 32 bits', () => {
    const depth = (style: (typeof styles)[number]) => {
      const net = circuit('a', { x: 32, y: 32 }, (b, i) => ({ s: add(b, i.x, i.y, ZERO, style).sum }));
      const level = new Map<number, number>();
      for (const c of net.cells) level.set(c.output, 1 + Math.max(0, ...c.inputs.map((v) => level.get(v) ?? 0)));
      return Math.max(...level.values());
    };
    // generate, log2(32) = 5 levels of AND+OR, final XOR
    expect(depth('kogge-stone')).toBeLessThanOrEqual(2 + 2 * 5);
    expect(depth('ripple')).toBeGreaterThan(30);
  });
});

describe('subtract / negate / increment', () => {
  it('exhaustive at 1..5 bits', () => {
    for (let w = 1; w <= 5; w++) {
      const net = circuit('sub', { x: w, y: w }, (b, i) => {
        const d = subtract(b, i.x, i.y);
        return { d: d.diff, bo: [d.borrow], n: negate(b, i.x), inc: increment(b, i.x).sum };
      });
      const m = 1n << BigInt(w);
      for (let x = 0n; x < m; x++) {
        for (let y = 0n; y < m; y++) {
          const r = evalNet(net, { x, y });
          expect(r.d).toBe((((x - y) % m) + m) % m);
          expect(r.bo).toBe(x < y ? 1n : 0n);
          expect(r.n).toBe((m - x) % m);
          expect(r.inc).toBe((x + 1n) % m);
        }
      }
    }
  });

  it('random widths up to 64 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.bigInt(), fc.bigInt(), (w, xa, ya) => {
        const m = 1n << BigInt(w);
        const x = ((xa % m) + m) % m,
          y = ((ya % m) + m) % m;
        const net = circuit('sub', { x: w, y: w }, (b, i) => {
          const d = subtract(b, i.x, i.y, 'kogge-stone');
          return { d: d.diff, bo: [d.borrow], n: negate(b, i.x) };
        });
        const r = evalNet(net, { x, y });
        return r.d === (((x - y) % m) + m) % m && r.bo === (x < y ? 1n : 0n) && r.n === (m - x) % m;
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
