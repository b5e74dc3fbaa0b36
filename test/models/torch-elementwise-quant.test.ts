// PyTorch CNNs whose ops are elementwise functions outside the activation patterns
// (test/fixtures/torch/elementwise.py): Softplus, Mish as x * tanh(softplus x), a per-channel and
// a one-slope PReLU, a final LogSoftmax; Neg, Abs, Sqrt, Exp, Log, Pow, Erf, Min/Max with a
// constant, a comparison, Cast to an integer type, Sign. Float32 inference agrees with PyTorch;
// 8-bit pow2 quantize and verify find 0 mismatches against the float reference (functional at
// every opset, and the gate-level circuits at opset 17); the affine engine's onnxruntime scheme
// equals the float32 QLinear* reference. ONNX Mish (opset 18) and Cast to bool, built here, agree
// with onnxruntime-node and quantize; Mod of two runtime tensors is refused in one line.
import { describe, expect, it } from 'vitest';
import { loadOnnx, importOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../../src/sim/verify/affine-compare.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { OnnxBuilder, randomInput, relErr, rng, runOrt } from './onnx-helpers.js';
import { torchFixtures } from './torch-fixtures.js';
import { planNetwork } from '../../src/hardware/network/index.js';

const fx = torchFixtures('elementwise');
const UNITS: Record<string, string[]> = {
  acts_more: ['softplus', 'tanh', 'relu', 'min:0', 'leakyrelu:0.25'],
  eltwise: ['neg', 'abs', 'sqrt', 'exp', 'log', 'pow:2', 'pow:3', 'erf', 'max:0.5', 'min:-0.25', 'trunc', 'sign'],
};

describe('PyTorch elementwise ops, float and 8-bit pow2', () => {
  for (const name of ['acts_more', 'eltwise']) {
    const x = fx.input(name);
    const n = fx.models[name]!.batch;
    for (const opset of [11, 13, 17]) {
      it(`${name} opset ${opset}: float32 equals PyTorch; quantize and verify find 0 mismatches`, () => {
        const g = loadOnnx(fx.onnx(name, opset));
        expect(relErr(runFloat(g, x, n, { precision: 'float32' }).output, fx.output(name))).toBeLessThan(1e-5);
        const m = quantizeModel(g, { x, count: n }, { bits: 8 });
        const units = m.layers.flatMap((l) => (l.op === 'activation' ? [l.activation] : []));
        for (const u of UNITS[name]!) expect(units).toContain(u);
        if (name === 'acts_more') expect(m.metadata.softmax).toMatch(/LogSoftmax/);
        const r = verifyModel(m, { x, count: n }, { float: g, mode: opset === 17 ? 'both' : 'functional' });
        expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
        expect(r.valuesCompared).toBeGreaterThan(60000);
      });
    }
    it(`${name}: the affine engine's onnxruntime scheme equals the float32 reference`, () => {
      const a = quantizeAffine(loadOnnx(fx.onnx(name, 17)), { x, count: n });
      const d = compareAffineSchemes(a, Float64Array.from(x), n, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
      expect(d.values).toBeGreaterThan(60000);
      expect(d.differing).toBe(0);
    });
  }
});

/** x [N, 6] -> MatMul -> Mish (opset 18) -> Add of (Cast to bool, back to float) -> output. */
function mishModel(): Uint8Array {
  const b = new OnnxBuilder(rng(5));
  const h = b.node('MatMul', ['x', b.init('W', [6, 8], undefined, 1)]);
  const m = b.node('Mish', [h]);
  const c = b.node('Cast', [b.node('Cast', [m], { to: 9 })], { to: 1 });
  return b.build('x', [6], b.node('Add', [m, c]), 18);
}

describe('ONNX nodes built here', () => {
  it('Mish and Cast to bool agree with onnxruntime-node in float and quantize with 0 mismatches', async () => {
    const bytes = mishModel();
    const x = randomInput(64 * 6, rng(9), -3, 3);
    const g = importOnnx(bytes);
    expect(relErr(runFloat(g, x, 64, { precision: 'float32' }).output, await runOrt(bytes, x, [64, 6]))).toBeLessThan(1e-6);
    const m = quantizeModel(g, { x, count: 64 }, { bits: 8 });
    expect(m.layers.flatMap((l) => (l.op === 'activation' ? [l.activation] : []))).toEqual(['mish', 'bool']);
    const r = verifyModel(m, { x, count: 64 }, { float: g, mode: 'both' });
    expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
  });

  it('Mod of two runtime tensors is refused in one line naming the node', () => {
    const b = new OnnxBuilder(rng(3));
    const h = b.node('MatMul', ['x', b.init('W', [4, 4])]);
    const mod = b.build('x', [4], b.node('Mod', ['x', h], { fmod: 1 }, 'y'));
    expect(() => quantizeModel(importOnnx(mod), { x: randomInput(8, rng(1)), count: 2 })).toThrow(
      /^node '\S+': Mod of two runtime tensors is not supported by the integer simulator \(fmod by a computed divisor is undefined at 0/,
    );
  });
});

describe('the stored float copy', () => {
  it('the native graph JSON keeps the elementwise nodes: the same float outputs after a round trip', async () => {
    const { graphFromJson, graphToJson } = await import('../../src/models/formats/native.js');
    const g = loadOnnx(fx.onnx('eltwise', 17));
    const x = fx.input('eltwise');
    const back = graphFromJson(graphToJson(g), 'eltwise.json');
    expect(Array.from(runFloat(back, x, 16).output)).toEqual(Array.from(runFloat(g, x, 16).output));
  });
});

describe('cost plan', () => {
  it("Mish's tanh runs after softplus on the conv's outputs; PRelu's relu and min:0 run beside each other", () => {
    const m = quantizeModel(loadOnnx(fx.onnx('acts_more', 17)), { x: fx.input('acts_more'), count: 16 }, { bits: 8 });
    const plans = new Map(planNetwork(m).map((p) => [p.name, p]));
    const units = (name: string) => [
      plans.get(name)!.activationLayer,
      ...(plans.get(name)!.then ?? []).map((t) => `${t.layer}${t.parallel ? ' beside' : ''}`),
    ];
    expect(units('/2/Conv')).toEqual(['/3/Softplus', '/3/Tanh']);
    expect(units('/4/Conv')).toEqual(['/5/PRelu_relu', '/5/PRelu_min beside']);
    expect(units('/6/Conv')).toEqual(['/7/PRelu']);
  });
});
