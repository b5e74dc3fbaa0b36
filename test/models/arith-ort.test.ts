// The affine engine's arithmetic layers of two computed tensors (onnxruntime scheme) against the
// onnxruntime-node binary: QLinearMatMul on uint8 operands, and the QDQ graphs onnxruntime runs
// for Min, Max, Sub, Greater, LessOrEqual (DequantizeLinear, the float op, QuantizeLinear; a
// comparison's bool cast to float first) and Where on a requantized comparison, over every pair of 8-bit codes, for random
// scales and zero points: the output codes must be equal.
import { describe, expect, it } from 'vitest';
import { affineArithKernel } from '../../src/sim/engine/affine/arith.js';
import type { AffineParams } from '../../src/sim/quantize/affine/types.js';
import type { ArithLayer, ElementFn } from '../../src/sim/quantize/model-arith.js';
import { OnnxBuilder, rng, runOrt } from '../sim/importers/quantized-onnx/build.js';

const f32 = Math.fround;
const u8 = (scale: number, zeroPoint: number): AffineParams => ({ type: 'uint8', scale, zeroPoint, qmin: 0, qmax: 255 });
const ev = () => ({ saturations: 0, wraps: 0 });
const ONNX_OP: Partial<Record<ElementFn, string>> = { min: 'Min', max: 'Max', sub: 'Sub', greater: 'Greater', lessorequal: 'LessOrEqual' };

/** DequantizeLinear of A and B, the op, (bool cast to float,) QuantizeLinear into C. */
function qdqModel(fn: ElementFn, p: AffineParams[]): Uint8Array {
  const b = new OnnxBuilder();
  const [pa, pb, pc] = p as [AffineParams, AffineParams, AffineParams];
  b.node('DequantizeLinear', ['A', b.scalar('float', pa.scale), b.scalar('uint8', pa.zeroPoint)], ['a']);
  b.node('DequantizeLinear', ['B', b.scalar('float', pb.scale), b.scalar('uint8', pb.zeroPoint)], ['b']);
  const compare = fn !== 'min' && fn !== 'max' && fn !== 'sub';
  b.node(ONNX_OP[fn]!, ['a', 'b'], [compare ? 'r' : 'y']);
  if (compare) b.node('Cast', ['r'], ['y'], { to: 1 });
  b.node('QuantizeLinear', ['y', b.scalar('float', pc.scale), b.scalar('uint8', pc.zeroPoint)], ['C']);
  return b.build(
    [
      { name: 'A', type: 'uint8', shape: [65536] },
      { name: 'B', type: 'uint8', shape: [65536] },
    ],
    { name: 'C', type: 'uint8', shape: [65536] },
  );
}

const A = Uint8Array.from({ length: 65536 }, (_, i) => i & 255);
const B = Uint8Array.from({ length: 65536 }, (_, i) => i >> 8);

function randomParams(r: ReturnType<typeof rng>, out: [number, number]): AffineParams[] {
  return [
    u8(f32(r.float(0.001, 0.1)), r.int(0, 255)),
    u8(f32(r.float(0.001, 0.1)), r.int(0, 255)),
    u8(f32(r.float(...out)), r.int(0, 255)),
  ];
}

describe('arithmetic of two computed tensors against onnxruntime-node', () => {
  for (const fn of Object.keys(ONNX_OP) as ElementFn[]) {
    it(`${fn}: every pair of uint8 codes, 3 random parameter sets`, async () => {
      const r = rng(fn.length * 31 + fn.charCodeAt(0));
      for (let t = 0; t < 3; t++) {
        const p = randomParams(r, fn === 'min' || fn === 'max' || fn === 'sub' ? [0.0005, 0.05] : [0.002, 0.02]);
        const want = await runOrt(qdqModel(fn, p), { A: { data: A, dims: [65536] }, B: { data: B, dims: [65536] } });
        const l: ArithLayer = { op: 'binary', fn, name: 'f', inputs: ['a', 'b'], output: 'y', shape: [65536], out: null as never };
        const got = affineArithKernel(
          l,
          [[65536], [65536]],
          [p[0]!, p[1]!],
          p[2]!,
          'onnxruntime',
          'f',
        )([Float64Array.from(A), Float64Array.from(B)], 1, ev());
        let diff = 0;
        for (let i = 0; i < 65536; i++) if (got[i] !== want[i]) diff++;
        expect(diff, `set ${t}: ${JSON.stringify(p)}`).toBe(0);
      }
    });
  }

  it('Where(Greater(a, b) quantized, a, b): the condition requantized, the chosen operand requantized into the output', async () => {
    const r = rng(91);
    for (let t = 0; t < 3; t++) {
      const [pa, pb, pc] = randomParams(r, [0.0005, 0.05]) as [AffineParams, AffineParams, AffineParams];
      const pk = u8(f32(1 / 255), 0);
      const g = new OnnxBuilder();
      const sc = (v: AffineParams) => [g.scalar('float', v.scale), g.scalar('uint8', v.zeroPoint)];
      g.node('DequantizeLinear', ['A', ...sc(pa)], ['a']);
      g.node('DequantizeLinear', ['B', ...sc(pb)], ['b']);
      g.node('Greater', ['a', 'b'], ['r']);
      g.node('Cast', ['r'], ['rf'], { to: 1 });
      g.node('QuantizeLinear', ['rf', ...sc(pk)], ['kq']);
      g.node('DequantizeLinear', ['kq', ...sc(pk)], ['kd']);
      g.node('Cast', ['kd'], ['kb'], { to: 9 });
      g.node('Where', ['kb', 'a', 'b'], ['y']);
      g.node('QuantizeLinear', ['y', ...sc(pc)], ['C']);
      const bytes = g.build(
        [
          { name: 'A', type: 'uint8', shape: [65536] },
          { name: 'B', type: 'uint8', shape: [65536] },
        ],
        { name: 'C', type: 'uint8', shape: [65536] },
      );
      const want = await runOrt(bytes, { A: { data: A, dims: [65536] }, B: { data: B, dims: [65536] } });
      const base = { name: 'f', output: 'y', shape: [65536], out: null as never };
      const [xa, xb] = [Float64Array.from(A), Float64Array.from(B)];
      const k = affineArithKernel(
        { ...base, op: 'binary', fn: 'greater', inputs: ['a', 'b'] },
        [[65536], [65536]],
        [pa, pb],
        pk,
        'onnxruntime',
        'g',
      )([xa, xb], 1, ev());
      const where: ArithLayer = { ...base, op: 'where', inputs: ['k', 'a', 'b'] };
      const got = affineArithKernel(where, [[65536], [65536], [65536]], [pk, pa, pb], pc, 'onnxruntime', 'w')([k, xa, xb], 1, ev());
      let diff = 0;
      for (let i = 0; i < 65536; i++) if (got[i] !== want[i]) diff++;
      expect(diff, `set ${t}`).toBe(0);
    }
  });

  it('QLinearMatMul: [B, M, K] x [B, K, N] uint8 operands, 4 random parameter sets', async () => {
    const r = rng(77);
    const [Bt, M, K, N] = [3, 5, 24, 6];
    for (let t = 0; t < 4; t++) {
      const p = randomParams(r, [0.05, 0.5]);
      const a = Uint8Array.from({ length: Bt * M * K }, () => r.int(0, 255));
      const bb = Uint8Array.from({ length: Bt * K * N }, () => r.int(0, 255));
      const g = new OnnxBuilder();
      const [pa, pb, pc] = p as [AffineParams, AffineParams, AffineParams];
      const sc = (v: AffineParams) => [g.scalar('float', v.scale), g.scalar('uint8', v.zeroPoint)];
      g.node('QLinearMatMul', ['A', ...sc(pa), 'B', ...sc(pb), ...sc(pc)], ['C']);
      const bytes = g.build(
        [
          { name: 'A', type: 'uint8', shape: [Bt, M, K] },
          { name: 'B', type: 'uint8', shape: [Bt, K, N] },
        ],
        { name: 'C', type: 'uint8', shape: [Bt, M, N] },
      );
      const want = await runOrt(bytes, { A: { data: a, dims: [Bt, M, K] }, B: { data: bb, dims: [Bt, K, N] } });
      const l: ArithLayer = {
        op: 'matmul',
        name: 'mm',
        inputs: ['a', 'b'],
        output: 'y',
        shape: [Bt, M, N],
        out: null as never,
        acc: { kind: 'int', bits: 32, overflow: 'WRAP' },
      };
      const got = affineArithKernel(
        l,
        [
          [Bt, M, K],
          [Bt, K, N],
        ],
        [pa, pb],
        pc,
        'onnxruntime',
        'mm',
      )([Float64Array.from(a), Float64Array.from(bb)], 1, ev());
      expect(Array.from(got), `set ${t}: ${JSON.stringify(p)}`).toEqual(Array.from(want));
    }
  });
});
