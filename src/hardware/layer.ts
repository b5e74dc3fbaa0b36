/**
 * A layer as the accelerator model sees it: a (possibly grouped) convolution
 * or a dense layer, reduced to the GEMM dimensions of SCALE-Sim.
 *
 * A dense layer is a 1x1 convolution over one output pixel per sample
 * (Fh = Fw = 1, outputPixels = 1, Cin = input features, filters = outputs).
 * Every count here is an exact integer in a `number`; the model refuses shapes
 * whose MAC count reaches 2^53.
 */
import { UserError } from '../errors.js';
import type { Im2colGeometry } from './scratchpad/addresses.js';

export type LayerShapeKind = 'conv' | 'dense';

export interface LayerShape {
  readonly name?: string;
  readonly kind: LayerShapeKind;
  /** Filter height and width (1 and 1 for dense). */
  readonly Fh: number;
  readonly Fw: number;
  /** Input channels (input features for dense), all groups together. */
  readonly Cin: number;
  /** Output channels = number of filters (output features for dense), all groups together. */
  readonly filters: number;
  /** Output pixels per sample, Ho * Wo (1 for dense). */
  readonly outputPixels: number;
  /** Samples processed together. */
  readonly batch: number;
  /** Convolution groups (Cin and filters divisible by it); depthwise: groups = Cin. Default 1. */
  readonly groups?: number;
  /** Input pixels per sample, Hi * Wi, for the input footprint; default outputPixels (stride 1, 'same' padding). */
  readonly inputPixels?: number;
  /** Padded input size, strides and dilations: which im2col elements share an ifmap address (memory model only). */
  readonly im2col?: Im2colGeometry;
}

function positiveInt(v: number, what: string, layer: string): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new UserError(`layer '${layer}': ${what} must be a positive integer, got ${v}`);
}

/** Checks a shape; UserError naming the bad field otherwise. */
export function checkLayerShape(l: LayerShape): void {
  const n = l.name ?? '?';
  if (l.kind !== 'conv' && l.kind !== 'dense') throw new UserError(`layer '${n}': kind must be 'conv' or 'dense', got '${String(l.kind)}'`);
  positiveInt(l.Fh, 'Fh', n);
  positiveInt(l.Fw, 'Fw', n);
  positiveInt(l.Cin, 'Cin', n);
  positiveInt(l.filters, 'filters', n);
  positiveInt(l.outputPixels, 'outputPixels', n);
  positiveInt(l.batch, 'batch', n);
  const g = l.groups ?? 1;
  positiveInt(g, 'groups', n);
  if (l.inputPixels !== undefined) positiveInt(l.inputPixels, 'inputPixels', n);
  if (l.Cin % g !== 0 || l.filters % g !== 0) {
    throw new UserError(`layer '${n}': groups ${g} must divide Cin ${l.Cin} and filters ${l.filters}`);
  }
  if (l.kind === 'dense' && (l.Fh !== 1 || l.Fw !== 1 || l.outputPixels !== 1 || g !== 1)) {
    throw new UserError(`layer '${n}': a dense layer has Fh = Fw = outputPixels = groups = 1`);
  }
  if (!Number.isSafeInteger(layerMacs(l))) throw new UserError(`layer '${n}': MAC count exceeds 2^53`);
}

/** A dense (fully connected) layer: inFeatures -> outFeatures, `batch` samples. */
export function denseShape(name: string, inFeatures: number, outFeatures: number, batch = 1): LayerShape {
  return { name, kind: 'dense', Fh: 1, Fw: 1, Cin: inFeatures, filters: outFeatures, outputPixels: 1, batch };
}

/** A convolution; `outputPixels` = Ho * Wo. */
export function convShape(
  name: string,
  p: {
    Fh: number;
    Fw: number;
    Cin: number;
    filters: number;
    outputPixels: number;
    batch?: number;
    groups?: number;
    inputPixels?: number;
    im2col?: Im2colGeometry;
  },
): LayerShape {
  return { name, kind: 'conv', batch: 1, ...p };
}

/** Multiply-accumulates: Fh*Fw*(Cin/groups) per output value, times filters*outputPixels*batch values. */
export function layerMacs(l: LayerShape): number {
  const g = l.groups ?? 1;
  return l.Fh * l.Fw * (l.Cin / g) * l.filters * l.outputPixels * l.batch;
}

/** Output values (= activation function evaluations when the layer has one): filters*outputPixels*batch. */
export function layerOutputs(l: LayerShape): number {
  return l.filters * l.outputPixels * l.batch;
}

/** Weights (without bias): Fh*Fw*(Cin/groups)*filters. */
export function layerWeights(l: LayerShape): number {
  return l.Fh * l.Fw * (l.Cin / (l.groups ?? 1)) * l.filters;
}

/** Input values read by the layer: Cin*inputPixels*batch. */
export function layerInputs(l: LayerShape): number {
  return l.Cin * (l.inputPixels ?? l.outputPixels) * l.batch;
}
