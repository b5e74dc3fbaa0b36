// A PyTorch CNN of data-movement ops (test/fixtures/torch/data_ops.py): nearest Upsample, torch.split, torch.chunk,
// a slice, a channel index list, amax / amin / max(dim) / mean / sum over channels and over other
// axes, torch.cat with a constant tensor and nn.ZeroPad2d before a Sigmoid, exported at opsets 11,
// 13 and 17. Float32 agrees with PyTorch to 1e-4; 8-bit pow2 quantize and verify find 0 mismatches
// against the float reference (gather, reduce, constant and pad layers included); the affine engine's
// onnxruntime scheme equals the float32 reference on every code. Reduce kinds outside sum/mean/max/min
// and a Pad value off the input's grid are refused in one line naming the node.
import { describe, expect, it } from 'vitest';
import { importOnnx, loadOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../../src/sim/verify/affine-compare.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { runInteger } from '../../src/sim/engine/run.js';
import { planNetwork } from '../../src/hardware/network/index.js';
import { OnnxBuilder, randomInput, rng, runOrt } from './onnx-helpers.js';
import { relativeError, torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('data');
const x = fx.input('data_ops');
const n = fx.models.data_ops!.batch;
const argmax = (v: ArrayLike<number>, i: number, w: number) => {
  let best = 0;
  for (let k = 1; k < w; k++) if (v[i * w + k]! > v[i * w + best]!) best = k;
  return best;
};

describe('data-movement ops from PyTorch, float and integer', () => {
  for (const opset of [11, 13, 17]) {
    it(`opset ${opset}: float32 equals PyTorch; pow2 quantize and verify find 0 mismatches`, () => {
      const g = loadOnnx(fx.onnx('data_ops', opset));
      const want = fx.output('data_ops');
      const scale = want.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      expect(relativeError(runFloat(g, x, n, { precision: 'float32' }).output, want, 1e-3 * scale)).toBeLessThan(1e-4);
      const m = quantizeModel(g, { x, count: n }, { bits: 8 });
      const ops = m.layers.map((l) => (l.op === 'reduce' ? `reduce:${l.fn}` : l.op));
      for (const op of ['gather', 'reduce:sum', 'reduce:mean', 'reduce:max', 'reduce:min', 'constant', 'pad']) expect(ops).toContain(op);
      // the constant operand is quantized into the concat's format: the concat moves its codes unchanged
      const k = m.layers.find((l) => l.op === 'constant')!;
      const cat = m.layers.find((l) => l.op === 'concat' && l.inputs.includes(k.output))!;
      expect(k.out).toEqual(cat.out);
      const r = verifyModel(m, { x, count: n }, { float: g, mode: opset === 17 ? 'both' : 'functional' });
      expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
      expect(r.valuesCompared).toBeGreaterThan(50000);
      const out = runInteger(m, x, n, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
      let agree = 0;
      for (let i = 0; i < n; i++) if (argmax(out, i, 10) === argmax(want, i, 10)) agree++;
      expect(agree).toBeGreaterThanOrEqual(n - 3);
    });
  }

  it("affine: the engine's onnxruntime scheme equals the float32 reference on every code; cost plans it", () => {
    const a = quantizeAffine(loadOnnx(fx.onnx('data_ops', 13)), { x, count: n });
    const d = compareAffineSchemes(a, Float64Array.from(x), n, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
    expect(d.values).toBeGreaterThan(50000);
    expect(d.differing).toBe(0);
    // the sigmoid after the pad runs as a unit after the first conv's relu
    const plans = planNetwork(a);
    expect(plans.map((p) => p.name)).toEqual(['/conv/Conv', '/conv2/Conv', '/head/Gemm']);
  });

  it('a reduction other than sum, mean, max, min is refused in one line naming the node', () => {
    const b = new OnnxBuilder(rng(2));
    const y = b.node('ReduceL2', ['x'], { axes: [1], keepdims: 1 }, 'y');
    const g = importOnnx(b.build('x', [3, 4], y, 13));
    expect(() => quantizeModel(g, { x: randomInput(16, rng(1)), count: 2 })).toThrow(
      /^node '\S+': ReduceL2 is not supported by the integer simulator \(ReduceSum, ReduceMean, ReduceMax and ReduceMin are; float inference runs it\)$/,
    );
  });

  it('a Pad whose value is off the input grid is refused in one line; a representable value pads exactly', () => {
    const model = (value: number) => {
      const b = new OnnxBuilder(rng(2));
      const p = b.node('Pad', ['x', b.int64('pads', [0, 1, 0, 0, 0, 2]), b.init('v', [], [value])], { mode: 'constant' });
      return importOnnx(b.build('x', [3, 4], b.node('Sigmoid', [p], {}, 'y'), 13));
    };
    const xs = randomInput(8 * 12, rng(4));
    expect(() => quantizeModel(model(0.3), { x: xs, count: 8 })).toThrow(
      /^node '\S+': Pad value 0\.3\d* is not exactly representable in the input's quantization fixed<8,1,RND_CONV,SAT> \(the integer simulator pads with codes of the input tensor\)$/,
    );
    const m = quantizeModel(model(-0.75), { x: xs, count: 8 });
    expect(m.layers.find((l) => l.op === 'pad')).toMatchObject({ value: -96 });
    const r = verifyModel(m, { x: xs, count: 8 });
    expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
  });
});

describe('integer shape arithmetic on import', () => {
  it('Div of int64 constants truncates (a Slice start of 5 / 2 = 2), Div of floats does not; as onnxruntime computes', async () => {
    const b = new OnnxBuilder(rng(3));
    const start = b.node('Div', [b.int64('five', [5]), b.int64('two', [2])]);
    const s = b.node('Slice', ['x', start, b.int64('end', [4]), b.int64('axis', [1])]);
    const k = b.node('Div', [b.init('f5', [], [5]), b.init('f2', [], [2])]);
    const bytes = b.build('x', [6], b.node('Mul', [s, k], {}, 'y'), 13);
    const xs = randomInput(3 * 6, rng(7));
    const y = runFloat(importOnnx(bytes), xs, 3, { precision: 'float32' }).output;
    expect(y.length).toBe(3 * 2);
    expect(Array.from(y)).toEqual(Array.from(await runOrt(bytes, xs, [3, 6])));
  });
});
