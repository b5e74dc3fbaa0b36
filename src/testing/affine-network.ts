import fc from 'fast-check';
import { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, type AffineModel, type AffineQuant, type IntLayer } from '../sim/quantize/model.js';
import { layerShape } from '../sim/quantize/shapes.js';
import { arbInputPlan, codeAt, inputShapeOf, planWindow, type InputPlan } from './layer-plan.js';

/*
 * Random affine (scale and zero point) networks: dense, conv, max and
 * average pools, global average pool and activations, int8 or uint8
 * activations, int8 weights per tensor, int32 (or narrowed) accumulators.
 * Built deterministically from a plan, so failures shrink like the pow2
 * networks' (pow2-network.ts).
 */

export const AFFINE_KINDS = ['dense', 'activation', 'conv', 'maxpool', 'avgpool', 'globalavgpool'] as const;
export type AffineKind = (typeof AFFINE_KINDS)[number];
const AFFINE_ACTIVATIONS = [
  'relu',
  'helu',
  'relu6',
  'leakyrelu:0.1',
  'sigmoid',
  'tanh',
  'hardswish',
  'gelu',
  'silu',
  'elu',
  'clamp:-1:1',
] as const;

/** Scale and zero point of a runtime tensor: scale = m * 2^-e, a float32. */
interface QuantPlan {
  type: 'int8' | 'uint8';
  mantissa: number;
  exponent: number;
  zeroPoint: number;
}

const arbQuantPlan: fc.Arbitrary<QuantPlan> = fc.record({
  type: fc.constantFrom('int8' as const, 'uint8' as const),
  mantissa: fc.integer({ min: 1, max: 255 }),
  exponent: fc.integer({ min: 4, max: 12 }),
  zeroPoint: fc.integer({ min: 0, max: 255 }),
});

interface AffineLayerPlan {
  kind: AffineKind;
  units: number;
  kernel: [number, number];
  stride: number;
  pad: number;
  ceil: boolean;
  countPad: boolean;
  out: QuantPlan;
  weightScale: QuantPlan;
  weights: number[];
  bias: number[];
  /** Accumulator bits: 32, or fewer so that its overflow mode acts. */
  accBits: number;
  saturate: boolean;
  activation: string;
  fused: 'none' | 'relu';
}

function quantOf(p: QuantPlan): AffineQuant {
  const zp = p.type === 'uint8' ? p.zeroPoint : p.zeroPoint - 128;
  return { kind: 'affine', type: p.type, scale: [Math.fround(p.mantissa * 2 ** -p.exponent)], zeroPoint: [zp] };
}

function arbAffinePlan(kinds: readonly AffineKind[]): fc.Arbitrary<AffineLayerPlan> {
  return fc.record({
    kind: fc.constantFrom(...kinds),
    units: fc.integer({ min: 1, max: 4 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    stride: fc.integer({ min: 1, max: 2 }),
    pad: fc.integer({ min: 0, max: 1 }),
    ceil: fc.boolean(),
    countPad: fc.boolean(),
    out: arbQuantPlan,
    weightScale: arbQuantPlan,
    weights: fc.array(fc.integer({ min: -127, max: 127 }), { maxLength: 24 }),
    bias: fc.array(fc.integer({ min: -5000, max: 5000 }), { maxLength: 6 }),
    accBits: fc.oneof({ weight: 4, arbitrary: fc.constant(32) }, { weight: 1, arbitrary: fc.integer({ min: 12, max: 20 }) }),
    saturate: fc.boolean(),
    activation: fc.constantFrom(...AFFINE_ACTIVATIONS),
    fused: fc.constantFrom('none' as const, 'relu' as const),
  });
}

interface Cur {
  name: string;
  shape: number[];
  quant: AffineQuant;
}

function linear(p: AffineLayerPlan, x: Cur): Record<string, unknown> & { op: 'dense' | 'conv' } {
  const wq: AffineQuant = {
    kind: 'affine',
    type: 'int8',
    scale: [Math.fround(p.weightScale.mantissa * 2 ** -(p.weightScale.exponent + 2))],
    zeroPoint: [0],
  };
  const acc = { kind: 'int', bits: p.accBits, overflow: p.saturate ? 'SAT' : 'WRAP' };
  const common = { acc, ...(p.fused === 'relu' ? { activation: 'relu' } : {}) };
  const biasOf = (M: number) => (p.bias.length === 0 ? undefined : Array.from({ length: M }, (_, m) => p.bias[m % p.bias.length]!));
  const codes = (n: number) => Array.from({ length: n }, (_, i) => codeAt(p.weights, i, -127, 127));
  if (p.kind === 'dense' || x.shape.length !== 3) {
    const K = x.shape[x.shape.length - 1]!,
      N = p.units;
    return { op: 'dense', ...common, weights: { shape: [N, K], codes: codes(N * K), quant: wq }, bias: biasOf(N) };
  }
  const C = x.shape[0]!,
    M = p.units;
  const { window } = planWindow(p, x.shape[1]!, x.shape[2]!, false);
  return {
    op: 'conv',
    ...common,
    ...window,
    group: 1,
    weights: { shape: [M, C, ...window.kernel], codes: codes(M * C * window.kernel[0] * window.kernel[1]), quant: wq },
    bias: biasOf(M),
  };
}

function layerOf(p: AffineLayerPlan, x: Cur): Record<string, unknown> & { op: IntLayer['op'] } {
  const image = x.shape.length === 3;
  switch (p.kind) {
    case 'dense':
    case 'conv':
      return linear(p, x);
    case 'maxpool':
    case 'avgpool':
      if (image)
        return { op: p.kind, ...planWindow(p, x.shape[1]!, x.shape[2]!, p.ceil).window, ceilMode: p.ceil, countIncludePad: p.countPad };
      break;
    case 'globalavgpool':
      if (image) return { op: 'globalavgpool' };
      break;
    case 'activation':
      break;
  }
  return { op: 'activation', activation: p.activation, in: x.quant, circuit: { name: p.activation, gates: 0, depth: 0, transistors: 0 } };
}

/** An affine model from its plan (deterministic). */
export function affineModelOf(input: InputPlan, inQuant: QuantPlan, plans: readonly AffineLayerPlan[]): AffineModel {
  const shape = inputShapeOf(input);
  let x: Cur = { name: 'x', shape, quant: quantOf(inQuant) };
  const layers: IntLayer[] = plans.map((p, i) => {
    const l = layerOf(p, x);
    // a max pool keeps its input's quantization
    const out = l.op === 'maxpool' ? x.quant : quantOf(p.out);
    const layer = { ...l, name: `${l.op}${i}`, inputs: [x.name], output: `t${i}`, shape: [], out } as unknown as IntLayer;
    layer.shape = layerShape(layer, [x.shape], layer.name);
    x = { name: layer.output, shape: layer.shape, quant: out };
    return layer;
  });
  return {
    format: INT_MODEL_FORMAT,
    schemaVersion: INT_MODEL_SCHEMA_VERSION,
    name: 'random-affine',
    scheme: 'affine',
    requant: 'onnxruntime',
    input: { name: 'x', shape, quant: quantOf(inQuant) },
    layers,
    outputs: [x.name],
    metadata: {},
  };
}

export interface ArbAffineOptions {
  kinds?: readonly AffineKind[];
  minLayers?: number;
  maxLayers?: number;
}

/** Shrinkable random affine networks (requantization scheme onnxruntime, the model's default). */
export function arbAffineModel(o: ArbAffineOptions = {}): fc.Arbitrary<AffineModel> {
  return fc
    .tuple(
      arbInputPlan,
      arbQuantPlan,
      fc.array(arbAffinePlan(o.kinds ?? AFFINE_KINDS), { minLength: o.minLayers ?? 1, maxLength: o.maxLayers ?? 4 }),
    )
    .map(([input, q, plans]) => affineModelOf(input, q, plans));
}
