/**
 * Energy of the PEs on the network's real operands: the PE circuit (mac.ts
 * buildPe) driven by sampled dot products of each dense/conv layer, with the
 * layer's weight codes and the input codes the integer engine produced for the
 * samples, in the gate simulator that counts every net's toggles; energy per
 * MAC = the technology's per-transition cell energies over the toggles plus
 * the registers' clock energy (netlist energyPerOpFj, the rule of the uniform
 * figure: only the operands differ).
 *
 * Stream: whole dot products one after another, as a PE of an output-
 * stationary array computes them (consecutive MACs of one output, then the
 * next output); the accumulator port carries the running sum of the dot
 * product so far (stimulus.ts runningSums, as the uniform stimulus).
 * Terms: dense k = 0 .. K - 1; conv (c, r, s): input channel outer, then
 * kernel row, then kernel column (the integer model's order);
 * a tap outside the image carries the input's zero code (0, or the zero point
 * of an affine input), as the im2col matrix the array reads holds it.
 * Sample: at most `maxMacs` MACs per layer, floor(maxMacs / dot length) dot
 * products (at least one) spread evenly over (sample, output channel, output
 * position) in that order (index i of D picks dot product floor(i N / D) of N).
 */
import { fracBits } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { energyPerOpFj, simulateVectors, type Tech } from '../../netlist/index.js';
import type { ConvLayer, DenseLayer, IntModel, TensorQuant } from '../../sim/quantize/model.js';
import type { NetworkLayerPlan } from './layers.js';
import { buildPe } from './mac.js';
import { buildRequant, requantStimulus } from './requant.js';
import { runningSums } from './stimulus.js';

/** MACs simulated per layer at most. */
export const PE_SAMPLE_MACS = 8192;

export interface PeToggleRow {
  readonly layer: string;
  /** Dot products simulated and the MACs they hold. */
  readonly dotProducts: number;
  readonly macs: number;
  /** Average switching energy of one MAC of the PE on the real operands, fJ. */
  readonly energyFjPerMac: number;
  /**
   * pow2 layers: the requantization unit's energy per evaluation on the sampled
   * dot products' accumulators, fJ; null for affine layers, without a unit,
   * or with fewer than 2 dot products.
   */
  readonly requantFjPerOp: number | null;
}

/** One dot product's terms: weight and input codes of term k of dot product d. */
interface Operands {
  readonly dots: number;
  readonly length: number;
  term(d: number, k: number): [number, number];
  /** Output channel of dot product d (its bias). */
  channel(d: number): number;
}

function zeroCode(q: TensorQuant): number {
  return q.kind === 'affine' ? q.zeroPoint[0]! : 0;
}

function denseOperands(l: DenseLayer, inSize: number, x: ArrayLike<number>, count: number): Operands {
  const [n, K] = l.weights.shape as [number, number];
  const rows = inSize / K;
  const w = l.weights.codes;
  return {
    dots: count * rows * n,
    length: K,
    term(d, k) {
      const s = Math.floor(d / (rows * n));
      const row = Math.floor((d - s * rows * n) / n);
      const j = d % n;
      return [w[j * K + k]!, x[s * inSize + row * K + k]!];
    },
    channel: (d) => d % n,
  };
}

function convOperands(l: ConvLayer, inShape: readonly number[], x: ArrayLike<number>, count: number, pad: number): Operands {
  const [M, Cg, kh, kw] = l.weights.shape as [number, number, number, number];
  const [C, H, W] = inShape as [number, number, number];
  const [, Ho, Wo] = l.shape as [number, number, number];
  const perGroup = M / l.group;
  const w = l.weights.codes;
  return {
    dots: count * M * Ho * Wo,
    length: Cg * kh * kw,
    term(d, k) {
      const s = Math.floor(d / (M * Ho * Wo));
      const m = Math.floor(d / (Ho * Wo)) % M;
      const px = d % (Ho * Wo);
      const [oh, ow] = [Math.floor(px / Wo), px % Wo];
      const c = Math.floor(k / (kh * kw));
      const r = Math.floor((k % (kh * kw)) / kw);
      const q = k % kw;
      const ih = oh * l.strides[0] - l.pads[0] + r * l.dilations[0];
      const iw = ow * l.strides[1] - l.pads[1] + q * l.dilations[1];
      const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
      const ch = Math.floor(m / perGroup) * Cg + c;
      return [w[m * Cg * kh * kw + k]!, inside ? x[s * C * H * W + ch * H * W + ih * W + iw]! : pad];
    },
    channel: (d) => Math.floor(d / (Ho * Wo)) % M,
  };
}

/** Raw W-bit pattern of a code (two's complement for negative codes). */
function raw(code: number, f: FixedFormat): number {
  return code < 0 ? code + 2 ** f.width : code;
}

/**
 * The requantization unit on the accumulators of the sampled dot products
 * (pow2 layers): bias code + the products aligned to the accumulator's LSB
 * (floor), wrapped to the 'acc' port's width; the unit's other ports (a
 * per-channel shift) held as in its uniform stimulus (requant.ts).
 */
function requantEnergy(p: NetworkLayerPlan, sums: readonly bigint[], tech: Tech): number | null {
  if (!p.requant || p.requant.kind !== 'pow2' || sums.length < 2) return null;
  const net = buildRequant(p.requant);
  const stim = requantStimulus(net);
  const n = sums.length;
  const width = net.inputs().find((x) => x.name === 'acc')!.bits.length;
  const ports: Record<string, Float64Array> = {};
  for (const [name, v] of Object.entries(stim)) ports[name] = new Float64Array(n).fill(v[0]!);
  ports.acc = Float64Array.from(sums, (v) => Number(BigInt.asUintN(width, v)));
  const sim = simulateVectors(net, ports, n, { toggles: true });
  return energyPerOpFj(net, sim.toggles!, n, tech);
}

/** The sampled MAC stream of one layer and the PE's (and pow2 requantization unit's) energy on it. */
function layerRow(p: NetworkLayerPlan, ops: Operands, bias: readonly number[] | undefined, tech: Tech, maxMacs: number): PeToggleRow {
  const D = Math.min(ops.dots, Math.max(1, Math.floor(maxMacs / ops.length)));
  const n = D * ops.length;
  const w = new Float64Array(n);
  const a = new Float64Array(n);
  const sums: bigint[] = [];
  const shift = fracBits(p.mac.acc) - fracBits(p.mac.weight) - fracBits(p.mac.input);
  for (let i = 0; i < D; i++) {
    const d = Math.floor((i * ops.dots) / D);
    let sum = BigInt(bias?.[ops.channel(d)] ?? 0);
    for (let k = 0; k < ops.length; k++) {
      const [wc, xc] = ops.term(d, k);
      w[i * ops.length + k] = raw(wc, p.mac.weight);
      a[i * ops.length + k] = raw(xc, p.mac.input);
      const prod = BigInt(wc) * BigInt(xc);
      sum += shift >= 0 ? prod << BigInt(shift) : prod >> BigInt(-shift);
    }
    sums.push(sum);
  }
  const net = buildPe(p.mac);
  const acc = runningSums(p.mac, ops.length, w, a);
  const sim = simulateVectors(net, { w, x: a, acc }, n, { toggles: true });
  return {
    layer: p.name,
    dotProducts: D,
    macs: n,
    energyFjPerMac: energyPerOpFj(net, sim.toggles!, n, tech),
    requantFjPerOp: requantEnergy(p, sums, tech),
  };
}

/**
 * PE energy per MAC of every dense/conv layer on real operands: `tensors` are
 * the integer engine's codes of `count` samples (runInteger with keep 'all').
 */
export function peToggleEnergy(
  m: IntModel,
  plans: readonly NetworkLayerPlan[],
  tensors: ReadonlyMap<string, ArrayLike<number>>,
  count: number,
  tech: Tech,
  maxMacs = PE_SAMPLE_MACS,
): PeToggleRow[] {
  const shapes = new Map<string, { shape: readonly number[]; quant: TensorQuant }>([[m.input.name, m.input]]);
  for (const l of m.layers) shapes.set(l.output, { shape: l.shape, quant: l.out });
  return plans.map((p) => {
    const l = m.layers.find((x) => x.name === p.name) as DenseLayer | ConvLayer;
    const input = shapes.get(l.inputs[0]!)!;
    const x = tensors.get(l.inputs[0]!)!;
    const size = input.shape.reduce((s, v) => s * v, 1);
    const ops = l.op === 'dense' ? denseOperands(l, size, x, count) : convOperands(l, input.shape, x, count, zeroCode(input.quant));
    return layerRow(p, ops, l.bias, tech, maxMacs);
  });
}
