// A PyTorch CNN with squeeze-and-excitation (x * sigmoid(fc(mean(x))): a Mul of two runtime
// tensors), x * sigmoid(x), a residual block and a dilated conv, exported at opsets 9 and 17:
// quantizes to pow2 and affine; pow2 verifies with 0 mismatches against the float reference,
// the affine engine's onnxruntime scheme equals the float32 QLinear* reference, and the integer
// outputs keep PyTorch's argmax on most samples. A nearest Upsample quantizes as gather layers.
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../../src/models/onnx/import.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../../src/sim/verify/affine-compare.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { runInteger } from '../../src/sim/engine/run.js';
import { torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('small');
const argmax = (v: ArrayLike<number>, i: number, w: number) => {
  let best = 0;
  for (let k = 1; k < w; k++) if (v[i * w + k]! > v[i * w + best]!) best = k;
  return best;
};

describe('squeeze-and-excitation CNN from PyTorch, integer', () => {
  const x = fx.input('cnn_se');
  const n = fx.models.cnn_se!.batch;
  for (const opset of [9, 17]) {
    it(`opset ${opset}: pow2 verifies with 0 mismatches; its SE Mul is a mul layer; argmax agrees with PyTorch`, () => {
      const g = loadOnnx(fx.onnx('cnn_se', opset));
      const m = quantizeModel(g, { x, count: n }, { bits: 8 });
      expect(m.layers.filter((l) => l.op === 'mul')).toHaveLength(1);
      expect(m.layers.some((l) => l.op === 'activation' && l.activation === 'silu')).toBe(true);
      const r = verifyModel(m, { x, count: n }, { float: g });
      expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
      const out = runInteger(m, x, n, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
      const want = fx.output('cnn_se');
      let agree = 0;
      for (let i = 0; i < n; i++) if (argmax(out, i, 10) === argmax(want, i, 10)) agree++;
      expect(agree).toBeGreaterThanOrEqual(n - 2);
    });
  }

  it("affine: the engine's onnxruntime scheme equals the float32 reference on every code", () => {
    const a = quantizeAffine(loadOnnx(fx.onnx('cnn_se', 17)), { x, count: n });
    const d = compareAffineSchemes(a, Float64Array.from(x), n, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
    expect(d.values).toBeGreaterThan(5000);
    expect(d.differing).toBe(0);
  });

  it('the nearest Upsample of cnn_acts quantizes as gather layers and verifies with 0 mismatches', () => {
    const g = loadOnnx(fx.onnx('cnn_acts', 17));
    const m = quantizeModel(g, { x: fx.input('cnn_acts'), count: 8 });
    expect(m.layers.filter((l) => l.op === 'gather').map((l) => l.name)).toEqual(['/8/Resize_axis1', '/8/Resize']);
    const r = verifyModel(m, { x: fx.input('cnn_acts'), count: 8 });
    expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
  });
});
