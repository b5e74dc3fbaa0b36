import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConvLayer, DenseLayer } from '../../../src/sim/quantize/model.js';
import { F32_EXACT, exactInF32 } from '../../../src/sim/reference/pow2/exact-f32.js';
import { linearReal } from '../../../src/sim/reference/pow2/linear.js';
import { realFormat } from '../../../src/sim/reference/pow2/real.js';
import { convStep, pow2Resident } from '../../../src/sim/reference/pow2/resident.js';
import { convStepF32 } from '../../../src/sim/reference/pow2/resident-f32.js';
import { ReferenceMemory } from '../../../src/sim/reference/wasm/resident.js';
import { geometry, outSize } from './conv-geometry.js';

/*
 * The reference's float32 route (exact-f32.ts, resident-f32.ts,
 * assembly/matmul.ts) against independent sides:
 * - matmul_f32 against a scalar float32 loop written here (Math.fround after
 *   every product and sum, the documented order), any float32 values;
 * - dense layers drawn at the edge of the bound (worst case |bias| +
 *   sum |w| * max|x| at 2^24 - 1 units of the finest grid, inputs at the
 *   extremes of their format): the resident step takes the float32 kernel
 *   and every sum equals a bigint oracle of the exact rational sum; one unit
 *   more and the step takes the float64 kernel;
 * - conv layers within the bound: the float32 step equals the float64 step
 *   (Object.is) on every geometry.
 */

const f32 = fc.float({ noNaN: false }).map(Math.fround);

describe('reference float32 matmul kernel', () => {
  it('equals s = c; s = fround(s + fround(a * b)) for p increasing, bit for bit', () => {
    const dims = fc.tuple(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 1, max: 19 }));
    fc.assert(
      fc.property(
        dims.chain(([m, k, n]) =>
          fc.tuple(fc.constant([m, k, n] as const), fc.array(f32, { minLength: m * k + k * n + m * n, maxLength: m * k + k * n + m * n })),
        ),
        ([[m, k, n], v]) => {
          const a = v.slice(0, m * k),
            b = v.slice(m * k, m * k + k * n),
            c = v.slice(m * k + k * n);
          const want = c.map((s0, o) => {
            let s = s0;
            for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(a[Math.floor(o / n) * k + p]! * b[p * n + (o % n)]!));
            return s;
          });
          const mem = new ReferenceMemory();
          const aAt = mem.put(Float32Array.from(a)),
            bAt = mem.put(Float32Array.from(b)),
            cAt = mem.put(Float32Array.from(c));
          mem.k.matmul_f32(aAt, k, bAt, n, cAt, n, m, k, n);
          const got = new Float32Array(mem.k.memory.buffer, cAt, m * n);
          for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect({ i, got: got[i] }).toEqual({ i, got: want[i] });
        },
      ),
      { seed: 1311, numRuns: 200 },
    );
  });
});

/** A dense layer whose worst-case sum is exactly `target` units of 2^-(Fw + Fx + dF) (dF: extra accumulator fraction bits). */
const edgeDense = fc
  .record({
    signedIn: fc.boolean(),
    bx: fc.integer({ min: 1, max: 12 }),
    ix: fc.integer({ min: -3, max: 6 }),
    bw: fc.integer({ min: 2, max: 12 }),
    iw: fc.integer({ min: -4, max: 3 }),
    dF: fc.integer({ min: 0, max: 3 }),
    K: fc.integer({ min: 1, max: 24 }),
    N: fc.integer({ min: 1, max: 10 }),
    over: fc.integer({ min: 0, max: 2 }),
    seedCodes: fc.array(fc.integer({ min: -2048, max: 2047 }), { minLength: 240, maxLength: 240 }),
    rows: fc.integer({ min: 1, max: 5 }),
    xs: fc.array(fc.integer({ min: 0, max: 2 ** 12 - 1 }), { minLength: 120, maxLength: 120 }),
  })
  .map((r) => {
    const Fx = r.bx - r.ix,
      Fw = r.bw - r.iw;
    const inText = `${r.signedIn ? '' : 'u'}fixed<${r.bx},${r.ix},TRN,SAT>`;
    const inF = realFormat(inText);
    const xMaxCode = Math.max(-inF.wrapLo, inF.hi) * 2 ** Fx;
    const half = 2 ** (r.bw - 1);
    // over = 0: worst case 2^24 - 1 units (odd, so with dF > 0 the bias sets the finest grid); else 2^24 (dF = 0).
    const dF = r.over ? 0 : r.dF;
    const target = r.over ? F32_EXACT : F32_EXACT - 1;
    const w = Array.from({ length: r.N * r.K }, (_, i) => Math.max(-half, Math.min(half - 1, r.seedCodes[i]!)));
    const bias: number[] = [];
    for (let n = 0; n < r.N; n++) {
      const row = w.slice(n * r.K, (n + 1) * r.K);
      // Shrink the row until its products leave room for a bias (weights keep their format).
      while (row.reduce((a, c) => a + Math.abs(c), 0) * xMaxCode * 2 ** dF >= target)
        for (let k = 0; k < r.K; k++) row[k] = Math.trunc(row[k]! / 2);
      const rest = target - row.reduce((a, c) => a + Math.abs(c), 0) * xMaxCode * 2 ** dF;
      w.splice(n * r.K, r.K, ...row);
      bias.push(n % 2 === 0 ? rest : 0 - rest);
    }
    const accText = `fixed<52,${52 - (Fx + Fw + dF)},TRN,SAT>`;
    const layer: DenseLayer = {
      op: 'dense',
      name: 'd',
      inputs: ['x'],
      output: 'y',
      shape: [r.N],
      out: { format: accText } as DenseLayer['out'],
      weights: { shape: [r.N, r.K], codes: w, quant: { kind: 'pow2', format: `fixed<${r.bw},${r.iw}>` } as DenseLayer['weights']['quant'] },
      bias,
      acc: { kind: 'pow2', formats: [accText], bound: 0 },
    };
    // Input codes: the first row at the worst case for each weight's sign (when signed inputs allow it), the others drawn.
    const lowCode = inF.wrapLo * 2 ** Fx,
      hiCode = inF.hi * 2 ** Fx;
    const x = Array.from({ length: r.rows * r.K }, (_, i) =>
      i < r.K ? (w[i]! < 0 ? lowCode : hiCode) : lowCode + (r.xs[i % 120]! % (hiCode - lowCode + 1)),
    );
    return { layer, inF, Fx, Fw, Facc: Fx + Fw + dF, x, rows: r.rows, over: r.over > 0 };
  });

/** The exact sum bias + sum w * x of output (row, n), as a double (exact: it holds fewer than 53 bits). */
function oracle(l: DenseLayer, x: number[], row: number, n: number, Fx: number, Fw: number, Facc: number): number {
  const K = l.weights.shape[1]!;
  let s = BigInt(l.bias![n]!) << BigInt(Math.max(0, Fx + Fw - Facc));
  const G = Math.max(Facc, Fx + Fw);
  for (let k = 0; k < K; k++) s += (BigInt(l.weights.codes[n * K + k]!) * BigInt(x[row * K + k]!)) << BigInt(G - Fx - Fw);
  return Number(s) * 2 ** -G;
}

describe('float32 route of the pow2 reference', () => {
  it('dense at the bound: float32 kernel, every sum equals the bigint oracle; one unit over: float64 kernel', () => {
    fc.assert(
      fc.property(edgeDense, ({ layer, inF, Fx, Fw, Facc, x, rows, over }) => {
        expect(exactInF32(linearReal(layer, inF), inF)).toBe(!over);
        const mem = new ReferenceMemory();
        const calls = { dense_f32: 0, matmul_f64: 0 };
        const k = mem.k;
        // The module's exports are frozen: count calls through a copy of them.
        (mem as { k: unknown }).k = {
          ...k,
          dense_f32: (...a: Parameters<typeof k.dense_f32>) => (calls.dense_f32++, k.dense_f32(...a)),
          matmul_f64: (...a: Parameters<typeof k.matmul_f64>) => (calls.matmul_f64++, k.matmul_f64(...a)),
        };
        const formats = new Map([
          ['x', inF],
          ['y', realFormat((layer.out as { format: string }).format)],
        ]);
        const step = pow2Resident(formats, inF).layer(mem, layer, [[layer.weights.shape[1]!]], rows)!;
        mem.seal();
        const xAt = mem.put(Float64Array.from(x, (c) => c * 2 ** -Fx)),
          yAt = mem.alloc(rows * layer.shape[0]! * 8);
        step([xAt], yAt, rows, { saturations: 0, wraps: 0 });
        expect(calls).toEqual(over ? { dense_f32: 0, matmul_f64: 1 } : { dense_f32: 1, matmul_f64: 0 });
        const y = mem.f64(yAt, rows * layer.shape[0]!);
        for (let i = 0; i < y.length; i++) {
          const want = oracle(layer, x, Math.floor(i / layer.shape[0]!), i % layer.shape[0]!, Fx, Fw, Facc);
          if (!Object.is(y[i], want)) expect({ i, got: y[i] }).toEqual({ i, got: want });
        }
      }),
      { seed: 1312, numRuns: 200 },
    );
  });

  it('conv within the bound: the float32 step equals the float64 step, bit for bit, on every geometry', () => {
    const small = fc.integer({ min: -15, max: 15 });
    fc.assert(
      fc.property(
        geometry.chain((g) => {
          const nw = g.M * (g.C / g.group) * g.kh * g.kw;
          return fc.tuple(
            fc.constant(g),
            fc.array(small, { minLength: nw + g.M, maxLength: nw + g.M }),
            fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }),
          );
        }),
        ([g, wb, xs]) => {
          const nw = wb.length - g.M;
          const layer = {
            shape: [g.M, outSize(g.H, g.kh, g), outSize(g.W, g.kw, g)],
            kernel: [g.kh, g.kw] as [number, number],
            strides: [g.s, g.s] as [number, number],
            dilations: [g.d, g.d] as [number, number],
            pads: [g.p, g.p, g.p, g.p] as [number, number, number, number],
            group: g.group,
          } as ConvLayer;
          // Weights 2^-3 * [-15, 15], inputs 2^-8 * [0, 255], biases 2^-11 * [-15, 15]: at most 5e5 units of 2^-11, far below 2^24.
          const w = Float64Array.from(wb.slice(0, nw), (c) => c / 8),
            b = Float64Array.from(wb.slice(nw), (c) => c / 2048);
          const x = Float64Array.from({ length: g.batch * g.C * g.H * g.W }, (_, i) => xs[i % xs.length]! / 256);
          const n = g.batch * layer.shape.reduce((a, d) => a * d, 1);
          const mem = new ReferenceMemory();
          const r64 = convStep(mem, layer, [g.C, g.H, g.W], w, b);
          const r32 = convStepF32(mem, layer, { w, b } as Parameters<typeof convStepF32>[2], [g.C, g.H, g.W]);
          mem.seal();
          const xAt = mem.put(x),
            y64 = mem.alloc(n * 8),
            y32 = mem.alloc(n * 8);
          r64(xAt, y64, g.batch);
          r32(xAt, y32, g.batch);
          const a = mem.f64(y64, n),
            c = mem.f64(y32, n);
          for (let i = 0; i < n; i++) if (!Object.is(c[i], a[i])) expect({ i, got: c[i] }).toEqual({ i, got: a[i] });
        },
      ),
      { seed: 1313, numRuns: 150 },
    );
  });
});
