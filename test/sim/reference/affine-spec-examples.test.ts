import { describe, expect, it } from 'vitest';
import { REQUANT_SCHEMES } from '../../../src/fixedpoint/requant.js';
import { runAffine, runAffineCodes } from '../../../src/sim/engine/run.js';
import { runAffineReference } from '../../../src/sim/reference/run.js';
import { ACC32, model, q } from '../affine-helpers.js';

/*
 * The ONNX specification's own examples (onnx/backend/test/case/node:
 * quantizelinear.py, qlinearmatmul.py, qlinearconv.py): inputs, scales, zero
 * points and expected outputs copied as numbers. The engine with requant
 * 'onnxruntime' and both reference arithmetics must reproduce them exactly.
 */

describe('ONNX QuantizeLinear example', () => {
  const m = model({ name: 'x', shape: [6], quant: q('uint8', 2, 128) }, []);
  const x = [0, 2, 3, 1000, -254, -1000];
  const expected = [128, 129, 130, 255, 1, 0];
  it('engine, onnxruntime', () => {
    expect(Array.from(runAffine(m, x, 1, { requant: 'onnxruntime' }).tensors.get('x')!)).toEqual(expected);
  });
  it('reference, real and float32', () => {
    for (const arithmetic of ['real', 'float32'] as const) {
      expect(Array.from(runAffineReference(m, x, 1, { arithmetic }).codes.get('x')!)).toEqual(expected);
    }
  });
  it('ties: half to even for onnxruntime, away from zero for the TFLite schemes', () => {
    const ties = [1, -1, 3, -3, 5, 0];
    expect(Array.from(runAffine(m, ties, 1, { requant: 'onnxruntime' }).tensors.get('x')!)).toEqual([128, 128, 130, 126, 130, 128]);
    expect(Array.from(runAffine(m, ties, 1, { requant: 'gemmlowp' }).tensors.get('x')!)).toEqual([129, 127, 130, 126, 131, 128]);
  });
});

describe('ONNX QLinearMatMul example (2D)', () => {
  const a = [208, 236, 0, 238, 3, 214, 255, 29];
  const b = [
    [152, 51, 244],
    [60, 26, 255],
    [0, 127, 246],
    [127, 254, 247],
  ]; // [K=4][N=3]
  const wT = [0, 1, 2].flatMap((n) => b.map((row) => row[n]!)); // weights [N][K]
  const m = model({ name: 'a', shape: [2, 4], quant: q('uint8', 0.0066, 113) }, [
    {
      name: 'mm',
      op: 'dense',
      inputs: ['a'],
      output: 'y',
      shape: [2, 3],
      out: q('uint8', 0.0107, 118),
      weights: { shape: [3, 4], codes: wT, quant: q('uint8', 0.00705, 114) },
      acc: ACC32,
    },
  ]);
  const expected = [168, 115, 255, 1, 66, 151];
  it('engine, onnxruntime', () => {
    expect(Array.from(runAffineCodes(m, a, 1).tensors.get('y')!)).toEqual(expected);
  });
  it('reference, real and float32', () => {
    for (const arithmetic of ['real', 'float32'] as const) {
      expect(Array.from(runAffineReference(m, a, 1, { arithmetic, inputCodes: true }).codes.get('y')!)).toEqual(expected);
    }
  });
  it('every requantization scheme', () => {
    for (const requant of REQUANT_SCHEMES)
      expect(Array.from(runAffineCodes(m, a, 1, { requant }).tensors.get('y')!), requant).toEqual(expected);
  });
});

describe('ONNX QLinearConv example', () => {
  const x = [
    255, 174, 162, 25, 203, 168, 58, 15, 59, 237, 95, 129, 0, 64, 56, 242, 153, 221, 168, 12, 166, 232, 178, 186, 195, 237, 162, 237, 188,
    39, 124, 77, 80, 102, 43, 127, 230, 21, 83, 41, 40, 134, 255, 154, 92, 141, 42, 148, 247,
  ];
  const expected = [
    0, 81, 93, 230, 52, 87, 197, 240, 196, 18, 160, 126, 255, 191, 199, 13, 102, 34, 87, 243, 89, 23, 77, 69, 60, 18, 93, 18, 67, 216, 131,
    178, 175, 153, 212, 128, 25, 234, 172, 214, 215, 121, 0, 101, 163, 114, 213, 107, 8,
  ];
  const m = model({ name: 'x', shape: [1, 7, 7], quant: q('uint8', 0.00369204697, 132) }, [
    {
      name: 'conv',
      op: 'conv',
      inputs: ['x'],
      output: 'y',
      shape: [1, 7, 7],
      out: q('uint8', 0.00162681262, 123),
      kernel: [1, 1],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
      dilations: [1, 1],
      group: 1,
      weights: { shape: [1, 1, 1, 1], codes: [0], quant: q('uint8', 0.00172794575, 255) },
      acc: ACC32,
    },
  ]);
  it('engine, onnxruntime', () => {
    expect(Array.from(runAffineCodes(m, x, 1).tensors.get('y')!)).toEqual(expected);
  });
  it('reference, real and float32', () => {
    for (const arithmetic of ['real', 'float32'] as const) {
      expect(Array.from(runAffineReference(m, x, 1, { arithmetic, inputCodes: true }).codes.get('y')!)).toEqual(expected);
    }
  });
});
