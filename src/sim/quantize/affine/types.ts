import type { AffineQuant, IntLayer, TensorQuant } from '../model.js';
import { fieldError } from '../fields.js';

/*
 * Affine (scale and zero point) tensors, the ONNX / TFLite convention:
 * real = (code - zeroPoint) * scale, scale a positive float32, codes int8,
 * uint8 or int32. Runtime tensors (activations) are per tensor; weights may be
 * per output channel (axis 0 of the weight tensor). Biases are int32 codes at
 * scale s_in * s_w[c] with zero point 0 (not stored: implied by the layer).
 */

export type AffineType = AffineQuant['type'];
/** Activation tensor types. */
export type Affine8 = 'int8' | 'uint8';

export const AFFINE_RANGE: Readonly<Record<AffineType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int32: [-(2 ** 31), 2 ** 31 - 1],
};

/** Per-tensor parameters of an affine runtime tensor. */
export interface AffineParams {
  type: Affine8;
  /** float32 value (already Math.fround-ed). */
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/**
 * Float rescale of an imported MatMulInteger / ConvInteger layer: the ONNX
 * float ops that follow the integer product in the file (Cast to float, Mul
 * by `scale`, Add `bias`), each an IEEE float32 operation:
 * v = float32(float32(acc) * scale[c]) then, with bias, float32(v + bias[c]);
 * a fused relu is max(v, 0); the output code is QuantizeLinear(v) with the
 * layer's `out`. scale and bias hold one value or one per output channel.
 * When present, the layer's integer bias must be absent.
 */
export interface FloatRescale {
  scale: number[];
  bias?: number[];
}

/** A constant operand of an affine add (QLinearAdd with an initializer): codes broadcast numpy-style to the input's shape. */
export interface AddConstant {
  shape: number[];
  codes: number[];
  quant: AffineQuant;
  /** The constant is the first operand (QLinearAdd's A); onnxruntime's rounding depends on the order. */
  first?: boolean;
}

/** Fields that affine layers may carry beyond the common layer structure (model.ts). */
export interface AffineExtras {
  /** dense / conv of imported MatMulInteger / ConvInteger models. */
  rescale?: FloatRescale;
  /** add with one runtime input. */
  constant?: AddConstant;
  /** add: a fused activation (dense and conv declare theirs in model.ts). */
  activation?: string;
}

export type AffineLayer = IntLayer & AffineExtras;

export function isAffine8(t: string): t is Affine8 {
  return t === 'int8' || t === 'uint8';
}

/** True for a positive finite number that is exactly a float32. */
export function isFloat32Scale(s: unknown): s is number {
  return typeof s === 'number' && Number.isFinite(s) && s > 0 && Math.fround(s) === s;
}

/**
 * The parameters of a per-tensor int8/uint8 affine quant; UserError naming
 * `path` when it is another kind, per channel, or malformed.
 */
export function tensorParams(q: TensorQuant | undefined, path: string): AffineParams {
  if (!q || q.kind !== 'affine') fieldError(`${path}.kind`, `must be 'affine' in an affine model, got '${q?.kind}'`);
  if (!isAffine8(q.type)) fieldError(`${path}.type`, `must be int8 or uint8 for a runtime tensor, got '${q.type}'`);
  if (!Array.isArray(q.scale) || q.scale.length !== 1)
    fieldError(`${path}.scale`, 'must hold exactly one scale (runtime tensors are per tensor)');
  if (!Array.isArray(q.zeroPoint) || q.zeroPoint.length !== 1) fieldError(`${path}.zeroPoint`, 'must hold exactly one zero point');
  const scale = q.scale[0];
  if (!isFloat32Scale(scale)) fieldError(`${path}.scale[0]`, `must be a positive finite float32, got ${JSON.stringify(scale)}`);
  const [qmin, qmax] = AFFINE_RANGE[q.type];
  const zp = q.zeroPoint[0];
  if (typeof zp !== 'number' || !Number.isInteger(zp) || zp < qmin || zp > qmax) {
    fieldError(`${path}.zeroPoint[0]`, `must be an integer in [${qmin}, ${qmax}] for ${q.type}, got ${JSON.stringify(zp)}`);
  }
  return { type: q.type, scale, zeroPoint: zp, qmin, qmax };
}

/**
 * Real values of codes of a per-tensor int8/uint8 tensor: (code - zero point)
 * * scale in float64, exact (a 9-bit integer times a float32).
 */
export function dequantizeCodes(q: TensorQuant, codes: ArrayLike<number>, path = 'quant'): Float64Array {
  const p = tensorParams(q, path);
  return Float64Array.from(codes, (c) => (c - p.zeroPoint) * p.scale);
}

/** A per-tensor affine quant value. */
export function affineQuant(type: AffineType, scale: number, zeroPoint: number): AffineQuant {
  return { kind: 'affine', type, scale: [Math.fround(scale)], zeroPoint: [zeroPoint] };
}

/** The scale of channel c of a per-tensor or per-channel quant. */
export function channelScale(q: AffineQuant, c: number): number {
  return q.scale.length === 1 ? q.scale[0]! : q.scale[c]!;
}

export function channelZeroPoint(q: AffineQuant, c: number): number {
  return q.zeroPoint.length === 1 ? q.zeroPoint[0]! : q.zeroPoint[c]!;
}

/** Same type, scales and zero points (per-tensor tensors). */
export function sameAffine(a: TensorQuant, b: TensorQuant): boolean {
  return (
    a.kind === 'affine' &&
    b.kind === 'affine' &&
    a.type === b.type &&
    a.scale.length === b.scale.length &&
    a.scale.every((s, i) => s === b.scale[i]) &&
    a.zeroPoint.length === b.zeroPoint.length &&
    a.zeroPoint.every((z, i) => z === b.zeroPoint[i])
  );
}

/** Fused activations a dense/conv/add layer of an affine model may carry (helu runs as relu at inference). */
export const FUSED_ACTIVATIONS = ['relu', 'helu', 'relu6'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];
