// PyTorch networks whose arithmetic combines two computed tensors (test/fixtures/torch/arith.py):
// a one-head attention block (q k^T times 0.25, then times v: batched MatMul of two computed
// tensors) and two convolution branches combined by torch.minimum, torch.maximum (one branch
// broadcast over the channels), torch.where(a > b, a, b), a - b and (a > b).float(). At opsets 13
// and 17: float32 inference agrees with PyTorch; 8-bit pow2 quantize and verify find 0
// mismatches; the affine engine's onnxruntime scheme equals the float32 reference (the QDQ
// graph onnxruntime runs) and the exact schemes equal the exact reference; cost plans the
// matmuls as GEMMs. Div and Pow of two computed tensors, and Where with a constant operand, are
// refused in one line naming the node.
import { describe, expect, it } from 'vitest';
import { importOnnx, loadOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../../src/sim/verify/affine-compare.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { planNetwork } from '../../src/hardware/network/index.js';
import { OnnxBuilder, randomInput, rng } from './onnx-helpers.js';
import { relativeError, torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('arith');
const LAYERS: Record<string, string[]> = {
  attention: ['dense', 'dense', 'transpose', 'matmul', 'dense', 'dense', 'matmul', 'flatten', 'dense'],
  branches: [
    'conv',
    'conv',
    'conv',
    'binary:min',
    'binary:max',
    'binary:greater',
    'where',
    'binary:sub',
    'concat',
    'maxpool',
    'flatten',
    'dense',
  ],
};

describe('PyTorch arithmetic of two computed tensors', () => {
  for (const name of ['attention', 'branches']) {
    const x = fx.input(name);
    const n = fx.models[name]!.batch;
    for (const opset of [13, 17]) {
      it(`${name} opset ${opset}: float32 within 1e-4 of PyTorch; pow2 and affine quantize and verify with 0 mismatches`, () => {
        const g = loadOnnx(fx.onnx(name, opset));
        expect(relativeError(runFloat(g, x, n, { precision: 'float32' }).output, fx.output(name), 1e-2)).toBeLessThan(1e-4);
        const m = quantizeModel(g, { x, count: n }, { bits: 8 });
        expect(m.layers.map((l) => l.op + ('fn' in l ? `:${l.fn}` : ''))).toEqual(LAYERS[name]);
        const r = verifyModel(m, { x, count: n }, { float: g, mode: 'functional' });
        expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
        expect(r.valuesCompared).toBeGreaterThan(6000);
        const a = quantizeAffine(g, { x, count: n });
        const ort = compareAffineSchemes(a, Float64Array.from(x), n, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
        expect([ort.values, ort.differing]).toEqual([r.valuesCompared, 0]);
        const exact = compareAffineSchemes(a, Float64Array.from(x), n, { schemes: ['tflite-float', 'single-rounding'], reference: 'real' });
        for (const s of exact.schemes) expect(s.differing, s.scheme).toBe(0);
      });
    }
  }

  it('cost plans each matmul as a GEMM whose B operand is loaded per product (K x N per group, M output pixels)', () => {
    const m = quantizeModel(loadOnnx(fx.onnx('attention', 17)), { x: fx.input('attention'), count: 16 }, { bits: 8 });
    const plans = new Map(planNetwork(m, 2).map((p) => [p.name, p]));
    const qk = plans.get('/MatMul')!;
    expect(qk.op).toBe('matmul');
    // [6, 8] x [8, 6] per sample, 2 samples: 2 groups of 8 -> 6 over 6 pixels, 576 MACs
    expect([qk.shape.Cin, qk.shape.filters, qk.shape.outputPixels, qk.shape.groups, qk.dotLength]).toEqual([16, 12, 6, 2, 8]);
    expect(plans.get('/MatMul_1')!.shape.filters).toBe(16);
  });
});

describe('refusals', () => {
  const build = (op: string, inputs: (b: OnnxBuilder, h: string) => string[]) => {
    const b = new OnnxBuilder(rng(3));
    const h = b.node('MatMul', ['x', b.init('W', [4, 4])]);
    return importOnnx(b.build('x', [4], b.node(op, inputs(b, h), {}, 'y')));
  };
  const calib = { x: randomInput(8, rng(1)), count: 2 };
  it('Div and Pow of two computed tensors, and Where with a constant operand, name the node and the reason', () => {
    expect(() =>
      quantizeModel(
        build('Div', (_b, h) => ['x', h]),
        calib,
      ),
    ).toThrow(
      /^node '\S+': Div of two runtime tensors is not supported by the integer simulator \(a quotient by a computed divisor is unbounded near 0/,
    );
    expect(() =>
      quantizeModel(
        build('Pow', (_b, h) => ['x', h]),
        calib,
      ),
    ).toThrow(
      /^node '\S+': Pow of two runtime tensors is not supported by the integer simulator \(a computed exponent makes the result irrational/,
    );
    expect(() =>
      quantizeModel(
        build('Where', (b, h) => [b.node('Greater', ['x', h]), 'x', b.init('k', [], [0.5])]),
        calib,
      ),
    ).toThrow(/^node '\S+': Where with a constant operand is not supported by the integer simulator \(three runtime operands are\)$/);
  });
  it('operands of different ranks are refused in one line', () => {
    const b = new OnnxBuilder(rng(3));
    const h = b.node('MatMul', ['x', b.init('W', [4, 4])]);
    const v = b.node('Reshape', [h, b.int64('s', [0, 2, 2])]);
    const g = importOnnx(b.build('x', [4], b.node('Min', [v, b.node('MatMul', ['x', b.init('W2', [4, 2])])], {}, 'y')));
    expect(() => quantizeModel(g, calib)).toThrow(/^node '\S+': Min of \[2,2\], \[2\] is not supported by the integer simulator/);
  });
});
