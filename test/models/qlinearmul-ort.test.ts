// The affine engine's Mul of two runtime tensors (onnxruntime scheme) against the
// onnxruntime-node binary: com.microsoft QLinearMul over EVERY pair of 8-bit codes, for random
// scales and zero points, uint8 and int8, and a broadcast [C,1,1] operand (squeeze-and-
// excitation's form): the output codes must be equal.
import { describe, expect, it } from 'vitest';
import { affineMulKernel } from '../../src/sim/engine/affine/mul.js';
import type { AffineParams } from '../../src/sim/quantize/affine/types.js';
import { OnnxBuilder, rng, runOrt } from '../sim/importers/quantized-onnx/build.js';

const f32 = Math.fround;
const params = (type: 'uint8' | 'int8', scale: number, zeroPoint: number): AffineParams =>
  type === 'uint8' ? { type, scale, zeroPoint, qmin: 0, qmax: 255 } : { type, scale, zeroPoint, qmin: -128, qmax: 127 };

function qlinearMul(type: 'uint8' | 'int8', s: number[], z: number[], aShape: number[], bShape: number[]): Uint8Array {
  const b = new OnnxBuilder();
  const [sa, sb, sc] = s as [number, number, number];
  const [za, zb, zc] = z as [number, number, number];
  const ins = ['A', b.scalar('float', sa), b.scalar(type, za), 'B', b.scalar('float', sb), b.scalar(type, zb)];
  b.node('QLinearMul', [...ins, b.scalar('float', sc), b.scalar(type, zc)], ['C'], {}, 'com.microsoft');
  return b.build(
    [
      { name: 'A', type, shape: aShape },
      { name: 'B', type, shape: bShape },
    ],
    { name: 'C', type, shape: aShape },
  );
}

describe('QLinearMul against onnxruntime-node', () => {
  for (const type of ['uint8', 'int8'] as const) {
    it(`${type}: every pair of codes, 6 random parameter sets`, async () => {
      const r = rng(type === 'uint8' ? 15 : 16);
      const lo = type === 'uint8' ? 0 : -128;
      const Arr = type === 'uint8' ? Uint8Array : Int8Array;
      const A = Arr.from({ length: 65536 }, (_, i) => lo + (i & 255));
      const B = Arr.from({ length: 65536 }, (_, i) => lo + (i >> 8));
      for (let t = 0; t < 6; t++) {
        const s = [f32(r.float(0.001, 0.1)), f32(r.float(0.001, 0.1)), f32(r.float(0.0005, 0.05))];
        const z = [lo + r.int(0, 255), lo + r.int(0, 255), lo + r.int(0, 255)];
        const bytes = qlinearMul(type, s, z, [1, 65536], [1, 65536]);
        const want = await runOrt(bytes, { A: { data: A, dims: [1, 65536] }, B: { data: B, dims: [1, 65536] } });
        const k = affineMulKernel(
          params(type, s[0]!, z[0]!),
          params(type, s[1]!, z[1]!),
          params(type, s[2]!, z[2]!),
          'onnxruntime',
          [65536],
          [65536],
        );
        const got = k([Int32Array.from(A), Int32Array.from(B)], 1, { saturations: 0, wraps: 0 });
        let diff = 0;
        for (let i = 0; i < 65536; i++) if (got[i] !== want[i]) diff++;
        expect(diff, `set ${t}: scales ${s}, zero points ${z}`).toBe(0);
      }
    });
  }

  it('uint8: a [C,1,1] operand broadcast over [C,H,W]', async () => {
    const r = rng(21);
    const [C, H, W] = [16, 4, 4];
    const A = Uint8Array.from({ length: C * H * W }, () => r.int(0, 255));
    const B = Uint8Array.from({ length: C }, () => r.int(0, 255));
    const s = [f32(0.02), f32(0.004), f32(0.01)],
      z = [12, 0, 128];
    const bytes = qlinearMul('uint8', s, z, [1, C, H, W], [1, C, 1, 1]);
    const want = await runOrt(bytes, { A: { data: A, dims: [1, C, H, W] }, B: { data: B, dims: [1, C, 1, 1] } });
    const k = affineMulKernel(
      params('uint8', s[0]!, z[0]!),
      params('uint8', s[1]!, z[1]!),
      params('uint8', s[2]!, z[2]!),
      'onnxruntime',
      [C, H, W],
      [C, 1, 1],
    );
    expect(Array.from(k([Int32Array.from(A), Int32Array.from(B)], 1, { saturations: 0, wraps: 0 }))).toEqual(want);
  });
});
