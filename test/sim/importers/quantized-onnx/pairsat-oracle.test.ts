import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAffine } from '../../../../src/sim/engine/run.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { onnxruntimeAccumulation } from '../../../../src/sim/importers/ort-host.js';
import { OnnxBuilder } from './build.js';

/*
 * The 'ort-u8s8-pairsat' accumulation against a bigint oracle written from
 * its definition (docs/quantized-onnx.md): raw uint8 codes a and int8 codes b
 * in the layer's order (dense: k; conv: (i, j, c), padding taps = the raw
 * input zero point), sat16(a[2i] b[2i] + a[2i+1] b[2i+1]) summed, zero points
 * corrected, int32 wrap; then code = clamp(round_half_even(acc / 2^s) + zy),
 * which is onnxruntime's requantization for power-of-two scales.
 */

const sat16 = (v: bigint): bigint => (v > 32767n ? 32767n : v < -32768n ? -32768n : v);

function oracleAcc(a: number[], b: number[], za: number, zb: number): bigint {
  let p = 0n;
  for (let i = 0; i < a.length; i += 2)
    p += sat16(BigInt(a[i]!) * BigInt(b[i]!) + (i + 1 < a.length ? BigInt(a[i + 1]!) * BigInt(b[i + 1]!) : 0n));
  const sa = a.reduce((s, v) => s + BigInt(v), 0n),
    sb = b.reduce((s, v) => s + BigInt(v), 0n);
  return BigInt.asIntN(32, p - BigInt(zb) * sa - BigInt(za) * sb + BigInt(a.length * za * zb));
}

function oracleCode(acc: bigint, shift: number, zy: number): number {
  const d = 1n << BigInt(shift);
  let q = acc / d,
    r = acc % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q += 1n;
  return Math.max(0, Math.min(255, Number(q) + zy));
}

const u8 = fc.integer({ min: 0, max: 255 });
const s8 = fc.integer({ min: -128, max: 127 });

function run(bytes: Uint8Array, x: number[], za: number, batch: number): Int32Array {
  const m = importQuantizedOnnx(bytes, 'p.onnx');
  return runAffine(
    m,
    x.map((v) => v - za),
    batch,
    { requant: 'onnxruntime', accumulation: 'ort-u8s8-pairsat', keep: 'outputs' },
  ).tensors.get(m.outputs[0]!)!;
}

describe('ort-u8s8-pairsat accumulation against a bigint oracle', () => {
  it('QLinearMatMul: any K (odd included), any zero points, weights over [-128, 127]', () => {
    const arb = fc
      .record({
        K: fc.integer({ min: 1, max: 24 }),
        N: fc.integer({ min: 1, max: 4 }),
        za: u8,
        zb: fc.integer({ min: -4, max: 4 }),
        shift: fc.integer({ min: 6, max: 12 }),
        seed: fc.integer(),
      })
      .chain((p) =>
        fc.record({
          p: fc.constant(p),
          x: fc.array(u8, { minLength: 2 * p.K, maxLength: 2 * p.K }),
          w: fc.array(s8, { minLength: p.K * p.N, maxLength: p.K * p.N }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ p, x, w }) => {
        const b = new OnnxBuilder();
        b.node('QuantizeLinear', ['x', b.scalar('float', 1), b.scalar('uint8', p.za)], ['xq']);
        b.init('W', 'int8', [p.K, p.N], w);
        b.node(
          'QLinearMatMul',
          [
            'xq',
            b.scalar('float', 1),
            b.scalar('uint8', p.za),
            'W',
            b.scalar('float', 1),
            b.scalar('int8', p.zb),
            b.scalar('float', 2 ** p.shift),
            b.scalar('uint8', 100),
          ],
          ['y'],
        );
        const got = run(b.build({ name: 'x', type: 'float', shape: [1, p.K] }, { name: 'y', type: 'uint8', shape: [1, p.N] }), x, p.za, 2);
        for (let r = 0; r < 2; r++)
          for (let n = 0; n < p.N; n++) {
            const col = Array.from({ length: p.K }, (_, k) => w[k * p.N + n]!);
            expect(got[r * p.N + n]).toBe(oracleCode(oracleAcc(x.slice(r * p.K, (r + 1) * p.K), col, p.za, p.zb), p.shift, 100));
          }
      }),
      { numRuns: 150 },
    );
  });

  it('QLinearConv: channels, kernel, padding and groups; taps in (i, j, c) order, padding reads the zero point', () => {
    const arb = fc
      .record({
        cg: fc.integer({ min: 1, max: 5 }),
        groups: fc.integer({ min: 1, max: 2 }),
        mg: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 3 }),
        pad: fc.integer({ min: 0, max: 2 }),
        za: u8,
        shift: fc.integer({ min: 8, max: 12 }),
      })
      .filter((p) => !(p.cg === 1 && p.mg === 1)) // depthwise: exact in onnxruntime (pairsat.test.ts)
      .chain((p) =>
        fc.record({
          p: fc.constant(p),
          x: fc.array(u8, { minLength: p.cg * p.groups * 16, maxLength: p.cg * p.groups * 16 }),
          w: fc.array(s8, { minLength: p.mg * p.groups * p.cg * p.k * p.k, maxLength: p.mg * p.groups * p.cg * p.k * p.k }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ p, x, w }) => {
        const C = p.cg * p.groups,
          M = p.mg * p.groups,
          H = 4,
          OH = H + 2 * p.pad - p.k + 1;
        const b = new OnnxBuilder();
        b.node('QuantizeLinear', ['x', b.scalar('float', 1), b.scalar('uint8', p.za)], ['xq']);
        b.init('W', 'int8', [M, p.cg, p.k, p.k], w);
        b.node(
          'QLinearConv',
          [
            'xq',
            b.scalar('float', 1),
            b.scalar('uint8', p.za),
            'W',
            b.scalar('float', 1),
            b.scalar('int8', 0),
            b.scalar('float', 2 ** p.shift),
            b.scalar('uint8', 100),
          ],
          ['y'],
          { kernel_shape: [p.k, p.k], pads: [p.pad, p.pad, p.pad, p.pad], group: p.groups },
        );
        const got = run(
          b.build({ name: 'x', type: 'float', shape: [1, C, H, H] }, { name: 'y', type: 'uint8', shape: [1, M, OH, OH] }),
          x,
          p.za,
          1,
        );
        for (let m = 0; m < M; m++)
          for (let oy = 0; oy < OH; oy++)
            for (let ox = 0; ox < OH; ox++) {
              const a: number[] = [],
                bw: number[] = [];
              const c0 = Math.floor(m / p.mg) * p.cg;
              for (let i = 0; i < p.k; i++)
                for (let j = 0; j < p.k; j++)
                  for (let c = 0; c < p.cg; c++) {
                    const y = oy - p.pad + i,
                      xx = ox - p.pad + j;
                    a.push(y < 0 || xx < 0 || y >= H || xx >= H ? p.za : x[((c0 + c) * H + y) * H + xx]!);
                    bw.push(w[((m * p.cg + c) * p.k + i) * p.k + j]!);
                  }
              expect(got[(m * OH + oy) * OH + ox], `m ${m} (${oy}, ${ox})`).toBe(oracleCode(oracleAcc(a, bw, p.za, 0), p.shift, 100));
            }
      }),
      { numRuns: 100 },
    );
  });

  it('the mode of a CPU: pair saturation on AVX2 / AVX-512BW without VNNI, exact otherwise', () => {
    expect(onnxruntimeAccumulation('flags\t\t: fpu sse4_1 avx avx2 fma')).toBe('ort-u8s8-pairsat');
    expect(onnxruntimeAccumulation('flags\t\t: avx2 avx512f avx512bw avx512_vnni')).toBe('exact');
    expect(onnxruntimeAccumulation('flags\t\t: avx2 avx_vnni')).toBe('exact');
    expect(onnxruntimeAccumulation('flags\t\t: sse4_1 sse4_2')).toBe('exact');
    expect(onnxruntimeAccumulation('Features\t: fp asimd asimddp')).toBe('exact');
  });
});
