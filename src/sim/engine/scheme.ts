import type { RequantScheme } from '../../fixedpoint/requant.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { ActivationLayer, AddLayer, ConvLayer, MulLayer, DenseLayer, LayerEvents, PoolLayer, TensorQuant } from '../quantize/model.js';
import type { AccChannel } from './accumulate.js';
import type { ArithLayer } from '../quantize/model-arith.js';
import type { Kernel } from './kernel.js';
import type { NarrowStage, RequantStage } from './wasm/narrow.js';

export type ActivationMode = 'functional' | 'gate';

/** How affine dense/conv layers accumulate: 'exact' (the ONNX definition) or as onnxruntime's / oneDNN's u8 x s8 kernels without VNNI (affine/pairsat.ts). */
export type AccumulationMode = 'exact' | 'ort-u8s8-pairsat' | 'onednn-u8s8-pairsat';
export const ACCUMULATION_MODES: readonly AccumulationMode[] = ['exact', 'ort-u8s8-pairsat', 'onednn-u8s8-pairsat'];

/**
 * What a dense or conv layer needs from its scheme: the operands of
 * acc[m] = bias[m] + sum_k w[m, k] * (x[k] - xOffset), each channel's
 * accumulator and worst-case bound, and the output stage.
 */
export interface LinearOperands {
  /** Weight codes minus their zero points (pow2: the codes), row-major [channels, perChannel]. */
  readonly w: Float64Array;
  readonly bias: Float64Array;
  /** Subtracted from every input code before the products (the input zero point; pow2: 0). */
  readonly xOffset: number;
  /** Largest |x - xOffset| an input code can have. */
  readonly maxX: number;
  readonly acc: readonly AccChannel[];
  /** Per channel: worst-case |accumulator| (|bias| + sum |w| * maxX at the accumulator LSB). */
  readonly bounds: Float64Array;
  /** dst[d + i] = output code of channel m's accumulator src[s + i], i < n (events counted). */
  channelRun(m: number, src: Float64Array, s: number, dst: Float64Array, d: number, n: number, ev: LayerEvents): void;
  /** As channelRun for values whose channel is i % channels. */
  interleaved(src: Float64Array, dst: Float64Array, ev: LayerEvents): void;
  /** The output stage as data when it is a shift-round-overflow narrowing (pow2): what the fused WebAssembly kernels run. */
  readonly narrow?: NarrowStage;
  /** The output stage as data when it is onnxruntime's requantization (affine, scheme onnxruntime). */
  readonly requant?: RequantStage;
}

/**
 * An activation over every input code of at most 16 bits, as a table
 * (index = code - base): the output code and the event flag of each code.
 * gate: the layer's circuit simulated on given distinct input codes, giving
 * their output codes (the codes gate mode uses; events stay the table's).
 */
export interface ActivationTable {
  readonly base: number;
  readonly codes: Float64Array;
  readonly events: Uint8Array;
  /** The output format (its overflow mode names the events: WRAP a wrap, else a saturation). */
  readonly out: FixedFormat;
  readonly gate?: (codes: readonly number[]) => ArrayLike<number>;
}

/** A code -> code conversion into another tensor's quantization (events counted); undefined when the quants are equal. */
export type Convert = ((v: number, ev: LayerEvents) => number) | undefined;

/** Average of a window: xOffset subtracted from each tap, then finish(sum, divisor). */
export interface Averager {
  readonly xOffset: number;
  finish(sum: number, divisor: number, ev: LayerEvents): number;
}

export interface SchemeOptions {
  mode: ActivationMode;
  /** affine models: the requantization scheme (default: the model's own, else onnxruntime). */
  requant?: RequantScheme;
  /** affine models: how uint8 x int8 dense/conv layers accumulate (default 'exact'; affine/pairsat.ts). */
  accumulation?: AccumulationMode;
}

/**
 * Everything that differs between pow2 and affine models. The driver, the
 * plan, the window geometry, the accumulate-with-overflow step and the
 * dense/conv/pool/concat/transpose kernels are shared; a scheme supplies the
 * numbers (zero points, accumulator formats, requantization, fused clamps,
 * onnxruntime's float paths) and its own elementwise ops.
 */
export interface Scheme {
  /** Raw input values (already times 2^rawScaleLog2) -> input codes, saturations counted. */
  quantizeInput(v: Float64Array, ev: LayerEvents): Float64Array;
  /** Checks given input codes (a UserError naming the first bad one). */
  checkInputCodes(codes: ArrayLike<number>): void;
  /** Largest code magnitude of a tensor fits an Int32Array. */
  fitsInt32(q: TensorQuant): boolean;
  linear(l: DenseLayer | ConvLayer, inQ: TensorQuant, path: string): LinearOperands;
  convert(from: TensorQuant, to: TensorQuant, path: string): Convert;
  averager(inQ: TensorQuant, outQ: TensorQuant): Averager;
  /** A scheme's own pool kernel (onnxruntime's float32 average pools), or undefined for the shared one. */
  poolOverride?(
    l: PoolLayer | { op: 'globalavgpool' },
    inShape: readonly number[],
    inQ: TensorQuant,
    outQ: TensorQuant,
  ): Kernel | undefined;
  /** A scheme's own dense/conv kernel (the pair-saturating accumulation), or undefined for the shared ones. */
  linearOverride?(l: DenseLayer | ConvLayer, inShape: readonly number[], inQ: TensorQuant, path: string): Kernel | undefined;
  add(l: AddLayer, shapes: readonly (readonly number[])[], ins: readonly TensorQuant[], path: string): Kernel;
  /** Elementwise product of two runtime tensors (engine/mul.ts). */
  mul(l: MulLayer, shapes: readonly (readonly number[])[], ins: readonly TensorQuant[], path: string): Kernel;
  /** Matmul, elementwise fn or Where of computed tensors (engine/arith.ts, quantize/model-arith.ts). */
  arith(l: ArithLayer, shapes: readonly (readonly number[])[], ins: readonly TensorQuant[], path: string): Kernel;
  activation(l: ActivationLayer, inQ: TensorQuant, outQ: TensorQuant, mode: ActivationMode): Kernel;
  /** The format raw input values are quantized into by the fixed-point room's quantizeNumber (pow2), when that is what quantizeInput does. */
  readonly inputFormat?: FixedFormat;
  /** Whether every code of a tensor fits an int16 (the resident WebAssembly pipeline's code type); absent: never. */
  i16Codes?(q: TensorQuant): boolean;
  /**
   * A residual add as data for the resident pipeline (pow2): y = the output
   * stage of a * ua + b * ub (ua, ub exact integers); undefined: no resident kernel.
   */
  addStage?(ins: readonly TensorQuant[], outQ: TensorQuant): { ua: number; ub: number; narrow: NarrowStage } | undefined;
  /** convert as data (pow2): a narrowing by one shift, or 'same' when the quants are equal (no conversion); undefined: no resident kernel. */
  convertStage?(from: TensorQuant, to: TensorQuant): NarrowStage | 'same' | undefined;
  /** The averager as data (pow2): sum * up / (divisor * down), rounded then overflowed into `to` (divRoundNumber, applyOverflow). */
  averageStage?(inQ: TensorQuant, outQ: TensorQuant): { up: number; down: number; to: FixedFormat } | undefined;
  /** The activation as a table when its input has at most 16 bits (resident pipeline), else undefined. */
  activationTable?(l: ActivationLayer, inQ: TensorQuant, outQ: TensorQuant, mode: ActivationMode): ActivationTable | undefined;
}
