import { describe, it } from 'vitest';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { OnnxBuilder } from './build.js';
import { expectOneLineUserError } from '../../../helpers/user-error.js';

/* The quantized-ONNX importer on malformed graphs: every refusal a one-line UserError, never a model its own validator rejects. */

function conv(b: OnnxBuilder, x: string, out: string): void {
  b.node(
    'QLinearConv',
    [
      x,
      b.scalar('float', 0.05),
      b.scalar('uint8', 128),
      b.init(`W${out}${b.scalar('float', 1)}`, 'int8', [1, 1, 1, 1], [3]),
      b.scalar('float', 0.01),
      b.scalar('int8', 0),
      b.scalar('float', 0.02),
      b.scalar('uint8', 128),
    ],
    [out],
  );
}

const IN = { name: 'x', type: 'float', shape: [1, 1, 2, 2] } as const;
const OUT = { name: 'y', type: 'uint8', shape: [1, 1, 2, 2] } as const;

describe('quantized ONNX import of malformed graphs', () => {
  it('QLinearConcat with too few inputs', () => {
    const b = new OnnxBuilder();
    b.node('QuantizeLinear', ['x', b.scalar('float', 0.05), b.scalar('uint8', 128)], ['xq']);
    b.node('QLinearConcat', [b.scalar('float', 0.05)], ['y'], { axis: 1 });
    expectOneLineUserError(
      () => importQuantizedOnnx(b.build(IN, OUT)),
      /QLinearConcat\): needs y_scale, y_zero_point, then .* triples, at least one/,
    );
  });

  it('no outputs, and a tensor written twice, are refused by the model validator', () => {
    const none = new OnnxBuilder();
    none.node('QuantizeLinear', ['x', none.scalar('float', 0.05), none.scalar('uint8', 128)], ['xq']);
    conv(none, 'xq', 'y');
    expectOneLineUserError(() => importQuantizedOnnx(none.build(IN, [])), /the imported model is not valid: .*outputs/);
    const twice = new OnnxBuilder();
    twice.node('QuantizeLinear', ['x', twice.scalar('float', 0.05), twice.scalar('uint8', 128)], ['xq']);
    conv(twice, 'xq', 'y');
    conv(twice, 'xq', 'y');
    expectOneLineUserError(() => importQuantizedOnnx(twice.build(IN, OUT)), /'y'|produced twice|used by two/);
  });

  it('an op named after an Object.prototype member is unsupported, not a crash', () => {
    for (const op of ['constructor', 'toString', '__proto__', 'QLinearconstructor']) {
      const b = new OnnxBuilder();
      b.node('QuantizeLinear', ['x', b.scalar('float', 0.05), b.scalar('uint8', 128)], ['xq']);
      b.node(op, ['xq'], ['y']);
      expectOneLineUserError(() => importQuantizedOnnx(b.build(IN, OUT)), /unsupported|not supported|QuantizeLinear|output/);
    }
  });
});
