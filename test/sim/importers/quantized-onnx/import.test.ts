import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/errors.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { isQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/read.js';
import { validateIntModel } from '../../../../src/sim/quantize/validate.js';
import { OnnxBuilder } from './build.js';
import { qopCnn, qopMlp } from './models.js';
import { integerOps, qdqCnn } from './models-qdq.js';

/* The quantized-ONNX import: model structure, metadata, and its errors. */

function quantizedInput(b: OnnxBuilder): string {
  b.node('QuantizeLinear', ['x', b.scalar('float', 0.05), b.scalar('uint8', 128)], ['xq']);
  return 'xq';
}

describe('quantized ONNX import', () => {
  it('QOperator and QDQ models become affine models with requant onnxruntime', () => {
    const q = importQuantizedOnnx(qopCnn({ act: 'uint8', perChannel: true, seed: 3 }).bytes, 'qop.onnx');
    expect(q.scheme).toBe('affine');
    expect(q.requant).toBe('onnxruntime');
    expect(q.metadata.quantFormat).toBe('QOperator');
    expect(q.layers.map((l) => l.op)).toEqual([
      'conv',
      'maxpool',
      'conv',
      'conv',
      'add',
      'concat',
      'avgpool',
      'conv',
      'globalavgpool',
      'flatten',
      'dense',
    ]);
    const d = importQuantizedOnnx(qdqCnn({ act: 'int8', perChannel: false, seed: 4 }).bytes, 'qdq.onnx');
    expect(d.metadata.quantFormat).toBe('QDQ');
    const act = d.layers.find((l) => l.op === 'activation');
    expect(act && act.op === 'activation' && act.circuit.gates).toBeGreaterThan(0);
  });

  it('imported models round-trip through the model validator', () => {
    for (const bytes of [
      qdqCnn({ act: 'uint8', perChannel: true, seed: 5 }).bytes,
      qopCnn({ act: 'int8', perChannel: false, seed: 6 }).bytes,
    ]) {
      const m = importQuantizedOnnx(bytes);
      expect(() => validateIntModel(JSON.parse(JSON.stringify(m)))).not.toThrow();
    }
  });

  it('an add with a constant operand (QLinearAdd with an initializer) round-trips through the validator', () => {
    const m = importQuantizedOnnx(integerOps({ act: 'uint8', perChannel: true, seed: 5 }).bytes);
    expect(m.layers.some((l) => l.op === 'add' && l.inputs.length === 1)).toBe(true);
    expect(() => validateIntModel(JSON.parse(JSON.stringify(m)))).not.toThrow();
  });

  it('recognizes quantized models', () => {
    expect(isQuantizedOnnx(qopMlp({ act: 'uint8', perChannel: false, seed: 1 }).bytes)).toBe(true);
    const b = new OnnxBuilder();
    b.node('Relu', ['x'], ['y']);
    expect(isQuantizedOnnx(b.build({ name: 'x', type: 'float', shape: [1, 4] }, { name: 'y', type: 'float', shape: [1, 4] }))).toBe(false);
    expect(isQuantizedOnnx(new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it('an unsupported operator is a UserError naming the op and the node', () => {
    const b = new OnnxBuilder();
    const xq = quantizedInput(b);
    b.node('DequantizeLinear', [xq, b.scalar('float', 0.05), b.scalar('uint8', 128)], ['xf']);
    b.node('Softsign', ['xf'], ['s']);
    b.node('QuantizeLinear', ['s', b.scalar('float', 0.01), b.scalar('uint8', 128)], ['y']);
    const bytes = b.build({ name: 'x', type: 'float', shape: [1, 4] }, { name: 'y', type: 'uint8', shape: [1, 4] });
    expect(() => importQuantizedOnnx(bytes)).toThrow(UserError);
    expect(() => importQuantizedOnnx(bytes)).toThrow(/Softsign_\d+' \(Softsign\): operator not supported/);
  });

  it('a float bias in a QDQ Conv is rejected with the node named', () => {
    const b = new OnnxBuilder();
    const xq = quantizedInput(b);
    b.node('DequantizeLinear', [xq, b.scalar('float', 0.05), b.scalar('uint8', 128)], ['xf']);
    b.init('W', 'int8', [2, 1, 1, 1], [3, -4]);
    b.node('DequantizeLinear', ['W', b.scalar('float', 0.01), b.scalar('int8', 0)], ['wf']);
    b.init('B', 'float', [2], [0.1, 0.2]);
    b.node('Conv', ['xf', 'wf', 'B'], ['c'], { kernel_shape: [1, 1] });
    b.node('QuantizeLinear', ['c', b.scalar('float', 0.01), b.scalar('uint8', 128)], ['y']);
    const bytes = b.build({ name: 'x', type: 'float', shape: [1, 1, 2, 2] }, { name: 'y', type: 'uint8', shape: [1, 2, 2, 2] });
    expect(() => importQuantizedOnnx(bytes)).toThrow(/Conv_\d+' \(Conv\): bias 'B' is a float constant/);
  });

  it('a QLinearConv whose input scale differs from its producer is rejected', () => {
    const b = new OnnxBuilder();
    const xq = quantizedInput(b);
    b.init('W', 'int8', [1, 1, 1, 1], [3]);
    b.node(
      'QLinearConv',
      [
        xq,
        b.scalar('float', 0.07),
        b.scalar('uint8', 128),
        'W',
        b.scalar('float', 0.01),
        b.scalar('int8', 0),
        b.scalar('float', 0.02),
        b.scalar('uint8', 128),
      ],
      ['y'],
    );
    const bytes = b.build({ name: 'x', type: 'float', shape: [1, 1, 2, 2] }, { name: 'y', type: 'uint8', shape: [1, 1, 2, 2] });
    expect(() => importQuantizedOnnx(bytes)).toThrow(/QLinearConv\): input scale\/zero point/);
  });

  it('an input that is never quantized, and a corrupt file, are UserErrors', () => {
    const b = new OnnxBuilder();
    b.node('Identity', ['x'], ['y']);
    expect(() =>
      importQuantizedOnnx(b.build({ name: 'x', type: 'float', shape: [1, 4] }, { name: 'y', type: 'float', shape: [1, 4] })),
    ).toThrow(UserError);
    expect(() => importQuantizedOnnx(new Uint8Array([0xff, 0xff, 0xff]), 'bad.onnx')).toThrow(/'bad.onnx' is not a valid ONNX model/);
  });
});
