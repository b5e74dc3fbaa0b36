import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { dotPairSaturated, maddubsPair, pairSaturationPossible } from '../../src/fixedpoint/index.js';
import { cpuHasVnni } from '../helpers/cpu.js';

/*
 * vpmaddubsw's pair saturation against a bigint oracle written from the
 * instruction's definition, and against onnxruntime-node's MatMulInteger on
 * this machine (pair-saturated without VNNI, exact with it).
 */

/** Intel SDM PMADDUBSW: each adjacent pair of products summed and clamped to int16; the lanes summed in int32 (wrapping). */
function oracle(a: number[], b: number[]): number {
  let total = 0n;
  for (let i = 0; i < a.length; i += 2) {
    let s = BigInt(a[i]!) * BigInt(b[i]!) + (i + 1 < a.length ? BigInt(a[i + 1]!) * BigInt(b[i + 1]!) : 0n);
    if (s > 32767n) s = 32767n;
    if (s < -32768n) s = -32768n;
    total += s;
  }
  return Number(BigInt.asIntN(32, total));
}

const exact = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
const u8 = fc.integer({ min: 0, max: 255 });
const s8 = fc.integer({ min: -128, max: 127 });
const pairs = (w: fc.Arbitrary<number>) =>
  fc
    .integer({ min: 0, max: 300 })
    .chain((k) => fc.tuple(fc.array(u8, { minLength: k, maxLength: k }), fc.array(w, { minLength: k, maxLength: k })));

describe('vpmaddubsw pair saturation', () => {
  it('edge table: every pair of operands at the ends of their ranges', () => {
    const A = [0, 1, 127, 128, 254, 255];
    const B = [-128, -127, -65, -64, -63, -1, 0, 1, 63, 64, 65, 127];
    for (const a0 of A)
      for (const a1 of A)
        for (const b0 of B)
          for (const b1 of B) {
            expect(maddubsPair(a0, b0, a1, b1), `${a0}*${b0} + ${a1}*${b1}`).toBe(oracle([a0, a1], [b0, b1]));
          }
    expect(maddubsPair(255, 127, 255, 127)).toBe(32767);
    expect(maddubsPair(255, -128, 255, -128)).toBe(-32768);
  });

  it('equals the oracle on random vectors, odd lengths included', () => {
    fc.assert(
      fc.property(pairs(s8), ([a, b]) => dotPairSaturated(a, b) === oracle(a, b)),
      { numRuns: 500 },
    );
  });

  it('equals the exact dot product for weights in [-64, 63] (no pair can saturate), and pairSaturationPossible says so', () => {
    fc.assert(
      fc.property(
        pairs(fc.integer({ min: -64, max: 63 })),
        ([a, b]) => !pairSaturationPossible(b) && dotPairSaturated(a, b) === exact(a, b),
      ),
      { numRuns: 300 },
    );
    expect(pairSaturationPossible([0, 64])).toBe(true);
    expect(pairSaturationPossible([-65])).toBe(true);
  });

  it('refuses codes outside uint8 / int8 and length mismatches', () => {
    expect(() => dotPairSaturated([256], [1])).toThrow(UserError);
    expect(() => dotPairSaturated([1], [128])).toThrow(UserError);
    expect(() => dotPairSaturated([1, 2], [1])).toThrow(/a has 2 entries, b 1/);
  });

  it(`matches onnxruntime-node's MatMulInteger u8 x s8 over full-range weights (this CPU: ${cpuHasVnni() ? 'VNNI, exact' : 'no VNNI, pair-saturated'})`, async () => {
    const [M, K, N] = [16, 67, 24];
    const r = (seed: number) => {
      let s = seed;
      return () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    };
    const rnd = r(7);
    const A = Array.from({ length: M * K }, () => 128 + Math.floor(rnd() * 128)); // large activations make pairs saturate
    const B = Array.from({ length: K * N }, () => Math.floor(rnd() * 256) - 128);
    const o = onnxProto.onnx;
    const model = o.ModelProto.encode(
      o.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 13 }],
        graph: {
          name: 'g',
          node: [{ opType: 'MatMulInteger', input: ['a', 'B'], output: ['y'] }],
          initializer: [{ name: 'B', dims: [K, N], dataType: 3, rawData: Uint8Array.from(B, (v) => v & 255) }],
          input: [{ name: 'a', type: { tensorType: { elemType: 2, shape: { dim: [{ dimValue: M }, { dimValue: K }] } } } }],
          output: [{ name: 'y', type: { tensorType: { elemType: 6, shape: { dim: [{ dimValue: M }, { dimValue: N }] } } } }],
        },
      }),
    ).finish();
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
    const out = await session.run({ a: new ort.Tensor('uint8', Uint8Array.from(A), [M, K]) });
    const got = Array.from(out['y']!.data as Int32Array);
    const vnni = cpuHasVnni();
    let saturatedOutputs = 0;
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        const a = A.slice(m * K, (m + 1) * K);
        const b = Array.from({ length: K }, (_, k) => B[k * N + n]!);
        const want = vnni ? exact(a, b) : dotPairSaturated(a, b);
        if (want !== exact(a, b)) saturatedOutputs++;
        expect(got[m * N + n], `y[${m}][${n}]`).toBe(want);
      }
    if (!vnni) expect(saturatedOutputs).toBeGreaterThan((M * N) / 2); // the comparison can tell the two accumulations apart
  });
});
