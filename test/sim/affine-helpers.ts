import type { AffineQuant, IntLayer, IntModel } from '../../src/sim/quantize/model.js';

/** A per-tensor affine quant with its scale rounded to float32 (as ONNX stores scales). */
export function q(type: 'int8' | 'uint8' | 'int32', scale: number, zeroPoint: number): AffineQuant {
  return { kind: 'affine', type, scale: [Math.fround(scale)], zeroPoint: [zeroPoint] };
}

/** A per-channel weight quant. */
export function qc(type: 'int8' | 'uint8', scales: number[], zeroPoints: number[]): AffineQuant {
  return { kind: 'affine', type, scale: scales.map(Math.fround), zeroPoint: zeroPoints, axis: 0 };
}

export const ACC32 = { kind: 'int', bits: 32, overflow: 'WRAP' } as const;

export function model(input: { name: string; shape: number[]; quant: AffineQuant }, layers: IntLayer[], outputs?: string[]): IntModel {
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: 'test',
    scheme: 'affine',
    requant: 'onnxruntime',
    input,
    layers,
    outputs: outputs ?? [layers.length ? layers[layers.length - 1]!.output : input.name],
    metadata: {},
  };
}
