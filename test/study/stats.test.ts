// The study's statistics against independent values: Student-t quantiles from
// a printed table, a t-interval worked by hand, Wilcoxon signed-rank p-values
// worked by hand (with and without ties), and a brute-force enumeration of
// all sign patterns as the oracle for the exact distribution.
import fc from 'fast-check';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { mean, pairedComparison, sd, signedRanks, tInterval, wilcoxonSignedRank } from '../../src/study/stats.js';

describe('Student t', () => {
  it('quantiles match the two-sided 95 % / one-sided 95 % table (3 decimals)', () => {
    // t(0.975, df) and t(0.95, df) as printed in standard tables (e.g. NIST/SEMATECH e-Handbook, table 1.4.7.2).
    const table: [number, number, number][] = [
      [1, 12.706, 6.314],
      [2, 4.303, 2.92],
      [4, 2.776, 2.132],
      [9, 2.262, 1.833],
      [19, 2.093, 1.729],
      [30, 2.042, 1.697],
    ];
    for (const [df, t975, t95] of table) {
      expect(Math.abs(tQuantile(0.975, df) - t975), `df ${df}`).toBeLessThan(5e-4);
      expect(Math.abs(tQuantile(0.95, df) - t95), `df ${df}`).toBeLessThan(5e-4);
    }
  });

  it('interval of 1..5 worked by hand: mean 3, sd √2.5, half-width 2.776 · √2.5 / √5', () => {
    const i = tInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    expect(i.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    const h = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5); // 1.96293...
    expect(Math.abs(i.lo! - (3 - h))).toBeLessThan(1e-3);
    expect(Math.abs(i.hi! - (3 + h))).toBeLessThan(1e-3);
    expect(tInterval([0.9]).lo).toBeNull();
    expect(mean([2, 4])).toBe(3);
    expect(sd([7])).toBe(0);
  });
});

describe('Wilcoxon signed-rank, exact', () => {
  it('d = (3, −1, 4, 2, 5): W+ = 14, two-sided p = 4/32', () => {
    // Sign patterns as extreme as W+ = 14 (|W+ − 7.5| ≥ 6.5): rank sums 15, 14, 1, 0 -> 4 of 32.
    const w = wilcoxonSignedRank([3, -1, 4, 2, 5]);
    expect(w).toEqual({ n: 5, wPlus: 14, p: 4 / 32, minP: 2 / 32 });
    expect(wilcoxonSignedRank([0, 3, -1, 4, 2, 5, 0])).toEqual(w);
  });

  it('all of n differences positive: p = 2 / 2^n (n = 5 cannot reach 0.05, n = 6 can)', () => {
    expect(wilcoxonSignedRank([0.1, 0.2, 0.3, 0.4, 0.5]).p).toBe(0.0625);
    expect(wilcoxonSignedRank([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]).p).toBe(0.03125);
    expect(wilcoxonSignedRank([-1, -2, -3, -4, -5]).wPlus).toBe(0);
    expect(wilcoxonSignedRank([]).p).toBe(1);
  });

  it('ties worked by hand: d = (1, −1, 2, 2), mid-ranks 1.5, 1.5, 3.5, 3.5, W+ = 8.5, p = 6/16', () => {
    // W+ = 1.5k + 3.5m over C(2,k)·C(2,m) patterns; |W+ − 5| ≥ 3.5 for sums 0 (1), 1.5 (2), 8.5 (2), 10 (1).
    expect(signedRanks([1, -1, 2, 2]).map((r) => r.rank)).toEqual([1.5, 1.5, 3.5, 3.5]);
    const w = wilcoxonSignedRank([1, -1, 2, 2]);
    expect(w.wPlus).toBe(8.5);
    expect(w.p).toBe(6 / 16);
  });

  it('equals brute-force enumeration of every sign pattern (ties included)', () => {
    const brute = (d: number[]): number => {
      const a = d.filter((x) => x !== 0).map(Math.abs);
      // Mid-rank by counting: smaller values + (equal values + 1) / 2.
      const rank = a.map((x) => a.filter((y) => y < x).length + (a.filter((y) => y === x).length + 1) / 2);
      const half = rank.reduce((s, r) => s + r, 0) / 2;
      const obs = Math.abs(d.filter((x) => x !== 0).reduce((s, x, i) => s + (x > 0 ? rank[i]! : 0), 0) - half);
      let hit = 0;
      for (let m = 0; m < 2 ** a.length; m++) {
        let w = 0;
        for (let i = 0; i < a.length; i++) if (m & (1 << i)) w += rank[i]!;
        if (Math.abs(w - half) >= obs - 1e-9) hit++;
      }
      return a.length === 0 ? 1 : hit / 2 ** a.length;
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -4, max: 4 }), { maxLength: 11 }), (d) => {
        expect(wilcoxonSignedRank(d).p).toBeCloseTo(brute(d), 12);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});

describe('paired comparison', () => {
  it('differences, interval and verdict', () => {
    const relu = [0.9, 0.91, 0.92, 0.93, 0.94];
    const better = pairedComparison(
      relu.map((x, i) => x + 0.01 + 0.001 * i),
      relu,
    );
    expect(better.differences).toEqual([0.01, 0.011, 0.012, 0.013, 0.014]);
    expect(better.verdict).toBe('better');
    expect(better.wilcoxon.p).toBe(0.0625);
    const noise = pairedComparison([0.91, 0.9, 0.93, 0.92, 0.94], relu);
    expect(noise.verdict).toBe('within noise');
    expect(
      pairedComparison(
        relu.map((x) => x - 0.02),
        relu,
      ).verdict,
    ).toBe('worse');
  });

  it('equal accuracy differences (k/n − j/n) tie exactly', () => {
    // 0.9527... − 0.95 and 0.9583... − 0.9555... are both 1/360 but differ in float rounding.
    const c = pairedComparison([343 / 360, 345 / 360], [342 / 360, 344 / 360]);
    expect(c.differences[0]).toBe(c.differences[1]);
    expect(signedRanks(c.differences).map((r) => r.rank)).toEqual([1.5, 1.5]);
  });
});
