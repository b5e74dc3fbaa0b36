import { describe, expect, it } from 'vitest';
import { edgeCasePatterns, selectVectors } from '../../src/verilog/index.js';

/** Two's complement raw pattern of a signed code, written out independently. */
const raw = (code: bigint, w: number): bigint => (code < 0n ? code + (1n << BigInt(w)) : code);

describe('selectVectors', () => {
  it('covers every input code up to 16 bits, in ascending raw order', () => {
    const s8 = selectVectors({ signed: true, width: 8 });
    expect(s8.method).toBe('exhaustive');
    expect(s8.inputs).toEqual(Array.from({ length: 256 }, (_, i) => BigInt(i)));
    const s16 = selectVectors({ signed: false, width: 16 });
    expect(s16.inputs.length).toBe(65536);
    expect(s16.inputs[65535]).toBe(65535n);
  });

  it('above 16 bits: the edge cases, then 100,000 seeded random codes inside the range', () => {
    const s = selectVectors({ signed: true, width: 17 }, { seed: 7 });
    expect(s.method).toBe('random');
    expect(s.seed).toBe(7);
    expect(s.inputs.length).toBe(s.edgeCases! + 100_000);
    expect(s.inputs.filter((x) => x < 0n || x >= 1n << 17n)).toEqual([]);
    const edges = new Set(s.inputs.slice(0, s.edgeCases));
    const expected = [
      -(1n << 16n),
      (1n << 16n) - 1n,
      0n,
      1n,
      -1n,
      256n,
      -256n,
      255n,
      257n,
      -255n,
      -257n,
      2n,
      3n,
      -2n,
      -3n,
      -(1n << 16n) + 1n,
    ];
    for (const c of expected) expect(edges.has(raw(c, 17)), `code ${c}`).toBe(true);
    expect(edges.size).toBe(s.edgeCases); // no duplicates among the edge cases
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = selectVectors({ signed: false, width: 24 }, { seed: 3, randomCount: 500 });
    const b = selectVectors({ signed: false, width: 24 }, { seed: 3, randomCount: 500 });
    const c = selectVectors({ signed: false, width: 24 }, { seed: 4, randomCount: 500 });
    expect(a.inputs).toEqual(b.inputs);
    expect(a.inputs).not.toEqual(c.inputs);
  });

  it('draws wide patterns uniformly over all W bits', () => {
    const s = selectVectors({ signed: false, width: 64 }, { randomCount: 4000, seed: 11 });
    const random = s.inputs.slice(s.edgeCases);
    for (const bit of [0n, 31n, 32n, 63n]) {
      const ones = random.filter((x) => (x >> bit) & 1n).length;
      expect(ones, `bit ${bit}`).toBeGreaterThan(1800);
      expect(ones, `bit ${bit}`).toBeLessThan(2200);
    }
    expect(random.every((x) => x < 1n << 64n)).toBe(true);
  });
});

describe('edgeCasePatterns', () => {
  it('unsigned: 0, max, and every power of two with its neighbours', () => {
    const e = new Set(edgeCasePatterns(false, 20));
    for (const c of [0n, 1n, (1n << 20n) - 1n, 1n << 19n, (1n << 19n) + 1n, (1n << 19n) - 1n, 1024n, 1023n, 1025n])
      expect(e.has(c), `code ${c}`).toBe(true);
    for (const x of e) expect(x < 1n << 20n).toBe(true);
  });
  it('signed 2-bit: exactly the four codes', () => {
    expect(new Set(edgeCasePatterns(true, 2))).toEqual(new Set([0n, 1n, 2n, 3n]));
  });
});
