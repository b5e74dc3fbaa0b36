import type { LayerBase } from './model.js';

/*
 * Integer layers of the data-movement and reduction ops of imported networks
 * (Slice, Split, Gather on data, nearest Resize/Upsample, ReduceSum/Mean/Max/
 * Min, constant operands of Concat, Pad that cannot fold into a conv or pool).
 * Conventions of model.ts apply: per-sample shapes, one output per layer.
 */

/**
 * Selection along one per-sample axis: output index i on `axis` holds input
 * index indices[i] (repeats allowed), other axes unchanged. Codes move
 * unchanged; the output quantization equals the input's.
 */
export interface GatherLayer extends LayerBase {
  op: 'gather';
  axis: number;
  indices: number[];
}

export type ReduceKind = 'sum' | 'mean' | 'max' | 'min';
export const REDUCE_KINDS: readonly ReduceKind[] = ['sum', 'mean', 'max', 'min'];

/**
 * Reduction over per-sample axes (increasing, distinct; kept as size 1 when
 * keepdims, else removed). max / min: the largest / smallest code of the
 * group, output quantization equal to the input's. sum / mean: the exact
 * integer S = sum of (x - zx) over the group's n elements (zx: the input zero
 * point; pow2 0), then the scheme's averaging of S with divisor d = n (mean)
 * or d = 1 (sum), as pooling averages: pow2 S * 2^(F_out - F_in) / d rounded
 * with the output's rounding mode, then its overflow mode; affine
 * zp_out + requant(S) with multiplier s_in / (s_out * d) under the model's
 * requantization scheme, saturated to the output type.
 */
export interface ReduceLayer extends LayerBase {
  op: 'reduce';
  fn: ReduceKind;
  axes: number[];
  keepdims: boolean;
}

/** A constant tensor of `shape`, the same for every sample: row-major codes of its `out` quantization. No inputs. */
export interface ConstantLayer extends LayerBase {
  op: 'constant';
  codes: number[];
}

/**
 * Constant-mode pad of a per-sample tensor of rank r: pads holds r begin
 * counts then r end counts (negative counts crop); the new positions hold the
 * code `value` (the pad value, exactly representable in the quantization,
 * which equals the input's).
 */
export interface PadLayer extends LayerBase {
  op: 'pad';
  pads: number[];
  value: number;
}

export type DataLayer = GatherLayer | ReduceLayer | ConstantLayer | PadLayer;
export const DATA_OPS: readonly DataLayer['op'][] = ['gather', 'reduce', 'constant', 'pad'];
