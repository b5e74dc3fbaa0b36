import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convF64, matmulF64, quantizeF64 } from '../../../src/sim/reference/wasm/kernels.js';
import { quantizeReal, realFormat } from '../../../src/sim/reference/pow2/real.js';
import { convStep } from '../../../src/sim/reference/pow2/resident.js';
import { ReferenceMemory } from '../../../src/sim/reference/wasm/resident.js';
import { geometry, outSize } from './conv-geometry.js';
import { MODES, OVFS, quantizeOracle, ratOfDouble, type Fmt } from '../../fixedpoint/oracle.js';

/*
 * The float reference's WebAssembly kernels against plain float64 loops
 * written here in the documented order: each output starts at its initial
 * value and adds each product in increasing index order (dense: k; conv:
 * taps (c, i, j) row-major, padded taps included as +0), every product and
 * sum rounded to nearest. Same order, so equality is exact (Object.is: -0
 * and NaN included), for any doubles, not only the exact ones the reference
 * feeds them. The quantize kernel against the bigint fixed-point oracle
 * (and, for the sign of zero, which the oracle lacks, the scalar quantizeReal).
 */

const anyDouble = fc.oneof(
  fc.double(),
  fc.integer({ min: -300, max: 300 }).map((v) => v / 8),
);

function expectSame(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) expect({ i, got: got[i] }).toEqual({ i, got: want[i] });
}

describe('reference matmul kernel', () => {
  it('equals s = c; s = s + a[i,p] * b[p,j] for p increasing, bit for bit', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 11 }));
    fc.assert(
      fc.property(
        dims.chain(([m, k, n]) =>
          fc.tuple(
            fc.constant([m, k, n] as const),
            fc.array(anyDouble, { minLength: m * k, maxLength: m * k }),
            fc.array(anyDouble, { minLength: k * n, maxLength: k * n }),
            fc.array(anyDouble, { minLength: m * n, maxLength: m * n }),
          ),
        ),
        ([[m, k, n], a, b, c0]) => {
          const want = new Float64Array(m * n);
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = c0[i * n + j]!;
              for (let p = 0; p < k; p++) s = s + a[i * k + p]! * b[p * n + j]!;
              want[i * n + j] = s;
            }
          const c = Float64Array.from(c0);
          matmulF64(Float64Array.from(a), Float64Array.from(b), c, m, k, n);
          expectSame(c, want);
        },
      ),
      { seed: 1301, numRuns: 150 },
    );
  });
});

describe('reference conv kernels (tap map, and resident)', () => {
  it('equal s = bias; s = s + w * x over taps (c, i, j) in order, padding as +0, bit for bit', () => {
    fc.assert(
      fc.property(
        geometry.chain((g) => {
          const cin = g.C / g.group;
          return fc.tuple(
            fc.constant(g),
            fc.array(anyDouble, { minLength: g.batch * g.C * g.H * g.W, maxLength: g.batch * g.C * g.H * g.W }),
            fc.array(anyDouble, { minLength: g.M * cin * g.kh * g.kw, maxLength: g.M * cin * g.kh * g.kw }),
            fc.array(anyDouble, { minLength: g.M, maxLength: g.M }),
          );
        }),
        ([g, x, w, bias]) => {
          const OH = outSize(g.H, g.kh, g),
            OW = outSize(g.W, g.kw, g),
            P = OH * OW,
            cin = g.C / g.group,
            per = g.M / g.group;
          const inside = (h: number, v: number) => h >= 0 && h < g.H && v >= 0 && v < g.W;
          const map = new Int32Array(g.kh * g.kw * P);
          for (let i = 0; i < g.kh; i++)
            for (let j = 0; j < g.kw; j++)
              for (let q = 0; q < P; q++) {
                const h = Math.floor(q / OW) * g.s - g.p + i * g.d,
                  v = (q % OW) * g.s - g.p + j * g.d;
                map[(i * g.kw + j) * P + q] = inside(h, v) ? h * g.W + v : -1;
              }
          const want = new Float64Array(g.batch * g.M * P);
          for (let n = 0; n < g.batch; n++)
            for (let m = 0; m < g.M; m++)
              for (let q = 0; q < P; q++) {
                let s = bias[m]!;
                const grp = Math.floor(m / per);
                for (let c = 0; c < cin; c++)
                  for (let i = 0; i < g.kh; i++)
                    for (let j = 0; j < g.kw; j++) {
                      const h = Math.floor(q / OW) * g.s - g.p + i * g.d,
                        v = (q % OW) * g.s - g.p + j * g.d;
                      const xv = inside(h, v) ? x[((n * g.C + grp * cin + c) * g.H + h) * g.W + v]! : 0;
                      s = s + w[((m * cin + c) * g.kh + i) * g.kw + j]! * xv;
                    }
                want[(n * g.M + m) * P + q] = s;
              }
          const got = new Float64Array(want.length);
          convF64(
            Float64Array.from(x),
            g.batch,
            { C: g.C, plane: g.H * g.W, M: g.M, group: g.group, P, map },
            Float64Array.from(w),
            Float64Array.from(bias),
            got,
          );
          expectSame(got, want);
          // The resident route: taps gathered by rows from a zero-padded plane, in the reference's own memory.
          const mem = new ReferenceMemory();
          const layer = {
            shape: [g.M, OH, OW],
            kernel: [g.kh, g.kw] as [number, number],
            strides: [g.s, g.s] as [number, number],
            dilations: [g.d, g.d] as [number, number],
            pads: [g.p, g.p, g.p, g.p] as [number, number, number, number],
            group: g.group,
          };
          const run = convStep(mem, layer, [g.C, g.H, g.W], Float64Array.from(w), Float64Array.from(bias));
          mem.seal();
          const xAt = mem.put(Float64Array.from(x)),
            yAt = mem.alloc(want.length * 8);
          run(xAt, yAt, g.batch);
          expectSame(mem.f64(yAt, want.length), want);
        },
      ),
      { seed: 1302, numRuns: 150 },
    );
  });
});

const format = fc
  .record({
    signed: fc.boolean(),
    width: fc.integer({ min: 1, max: 20 }),
    intBits: fc.integer({ min: -6, max: 14 }),
    rounding: fc.constantFrom(...MODES),
    overflow: fc.constantFrom(...OVFS),
  })
  .map((f): Fmt => f);

describe('reference quantize kernel', () => {
  it('equals the bigint oracle on dyadic values (codes and overflow events), every rounding and overflow mode', () => {
    fc.assert(
      fc.property(
        format,
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.integer({ min: -(2 ** 26), max: 2 ** 26 }), { minLength: 1, maxLength: 40 }),
        (f, extra, ints) => {
          const F = f.width - f.intBits;
          const values = Float64Array.from(ints, (v) => v * 2 ** -(F + extra));
          const rf = realFormat(`${f.signed ? '' : 'u'}fixed<${f.width},${f.intBits},${f.rounding},${f.overflow}>`);
          const got = Float64Array.from(values);
          const events = quantizeF64(got, rf);
          let want = 0;
          values.forEach((v, i) => {
            const q = quantizeOracle(ratOfDouble(v), f);
            if (q.overflow) want++;
            // The oracle has no signed zero; the reference's own scalar quantizeReal fixes the sign of a zero.
            expect(got[i] === Number(q.code) * 2 ** -F).toBe(true);
            expect(Object.is(got[i], quantizeReal(v, rf, { saturations: 0, wraps: 0 }))).toBe(true);
          });
          expect(events).toBe(want);
        },
      ),
      { seed: 1303, numRuns: 300 },
    );
  });
});
