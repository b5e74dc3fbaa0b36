import { describe, expect, it } from 'vitest';
import { onnxCnn, onnxMlp } from '../../../bench/fuzz/seeds.js';
import { UserError } from '../../../src/errors.js';
import { importOnnx, loadOnnx } from '../../../src/models/onnx/import.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { checkFloatMatches } from '../../../src/sim/verify/float-check.js';
import { loadIntegerModel } from '../../../src/sim/importers/load.js';

describe("verify --float: the float network must be the model's own", () => {
  const g = importOnnx(onnxMlp(), 'mlp.onnx');
  const calib = { x: Float64Array.from({ length: 16 * 8 }, (_, i) => (i * 5) % 17), count: 8 };
  const other = importOnnx(onnxCnn(), 'cnn.onnx');
  // The same network with one weight changed by one float64 ulp.
  const nudged = importOnnx(onnxMlp(), 'mlp.onnx');
  const gemm = nudged.nodes.find((n) => n.op === 'Gemm')! as { weights: { B: { data: Float64Array } } };
  gemm.weights.B.data[3] = gemm.weights.B.data[3]! * (1 + Number.EPSILON);

  it('with the stored float graph: equal passes, any other network or weight is refused', () => {
    const m = quantizeModel(g, calib);
    expect(() => checkFloatMatches(m, importOnnx(onnxMlp(), 'again.onnx'), 'again.onnx')).not.toThrow();
    expect(() => checkFloatMatches(m, other, 'cnn.onnx')).toThrow(UserError);
    expect(() => checkFloatMatches(m, nudged, 'nudged.onnx')).toThrow(/is not the float network/);
  });

  it('the same network exported to ONNX (nodes renamed) passes: the demo model with its helu.onnx', () => {
    const m = loadIntegerModel('reports/demo/model.q.json');
    expect(() => checkFloatMatches(m, loadOnnx('reports/demo/helu.onnx'), 'helu.onnx')).not.toThrow();
    expect(() => checkFloatMatches(m, other, 'cnn.onnx')).toThrow(UserError);
  });

  it('without a stored float graph: the same layers pass, another structure is refused', () => {
    const m = quantizeModel(g, calib, { storeFloat: false });
    expect(() => checkFloatMatches(m, g, 'mlp.onnx')).not.toThrow();
    expect(() => checkFloatMatches(m, other, 'cnn.onnx')).toThrow(/does not have the structure of/);
  });
});
