import fc from 'fast-check';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../fixedpoint/types.js';
import { windowOutput } from '../models/window.js';

/*
 * Plans of random networks: plain records of small integers, formats and
 * code pools that fast-check draws and shrinks (fewer layers, smaller sizes,
 * codes toward 0, the first layer kind and mode); the network builders
 * (pow2-network.ts, affine-network.ts) turn a plan into a valid integer model
 * deterministically, so a failing network shrinks to a small one.
 */

/** Layer kinds of the random networks, the simplest first (fast-check shrinks toward it). */
export const LAYER_KINDS = [
  'dense',
  'activation',
  'conv',
  'maxpool',
  'avgpool',
  'globalavgpool',
  'flatten',
  'transpose',
  'reshape',
  'add',
  'concat',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** Activations the random networks draw (the simplest first); table-built ones get inputs of at most 8 bits. */
export const NETWORK_ACTIVATIONS = [
  'relu',
  'helu',
  'leakyrelu',
  'leakyrelu:0.01',
  'relu6',
  'clamp:-1:1',
  'hardsigmoid',
  'hardswish',
  'sigmoid',
  'tanh',
  'gelu',
  'silu',
  'elu',
] as const;
export const TABLE_ACTIVATIONS: ReadonlySet<string> = new Set(['hardswish', 'sigmoid', 'tanh', 'gelu', 'silu', 'elu']);

export interface LayerPlan {
  kind: LayerKind;
  /** Output units (dense) or channels (conv). */
  units: number;
  kernel: [number, number];
  stride: number;
  pad: number;
  /** Pool: ceil mode and whether the average counts padding. */
  ceil: boolean;
  countPad: boolean;
  /** Conv: depthwise (group = channels) when the channel counts allow. */
  depthwise: boolean;
  /** Dense/conv weight format (signed) and the layer's output format. */
  weightFormat: FixedFormat;
  outFormat: FixedFormat;
  /** Weight and bias codes, cycled over the layer's weights (clamped into the weight format); empty means zeros / no bias. */
  weights: number[];
  bias: number[];
  /** Accumulator bits removed below the worst case (0: overflow impossible). */
  narrow: number;
  activation: string;
  /** Concat axis, modulo the tensor's rank; transpose: which permutation. */
  axis: number;
}

export interface FormatBounds {
  minWidth?: number;
  maxWidth?: number;
  signed?: boolean;
}

/** Small fixed-point formats: width in [minWidth, maxWidth] (default 2..10), I in -2..8, every mode. */
export function arbSmallFormat(b: FormatBounds = {}): fc.Arbitrary<FixedFormat> {
  return fc.record({
    signed: b.signed === undefined ? fc.boolean() : fc.constant(b.signed),
    width: fc.integer({ min: b.minWidth ?? 2, max: b.maxWidth ?? 10 }),
    intBits: fc.integer({ min: -2, max: 8 }),
    rounding: fc.constantFrom(...ROUNDINGS),
    overflow: fc.constantFrom(...OVERFLOWS),
  });
}

export interface PlanOptions {
  /** Layer kinds to draw (default all of LAYER_KINDS). */
  kinds?: readonly LayerKind[];
  /** Largest tensor width in bits (default 10). */
  maxWidth?: number;
  /** Draw narrowed accumulators, whose overflow modes then act (default true). */
  narrowAccumulators?: boolean;
}

export function arbLayerPlan(o: PlanOptions = {}): fc.Arbitrary<LayerPlan> {
  return fc.record({
    kind: fc.constantFrom(...(o.kinds ?? LAYER_KINDS)),
    units: fc.integer({ min: 1, max: 4 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    stride: fc.integer({ min: 1, max: 2 }),
    pad: fc.integer({ min: 0, max: 1 }),
    ceil: fc.boolean(),
    countPad: fc.boolean(),
    depthwise: fc.boolean(),
    weightFormat: arbSmallFormat({ maxWidth: 8, signed: true }),
    outFormat: arbSmallFormat({ maxWidth: o.maxWidth ?? 10 }),
    weights: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 24 }),
    bias: fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: 6 }),
    narrow: o.narrowAccumulators === false ? fc.constant(0) : fc.integer({ min: 0, max: 3 }),
    activation: fc.constantFrom(...NETWORK_ACTIVATIONS),
    axis: fc.nat({ max: 2 }),
  });
}

/** The model input of a plan: an image [C, H, W] or a vector [K]. */
export interface InputPlan {
  image: boolean;
  channels: number;
  height: number;
  width: number;
  features: number;
}

export const arbInputPlan: fc.Arbitrary<InputPlan> = fc.record({
  image: fc.boolean(),
  channels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 2, max: 5 }),
  width: fc.integer({ min: 2, max: 5 }),
  features: fc.integer({ min: 1, max: 8 }),
});

export const inputShapeOf = (p: InputPlan): number[] => (p.image ? [p.channels, p.height, p.width] : [p.features]);

/** Code i of a layer: the plan's pool cycled, clamped into [lo, hi]; 0 for an empty pool. */
export function codeAt(pool: readonly number[], i: number, lo: number, hi: number): number {
  return pool.length === 0 ? 0 : Math.min(hi, Math.max(lo, pool[i % pool.length]!));
}

/** A window over [H, W] from the plan: kernel at most the padded extent, pads below the kernel (ONNX), output >= 1. */
export function planWindow(p: Pick<LayerPlan, 'kernel' | 'pad' | 'stride'>, H: number, W: number, ceil: boolean) {
  const kernel: [number, number] = [Math.min(p.kernel[0], H), Math.min(p.kernel[1], W)];
  const ph = Math.min(p.pad, kernel[0] - 1),
    pw = Math.min(p.pad, kernel[1] - 1);
  const pads: [number, number, number, number] = [ph, pw, ph, pw];
  const strides: [number, number] = [p.stride, p.stride];
  const oh = windowOutput(H, kernel[0], strides[0], ph, ph, 1, ceil),
    ow = windowOutput(W, kernel[1], strides[1], pw, pw, 1, ceil);
  return { window: { kernel, strides, pads, dilations: [1, 1] as [number, number] }, oh, ow };
}
