import type { Overflow } from '../../fixedpoint/types.js';
import type { RequantScheme, TfliteKernel } from '../../fixedpoint/requant.js';
import { DATA_OPS, type DataLayer } from './model-data.js';
import { ARITH_OPS, type ArithLayer } from './model-arith.js';

/**
 * The integer model: a quantized network as plain data (the JSON file written
 * by `helu-sim quantize`). Two independent consumers read it: the integer
 * engine (engine/) and the float reference (reference/); neither shares
 * arithmetic with the other.
 *
 * Conventions:
 * - Shapes are per sample (no batch dimension), NCHW, as in models/graph.ts.
 * - A pow2 tensor's value is code * 2^-F of its format (fixed<W,I,Q,O>,
 *   F = W - I); the format's Q and O are the rounding and overflow applied when
 *   a value is narrowed INTO that format.
 * - Layers are in topological order; every layer writes one tensor `output`;
 *   `inputs` name the model input or earlier layers' outputs.
 * - Every integer (codes, biases) is a safe integer (|v| < 2^53) and every
 *   pow2 format is at most 53 bits wide: the float reference computes in
 *   float64, which is exact only below 2^53.
 */

export const INT_MODEL_FORMAT = 'helu-sim/integer-model';
/** The version this helu-sim writes (2: long integer arrays packed, quantize/packing.ts); it reads 1 and 2. */
export const INT_MODEL_SCHEMA_VERSION = 2;
export const INT_MODEL_READABLE_VERSIONS: readonly number[] = [1, 2];

/** A power-of-two quantized tensor: one fixed-point format for every element. */
export interface Pow2Quant {
  kind: 'pow2';
  /** formatToString of a FixedFormat, e.g. 'fixed<8,3,RND_CONV,SAT>'. */
  format: string;
}

/** Affine (scale and zero point) quantization, the TFLite/ONNX convention. */
export interface AffineQuant {
  kind: 'affine';
  type: 'int8' | 'uint8' | 'int32';
  scale: number[];
  zeroPoint: number[];
  /** Channel axis when scale has more than one entry. */
  axis?: number;
}

export type TensorQuant = Pow2Quant | AffineQuant;

/** pow2 per output channel (axis 0 of a weight tensor): formats[m] is channel m's format. */
export interface Pow2ChannelQuant {
  kind: 'pow2-channel';
  axis: 0;
  formats: string[];
}

export type WeightQuant = TensorQuant | Pow2ChannelQuant;

/** Integer weights: row-major codes of `shape`. Dense: [N, K] (row n feeds output n). Conv: [M, C/group, kh, kw]. */
export interface IntWeights {
  shape: number[];
  codes: number[];
  quant: WeightQuant;
}

/**
 * pow2 accumulator: one format per output channel (a single entry applies to
 * every channel). The accumulator starts at the bias code, then adds each
 * product, in the layer's documented order. A product w*x has
 * F_p = F_w + F_x fraction bits; when the accumulator's F is smaller the
 * product is first rounded with the accumulator's rounding mode (when larger,
 * shifted left exactly). After the bias and after every addition the value is
 * passed through the accumulator's overflow mode; each time it is outside the
 * format's range counts one event (a wrap or a saturation). `bound` is the
 * export's worst case of |accumulator code| (sum |w| * max|x| + |bias|): when
 * the format holds it, no event is possible.
 */
export interface Pow2Accumulator {
  kind: 'pow2';
  formats: string[];
  bound: number;
}

/** Affine accumulator: an integer of `bits` bits with its overflow mode (ONNX: int32, WRAP). */
export interface IntAccumulator {
  kind: 'int';
  bits: number;
  overflow: Overflow;
}

export type Accumulator = Pow2Accumulator | IntAccumulator;

export interface LayerBase {
  name: string;
  inputs: string[];
  output: string;
  /** Per-sample shape of the output. */
  shape: number[];
  out: TensorQuant;
  /** Graph nodes merged into this layer at export (BatchNorm, input normalization), for the record. */
  folded?: string[];
}

/**
 * Dense: y[..., n] = bias[n] + sum_k w[n, k] * x[..., k] over the last axis of
 * the input (a [K] vector, or [..., K]: each row independently), k increasing.
 */
export interface DenseLayer extends LayerBase {
  op: 'dense';
  weights: IntWeights;
  /** One code per output (at that channel's accumulator LSB for pow2); absent means zeros. */
  bias?: number[];
  acc: Accumulator;
  /** Affine models only: a fused activation applied during requantization. */
  activation?: string;
}

/** Window of a convolution or pool. pads = [top, left, bottom, right]. */
export interface Window {
  kernel: [number, number];
  strides: [number, number];
  pads: [number, number, number, number];
  dilations: [number, number];
}

/**
 * 2-D convolution (cross-correlation) with zero padding, groups (group = C = M
 * is depthwise): each output element = bias + the products in (c, i, j) order;
 * out-of-image taps contribute nothing.
 */
export interface ConvLayer extends LayerBase, Window {
  op: 'conv';
  group: number;
  weights: IntWeights;
  bias?: number[];
  acc: Accumulator;
  activation?: string;
}

/**
 * Max pooling (padding never wins) and average pooling. Pools keep the input's
 * format for maxpool; avgpool divides the exact window sum by the divisor
 * (countIncludePad: the kernel area clipped to the padded extent; else the
 * number of in-image taps) and rounds with the output format's rounding mode.
 */
export interface PoolLayer extends LayerBase, Window {
  op: 'maxpool' | 'avgpool';
  ceilMode: boolean;
  countIncludePad: boolean;
}

/** [C, H, W] -> [C, 1, 1]: exact plane sum divided by H*W, rounded with the output format's mode. */
export interface GlobalAvgPoolLayer extends LayerBase {
  op: 'globalavgpool';
}

/** Data movement: codes unchanged, same format as the input. */
export interface FlattenLayer extends LayerBase {
  op: 'flatten';
}

export interface ReshapeLayer extends LayerBase {
  op: 'reshape';
}

/** Output axis i is input axis perm[i]. */
export interface TransposeLayer extends LayerBase {
  op: 'transpose';
  perm: number[];
}

/**
 * Elementwise sum of two tensors of equal shape. pow2: both inputs are aligned
 * to the smaller LSB exactly (left shifts), added exactly, then narrowed into
 * the output format (its rounding and overflow).
 */
export interface AddLayer extends LayerBase {
  op: 'add';
}

/**
 * Elementwise product of two runtime tensors (squeeze-and-excitation's gate
 * x * s). inputs[1] broadcasts to inputs[0] (same rank, each axis equal or 1,
 * e.g. [C,H,W] * [C,1,1]); the output has inputs[0]'s shape.
 * pow2: the product of the two codes is exact at F_a + F_b fraction bits
 * (W_a + W_b <= 53) and is narrowed into the output format (its rounding,
 * then its overflow mode).
 * affine: p = (a - z_a)(b - z_b) exactly, then requantized as a one-term
 * accumulator: z_c + requant(p, s_a s_b / s_c) under the model's scheme,
 * clamped to the output type (engine/affine/mul.ts states each scheme).
 */
export interface MulLayer extends LayerBase {
  op: 'mul';
}

/** Concatenation along per-sample axis `axis`; each input is converted into the output format first. */
export interface ConcatLayer extends LayerBase {
  op: 'concat';
  axis: number;
}

/** Identity of the circuit that runs an activation: netlist name and its cost (nangate45). */
export interface CircuitIdentity {
  name: string;
  gates: number;
  depth: number;
  transistors: number;
}

/**
 * Elementwise activation: the activation library's unit for `activation`
 * (activationToString text) with input format `in` and output format `out`.
 * The integer engine runs it as the functional model or as the gate-level
 * circuit; both give the same codes.
 */
export interface ActivationLayer extends LayerBase {
  op: 'activation';
  activation: string;
  in: TensorQuant;
  circuit: CircuitIdentity;
}

export type IntLayer =
  | DenseLayer
  | ConvLayer
  | PoolLayer
  | GlobalAvgPoolLayer
  | FlattenLayer
  | ReshapeLayer
  | TransposeLayer
  | AddLayer
  | MulLayer
  | ConcatLayer
  | ActivationLayer
  | DataLayer
  | ArithLayer;

export type IntOp = IntLayer['op'];

export const INT_OPS: readonly IntOp[] = [
  'dense',
  'conv',
  'maxpool',
  'avgpool',
  'globalavgpool',
  'flatten',
  'reshape',
  'transpose',
  'add',
  'mul',
  'concat',
  'activation',
  ...DATA_OPS,
  ...ARITH_OPS,
];

/**
 * A float32 step of input normalization left in float by an imported model
 * (PyTorch's x / 16 or (x - 8) / 8 before its QuantStub):
 * v = float32(float32(v) op float32(value)), as the ONNX Add/Sub/Mul/Div on
 * float tensors computes it.
 */
export interface InputStep {
  op: 'add' | 'sub' | 'mul' | 'div';
  value: number;
}

/**
 * The model input. The engine quantizes each raw dataset value v as
 * quantize(v * 2^rawScaleLog2, format) (the power of two is input
 * normalization folded exactly into the input format; 0 when absent).
 * Affine models may instead carry `preprocess`: float32 steps applied to v
 * in order before the QuantizeLinear.
 */
export interface IntInput {
  name: string;
  shape: number[];
  quant: TensorQuant;
  rawScaleLog2?: number;
  preprocess?: InputStep[];
}

interface IntModelBase {
  format: typeof INT_MODEL_FORMAT;
  /** In memory every version has plain arrays; the file's version says how it stores them. */
  schemaVersion: 1 | 2;
  name: string;
  input: IntInput;
  layers: IntLayer[];
  outputs: string[];
  metadata: Record<string, string>;
  /**
   * The unquantized float network the model was exported from (models' native
   * JSON document), so that verify can report SQNR and float accuracy from
   * the one file. Optional: without it those figures are null.
   */
  float?: unknown;
}

/** Power-of-two model: every tensor has a fixed-point format; requantization is by shifts. */
export interface Pow2Model extends IntModelBase {
  scheme: 'pow2';
}

/** Affine model (scale and zero point, TFLite/ONNX convention). */
export interface AffineModel extends IntModelBase {
  scheme: 'affine';
  /** The model's default requantization scheme (absent: onnxruntime). */
  requant?: RequantScheme;
  /**
   * TFLite schemes (gemmlowp, single-rounding, tflite-float): the multiplier
   * derivation of dense layers with per-tensor weights, as TFLite's
   * FullyConnected forms it ('fully-connected': float32 product of the input
   * scales) or as its Conv does ('conv', the default: double). Conv layers
   * and per-channel weights always take 'conv' (docs/requantization.md).
   */
  tfliteKernel?: TfliteKernel;
}

/** The integer model, discriminated by `scheme`: narrow with `m.scheme === 'pow2'` before scheme-specific reads. */
export type IntModel = Pow2Model | AffineModel;

export type IntScheme = IntModel['scheme'];

/** Per-layer event counts of one run: values that left a format's range and were saturated or wrapped. */
export interface LayerEvents {
  saturations: number;
  wraps: number;
}
