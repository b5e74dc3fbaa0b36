import { UserError } from '../../errors.js';
import type { IntModel, LayerEvents } from '../quantize/model.js';
import { affineReference } from './affine/scheme.js';
import type { Arithmetic } from './affine/types.js';
import type { RefAccumulation } from './affine/pairsat.js';
import { CompiledReference } from './driver.js';
import { pow2Reference } from './pow2/scheme.js';

export interface ReferenceRunResult {
  /** Real values of every tensor (code * 2^-F of the integer engine's codes, when both agree). */
  tensors: Map<string, Float64Array>;
  /** Saturation and wrap events per layer name (and the input's name), found by the reference's own logic. */
  events: Map<string, LayerEvents>;
}

/** Compiles a pow2 model for its float reference (the plan belongs to the returned object). */
export function compileReference(m: IntModel): CompiledReference {
  if (m.scheme !== 'pow2') throw new UserError(`runReference: scheme '${m.scheme}' has its own reference`);
  return new CompiledReference(m, pow2Reference(m));
}

/** The pow2 float reference of the model as it is now (see reference/pow2/scheme.ts). */
export function runReference(m: IntModel, input: ArrayLike<number>, batch: number): ReferenceRunResult {
  const r = compileReference(m).run(input, batch);
  return { tensors: r.values, events: r.events };
}

export interface AffineReferenceOptions {
  arithmetic?: Arithmetic;
  /** 'ort-u8s8-pairsat': onnxruntime's int16-saturated u8 x s8 pairs (affine/pairsat.ts); default exact. */
  accumulation?: RefAccumulation;
  /** The input holds codes of the input tensor instead of raw values. */
  inputCodes?: boolean;
}

export interface AffineReferenceResult {
  /** Real values of every tensor: (code - zero_point) * scale, exact in float64. */
  tensors: Map<string, Float64Array>;
  /** The reference's codes of every tensor. */
  codes: Map<string, Int32Array>;
  events: Map<string, LayerEvents>;
}

/** Compiles an affine model for its float reference under one arithmetic. */
export function compileAffineReference(
  m: IntModel,
  arithmetic: Arithmetic = 'real',
  accumulation: RefAccumulation = 'exact',
): CompiledReference {
  if (m.scheme !== 'affine')
    throw new UserError(`model '${m.name}' uses scheme '${m.scheme}'; the affine reference runs affine models only`);
  return new CompiledReference(m, affineReference(m, arithmetic, accumulation));
}

/** Runs `batch` samples (raw dataset values, batch-major) through the affine reference. */
export function runAffineReference(
  m: IntModel,
  input: ArrayLike<number>,
  batch: number,
  opts: AffineReferenceOptions = {},
): AffineReferenceResult {
  const r = compileAffineReference(m, opts.arithmetic, opts.accumulation).run(input, batch, opts.inputCodes);
  const scale = new Map([[m.input.name, m.input.quant], ...m.layers.map((l) => [l.output, l.out] as const)]);
  const codes = new Map<string, Int32Array>(),
    tensors = new Map<string, Float64Array>();
  for (const [name, c] of r.values) {
    const q = scale.get(name)! as { scale: number[]; zeroPoint: number[] };
    codes.set(name, Int32Array.from(c));
    tensors.set(
      name,
      c.map((v) => (v - q.zeroPoint[0]!) * q.scale[0]!),
    );
  }
  return { tensors, codes, events: r.events };
}
