// A PyTorch MLP that standardizes each pixel with registered mean/std buffers (the StandardScaler
// pattern, a few standard deviations tiny), trained on Fashion-MNIST: helu-sim's float accuracy
// count equals PyTorch's exactly, and 8-bit quantization (pow2 and affine) keeps the accuracy
// within 1 point of float while verify finds 0 mismatches.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/models/datasets/index.js';
import { evaluateGraph } from '../../src/models/evaluate.js';
import { loadOnnx } from '../../src/models/onnx/import.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { runInteger } from '../../src/sim/engine/run.js';
import { argmaxRow } from '../../src/models/evaluate.js';
import type { IntModel } from '../../src/sim/quantize/model.js';
import { measureQuality, qualityWarnings } from '../../src/sim/verify/quality.js';
import { torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('trained');
const ds = loadDataset('fashion-mnist');
const g = loadOnnx(fx.onnx('fmnist_scaler', 17));
const per = 784;
const calib = { x: ds.train.x.subarray(0, 256 * per), count: 256 };
const test = { x: ds.test.x.subarray(0, 1000 * per), y: ds.test.y.subarray(0, 1000), count: 1000 };

describe('StandardScaler MLP from PyTorch', () => {
  it('float accuracy count equals PyTorch on all 10000 test images', () => {
    const acc = evaluateGraph(g, ds.test, undefined, { precision: 'float32' });
    expect(acc.correct).toBe(fx.models['fmnist_scaler']!.testCorrect);
  });

  /** Correct test images of the integer engine (argmax of the output codes: one scale per output tensor). */
  const intCorrect = (m: IntModel): number => {
    const out = runInteger(m, test.x, test.count, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
    let c = 0;
    for (let i = 0; i < test.count; i++) if (argmaxRow(out, i, 10) === test.y[i]) c++;
    return c;
  };
  const floatCorrect = evaluateGraph(g, { x: test.x, y: test.y, count: test.count }).correct;

  it('pow2 8-bit keeps accuracy within 1 point of float, 0 mismatches', () => {
    const m = quantizeModel(g, calib, { bits: 8 });
    const few = { x: test.x.subarray(0, 100 * per), y: test.y.subarray(0, 100), count: 100 };
    const r = verifyModel(m, few, { float: g });
    expect(r.mismatches).toBe(0);
    expect(r.valuesCompared).toBeGreaterThan(0);
    expect(Math.abs(intCorrect(m) - floatCorrect)).toBeLessThanOrEqual(10);
  });

  it('affine 8-bit keeps accuracy within 1 point of float', () => {
    expect(Math.abs(intCorrect(quantizeAffine(g, calib, {})) - floatCorrect)).toBeLessThanOrEqual(10);
  });

  it('quantize warns when integer accuracy or SQNR falls far below float (3 bits), not at 8 bits', () => {
    const calibLabeled = { ...calib, y: ds.train.y.subarray(0, 256) };
    const good = measureQuality(g, quantizeModel(g, calib, { bits: 8 }), calibLabeled);
    expect(qualityWarnings(good)).toEqual([]);
    const bad = measureQuality(g, quantizeModel(g, calib, { bits: 3 }), calibLabeled);
    expect(bad.intAccuracy!).toBeLessThan(bad.floatAccuracy! - 0.05);
    expect(qualityWarnings(bad).join('\n')).toMatch(/integer accuracy .* is far below the float network's/);
  });
});
