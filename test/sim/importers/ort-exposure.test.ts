import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importQuantizedOnnx } from '../../../src/sim/importers/quantized-onnx/import.js';
import { pairSaturationExposure, pairSaturationWarning } from '../../../src/sim/importers/ort-exposure.js';
import type { IntLayer } from '../../../src/sim/quantize/model.js';

/* Which layers onnxruntime's vpmaddubsw path can compute differently (uint8 inputs, int8 weights outside [-64, 63]). */

const m = importQuantizedOnnx(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'quantized', 'cnn_fx_op13.onnx')));

describe('pair-saturation exposure', () => {
  it('names the exposed layers of a PyTorch model with full-range int8 weights', () => {
    expect(pairSaturationExposure(m)).toEqual(['/conv1/Conv', '/conv2/Conv', '/fc/Gemm']);
    expect(pairSaturationWarning(m)).toMatch(
      /^layers \/conv1\/Conv, \/conv2\/Conv, \/fc\/Gemm have int8 weights outside \[-64, 63\] with uint8 inputs/,
    );
  });

  it('weights within [-64, 63] are not exposed', () => {
    const layers = m.layers.map((l) =>
      l.op === 'dense' || l.op === 'conv'
        ? { ...l, weights: { ...l.weights, codes: l.weights.codes.map((c) => Math.max(-64, Math.min(63, c))) } }
        : l,
    ) as IntLayer[];
    expect(pairSaturationExposure({ ...m, layers })).toEqual([]);
    expect(pairSaturationWarning({ ...m, layers })).toBeUndefined();
    const one = layers.map((l, i) =>
      i === 0 && l.op === 'conv' ? { ...l, weights: { ...l.weights, codes: [-65, ...l.weights.codes.slice(1)] } } : l,
    ) as IntLayer[];
    expect(pairSaturationExposure({ ...m, layers: one })).toEqual(['/conv1/Conv']);
  });
});

describe('pair-saturation exposure follows what onnxruntime saturates', () => {
  it('depthwise convolutions and ConvInteger layers are not exposed (onnxruntime sums them exactly)', () => {
    const layers = m.layers.map((l) => (l.op === 'conv' ? { ...l, rescale: { scale: [1] } } : l)) as IntLayer[];
    expect(pairSaturationExposure({ ...m, layers })).toEqual(['/fc/Gemm']);
    const dw = {
      name: 'dw',
      op: 'conv',
      inputs: [m.input.name],
      output: 'dw',
      shape: [1, 8, 8],
      out: m.input.quant,
      group: 1,
      kernel: [3, 3],
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      dilations: [1, 1],
      weights: {
        shape: [1, 1, 3, 3],
        codes: [127, 127, 127, 127, 127, 127, 127, 127, 127],
        quant: { kind: 'affine', type: 'int8', scale: [1], zeroPoint: [0] },
      },
      acc: { kind: 'int', bits: 32, overflow: 'WRAP' },
    } as unknown as IntLayer;
    expect(pairSaturationExposure({ ...m, layers: [dw] })).toEqual([]);
  });
});
