import type { ActivationSpec } from '../../activations/float.js';
import type { Window } from './model.js';
import type { FData } from './float-data.js';
import type { ElementFn } from './model-arith.js';

/**
 * The float network as the exporter sees it after folding: the layer set of
 * the integer model (dense, conv, pools, data movement, add, concat,
 * activation) with float weights. BatchNorm and constant scale/offset nodes
 * are folded into the preceding dense/conv layer, input normalization into
 * the input format or the first layer; what cannot be folded becomes an
 * elementwise scale layer (a depthwise 1x1 conv, or a diagonal dense).
 * Tensor names are the graph's, so every layer output can be compared with
 * the unquantized network (renamed with '@raw' where folding changed the
 * meaning of a tensor).
 */
interface Base {
  name: string;
  inputs: string[];
  output: string;
  /** Per-sample output shape. */
  shape: number[];
  /** Graph nodes merged into this layer. */
  folded: string[];
  /**
   * Dense/conv only: weights get one format (pow2) or scale (affine) per
   * output channel whatever the model-wide option, as an unfolded per-feature
   * normalization (a diagonal layer) needs.
   */
  perChannel?: boolean;
}

/** Dense over the last axis: W is [N, K] row-major (row n feeds output n). */
export interface FDense extends Base {
  op: 'dense';
  W: Float64Array;
  N: number;
  K: number;
  b: Float64Array;
}

/** Conv: W is [M, C/group, kh, kw]. */
export interface FConv extends Base, Window {
  op: 'conv';
  W: Float64Array;
  wShape: [number, number, number, number];
  b: Float64Array;
  group: number;
}

export interface FPool extends Base, Window {
  op: 'maxpool' | 'avgpool';
  ceilMode: boolean;
  countIncludePad: boolean;
}

export interface FSimple extends Base {
  op: 'globalavgpool' | 'flatten' | 'reshape' | 'add' | 'mul' | 'where';
}

/** An elementwise fn of two computed tensors (quantize/model-arith.ts). */
export interface FBinary extends Base {
  op: 'binary';
  fn: ElementFn;
}

/** A product of two computed tensors over K terms (quantize/model-arith.ts). */
export interface FMatMul extends Base {
  op: 'matmul';
  K: number;
}

export interface FTranspose extends Base {
  op: 'transpose';
  perm: number[];
}

export interface FConcat extends Base {
  op: 'concat';
  axis: number;
}

export interface FActivation extends Base {
  op: 'activation';
  spec: ActivationSpec;
}

export type FLayer = FDense | FConv | FPool | FSimple | FTranspose | FConcat | FActivation | FData | FBinary | FMatMul;

export interface FloatNet {
  name: string;
  input: {
    /** Name of the model input tensor (the graph input, or the normalized tensor when folded into the input format). */
    name: string;
    shape: number[];
    /** Raw dataset values are scaled by 2^rawScaleLog2 (exact) before input quantization. */
    rawScaleLog2?: number;
  };
  layers: FLayer[];
  outputs: string[];
  /** Notes for the model's metadata (softmax omitted, normalization folded, ...). */
  notes: Record<string, string>;
}
