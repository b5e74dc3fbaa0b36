import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/errors.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { OnnxBuilder, type ValueInfo } from './build.js';

/*
 * Malformed quantized models: each is one UserError whose message names the
 * node (or the file) and the problem, never an internal error.
 */

const X: ValueInfo = { name: 'x', type: 'float', shape: [1, 4] };
const Y: ValueInfo = { name: 'y', type: 'uint8', shape: [1, 4] };

function expectUserError(bytes: Uint8Array, message: RegExp): void {
  let err: unknown;
  try {
    importQuantizedOnnx(bytes, 'bad.onnx');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message, (err as Error).message).toMatch(message);
  expect((err as Error).message).not.toMatch(/\n/);
}

/** x -> QuantizeLinear(scale, zp) -> DequantizeLinear -> Relu -> QuantizeLinear -> y, with the first pair's parameters given. */
function reluModel(scale: string, zp: string, b = new OnnxBuilder()): Uint8Array {
  b.node('QuantizeLinear', ['x', scale, zp], ['xq']);
  b.node('DequantizeLinear', ['xq', scale, zp], ['xf']);
  b.node('Relu', ['xf'], ['r']);
  b.node('QuantizeLinear', ['r', scale, zp], ['y']);
  return b.build(X, Y);
}

describe('bad quantized models', () => {
  it('a missing scale names the node and the input', () => {
    const b = new OnnxBuilder();
    expectUserError(
      reluModel('nowhere', b.scalar('uint8', 0), b),
      /node 'QuantizeLinear_\d+' \(QuantizeLinear\): output scale 'nowhere' must be a constant/,
    );
  });

  it('a zero point of a float type is refused with the accepted types', () => {
    const b = new OnnxBuilder();
    expectUserError(
      reluModel(b.scalar('float', 0.1), b.scalar('float', 3), b),
      /QuantizeLinear\): output zero point has element type 1; accepted: int8, uint8/,
    );
  });

  it('a scale of 0, negative or not finite is refused', () => {
    for (const s of [0, -0.5, Infinity]) {
      const b = new OnnxBuilder();
      expectUserError(
        reluModel(b.scalar('float', s), b.scalar('uint8', 0), b),
        /QuantizeLinear\): output scale -?[\w.]+ must be a positive finite float32/,
      );
    }
  });

  it('a zero point outside its type and per-channel counts that disagree are refused', () => {
    const b = new OnnxBuilder();
    b.node('QuantizeLinear', ['x', b.scalar('float', 0.1), b.scalar('uint8', 0)], ['xq']);
    b.init('W', 'int8', [4, 4], new Array(16).fill(1));
    b.init('ws', 'float', [3], [0.1, 0.1, 0.1]);
    b.init('wz', 'int8', [3], [0, 0, 0]);
    b.node(
      'QLinearMatMul',
      ['xq', b.scalar('float', 0.1), b.scalar('uint8', 0), 'W', 'ws', 'wz', b.scalar('float', 0.2), b.scalar('uint8', 0)],
      ['y'],
    );
    expectUserError(b.build(X, Y), /QLinearMatMul\): weight has 3 scales; expected 1 or 4/);
  });

  it('unsupported glue: a float op on the input, a Pad in reflect mode, a Cast that changes the type', () => {
    const sqrt = new OnnxBuilder();
    sqrt.node('Sqrt', ['x'], ['s']);
    sqrt.node('QuantizeLinear', ['s', sqrt.scalar('float', 0.1), sqrt.scalar('uint8', 0)], ['y']);
    expectUserError(
      sqrt.build(X, Y),
      /Sqrt\): float Sqrt of the model input before its QuantizeLinear is not supported; accepted there: Add, Sub, Mul, Div/,
    );
    const cast = new OnnxBuilder();
    cast.node('QuantizeLinear', ['x', cast.scalar('float', 0.1), cast.scalar('uint8', 0)], ['xq']);
    cast.node('Cast', ['xq'], ['y'], { to: 3 });
    expectUserError(cast.build(X, Y), /Cast\): casts the uint8 tensor 'xq' to element type 3; only a Cast to its own type/);
    const pad = new OnnxBuilder();
    pad.node('QuantizeLinear', ['x', pad.scalar('float', 0.1), pad.scalar('uint8', 0)], ['xq']);
    pad.node('DequantizeLinear', ['xq', pad.scalar('float', 0.1), pad.scalar('uint8', 0)], ['xf']);
    pad.init('pads', 'int64', [8], [0, 0, 1, 1, 0, 0, 1, 1]);
    pad.node('Pad', ['xf', 'pads'], ['p']);
    pad.node('Relu', ['p'], ['r']);
    pad.node('QuantizeLinear', ['r', pad.scalar('float', 0.1), pad.scalar('uint8', 0)], ['y']);
    expectUserError(
      pad.build({ name: 'x', type: 'float', shape: [1, 1, 2, 2] }, Y),
      /Relu\): input 0 'p' comes from a Pad; a Pad is supported only before Conv and AveragePool/,
    );
  });

  it('a QLinearConcat without inputs, a model without outputs, a tensor written twice', () => {
    const cat = new OnnxBuilder();
    cat.node('QuantizeLinear', ['x', cat.scalar('float', 0.1), cat.scalar('uint8', 0)], ['xq']);
    cat.node('QLinearConcat', [cat.scalar('float', 0.1), cat.scalar('uint8', 0)], ['y'], { axis: 1 }, 'com.microsoft');
    expectUserError(
      cat.build(X, Y),
      /QLinearConcat\): needs y_scale, y_zero_point, then \(tensor, scale, zero point\) triples, at least one; got 2 inputs/,
    );
    const none = new OnnxBuilder();
    none.node('QuantizeLinear', ['x', none.scalar('float', 0.1), none.scalar('uint8', 0)], ['xq']);
    expectUserError(
      none.build(X, []),
      /'bad.onnx': the imported model is not valid: integer model: field 'outputs' must name at least one tensor/,
    );
    const twice = new OnnxBuilder();
    const s = twice.scalar('float', 0.1);
    const z = twice.scalar('uint8', 0);
    twice.node('QuantizeLinear', ['x', s, z], ['xq']);
    twice.node('DequantizeLinear', ['xq', s, z], ['xf']);
    twice.node('Relu', ['xf'], ['r1']);
    twice.node('QuantizeLinear', ['r1', s, z], ['y']);
    twice.node('Sigmoid', ['xf'], ['r2']);
    twice.node('QuantizeLinear', ['r2', s, z], ['y']);
    expectUserError(
      twice.build(X, Y),
      /the imported model is not valid: integer model: field 'layers\[1\]\.output' tensor 'y' is produced twice/,
    );
  });
});
