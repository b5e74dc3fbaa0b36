import { describe, expect, it } from 'vitest';
import { addKernel } from '../../../../src/sim/engine/affine/add.js';
import type { AddLayer } from '../../../../src/sim/quantize/model.js';
import type { AffineParams } from '../../../../src/sim/quantize/affine/types.js';
import { OnnxBuilder, rng, runOrt } from './build.js';

/*
 * QLinearAdd over EVERY pair of 8-bit codes against onnxruntime-node: the
 * affine engine's onnxruntime add (x86-64 AVX2 kernel with fused multiply-adds)
 * must give the same 65,536 output codes, for random scales and zero points,
 * uint8 and int8, runtime-runtime and scalar-constant operands.
 */

const f32 = Math.fround;

function params(type: 'uint8' | 'int8', scale: number, zp: number): AffineParams {
  return type === 'uint8' ? { type, scale, zeroPoint: zp, qmin: 0, qmax: 255 } : { type, scale, zeroPoint: zp, qmin: -128, qmax: 127 };
}

describe('QLinearAdd, every pair of codes', () => {
  for (const type of ['uint8', 'int8'] as const) {
    it(`${type}: runtime + runtime, 8 random parameter sets`, async () => {
      const r = rng(type === 'uint8' ? 5 : 6);
      const lo = type === 'uint8' ? 0 : -128;
      const A = new (type === 'uint8' ? Uint8Array : Int8Array)(65536);
      const B = new (type === 'uint8' ? Uint8Array : Int8Array)(65536);
      for (let i = 0; i < 65536; i++) {
        A[i] = lo + (i & 255);
        B[i] = lo + (i >> 8);
      }
      for (let t = 0; t < 8; t++) {
        const [sa, sb, sc] = [f32(r.float(0.001, 0.1)), f32(r.float(0.001, 0.1)), f32(r.float(0.002, 0.2))];
        const [za, zb, zc] = [lo + r.int(0, 255), lo + r.int(0, 255), lo + r.int(0, 255)];
        const b = new OnnxBuilder();
        b.node(
          'QLinearAdd',
          [
            'A',
            b.scalar('float', sa),
            b.scalar(type, za),
            'B',
            b.scalar('float', sb),
            b.scalar(type, zb),
            b.scalar('float', sc),
            b.scalar(type, zc),
          ],
          ['C'],
          {},
          'com.microsoft',
        );
        const bytes = b.build(
          [
            { name: 'A', type, shape: [1, 65536] },
            { name: 'B', type, shape: [1, 65536] },
          ],
          { name: 'C', type, shape: [1, 65536] },
        );
        const expected = await runOrt(bytes, { A: { data: A, dims: [1, 65536] }, B: { data: B, dims: [1, 65536] } });
        const layer = {
          name: 'add',
          op: 'add',
          inputs: ['a', 'b'],
          output: 'c',
          shape: [65536],
          out: { kind: 'affine', type, scale: [sc], zeroPoint: [zc] },
        } as AddLayer;
        const k = addKernel(layer, [65536], [params(type, sa, za), params(type, sb, zb)], 'onnxruntime');
        const got = k([Int32Array.from(A), Int32Array.from(B)], 1, { saturations: 0, wraps: 0 });
        let diff = 0;
        for (let i = 0; i < 65536; i++) if (got[i] !== expected[i]) diff++;
        expect(diff, `set ${t}`).toBe(0);
      }
    });
  }
  it('uint8: runtime + scalar constant (onnxruntime folds the constant into the fixed part), both operand orders', async () => {
    const r = rng(9);
    const A = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let t = 0; t < 40; t++) {
      const [sa, sb, sc] = [f32(r.float(0.001, 0.1)), f32(r.float(0.001, 0.1)), f32(r.float(0.002, 0.2))];
      const [za, zb, zc, bv] = [r.int(0, 255), r.int(0, 255), r.int(0, 255), r.int(0, 255)];
      const first = t % 2 === 1;
      const b = new OnnxBuilder();
      const cst = b.init('K', 'uint8', [1], [bv]);
      const ins = first
        ? [cst, b.scalar('float', sb), b.scalar('uint8', zb), 'A', b.scalar('float', sa), b.scalar('uint8', za)]
        : ['A', b.scalar('float', sa), b.scalar('uint8', za), cst, b.scalar('float', sb), b.scalar('uint8', zb)];
      b.node('QLinearAdd', [...ins, b.scalar('float', sc), b.scalar('uint8', zc)], ['C'], {}, 'com.microsoft');
      const bytes = b.build({ name: 'A', type: 'uint8', shape: [1, 256] }, { name: 'C', type: 'uint8', shape: [1, 256] });
      const expected = await runOrt(bytes, { A: { data: A, dims: [1, 256] } });
      const layer = {
        name: 'add',
        op: 'add',
        inputs: ['a'],
        output: 'c',
        shape: [256],
        out: { kind: 'affine', type: 'uint8', scale: [sc], zeroPoint: [zc] },
        constant: {
          shape: [],
          codes: [bv],
          quant: { kind: 'affine', type: 'uint8', scale: [sb], zeroPoint: [zb] },
          ...(first ? { first: true } : {}),
        },
      } as AddLayer;
      const got = addKernel(layer, [256], [params('uint8', sa, za)], 'onnxruntime')([Int32Array.from(A)], 1, { saturations: 0, wraps: 0 });
      expect(Array.from(got), `set ${t}`).toEqual(expected);
    }
  });
});
