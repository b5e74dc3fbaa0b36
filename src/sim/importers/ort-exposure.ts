import { pairSaturationPossible } from '../../fixedpoint/pair-saturation.js';
import { pairSaturatedLayer } from '../engine/affine/pairsat.js';
import { runAffine } from '../engine/run.js';
import type { IntModel } from '../quantize/model.js';

/**
 * Dense and conv layers of an affine model whose codes onnxruntime on x86
 * without VNNI can compute differently from the exact result: layers it runs
 * on its u8 x s8 kernels (uint8 inputs times int8 weights, not depthwise, not
 * ConvInteger: engine/affine/pairsat.ts) with a weight outside [-64, 63].
 * There MLAS sums pairs of products with vpmaddubsw, which saturates each pair
 * to int16; with VNNI (vpdpbusd), or with weights in the 7-bit range, the sums
 * are exact. `--accumulation ort-u8s8-pairsat` reproduces those codes.
 */
export function pairSaturationExposure(m: IntModel): string[] {
  if (m.scheme !== 'affine') return [];
  const types = new Map<string, string>([[m.input.name, m.input.quant.kind === 'affine' ? m.input.quant.type : '']]);
  const exposed: string[] = [];
  for (const l of m.layers) {
    if (
      (l.op === 'dense' || l.op === 'conv') &&
      pairSaturatedLayer(l, types.get(l.inputs[0]!) ?? '') &&
      pairSaturationPossible(l.weights.codes)
    )
      exposed.push(l.name);
    types.set(l.output, l.out.kind === 'affine' ? l.out.type : '');
  }
  return exposed;
}

/** The warning verify prints for an exposed model, or undefined. */
export function pairSaturationWarning(m: IntModel): string | undefined {
  const layers = pairSaturationExposure(m);
  if (!layers.length) return undefined;
  return `layers ${layers.join(', ')} have int8 weights outside [-64, 63] with uint8 inputs: onnxruntime on x86 without VNNI sums u8 x s8 products in int16-saturated pairs (vpmaddubsw) there, so its codes can differ from these exact ones (--accumulation ort-u8s8-pairsat, or onnxruntime-host on such a machine, reproduces them)`;
}

/** How many codes of every layer onnxruntime's pair-saturating path changes against its exact one (requant onnxruntime). */
export interface PairSaturationEffect {
  values: number;
  differing: number;
  maxLsb: number;
}

export function pairSaturationEffect(m: IntModel, input: ArrayLike<number>, batch: number): PairSaturationEffect {
  const exact = runAffine(m, input, batch, { requant: 'onnxruntime' }).tensors;
  const sat = runAffine(m, input, batch, { requant: 'onnxruntime', accumulation: 'ort-u8s8-pairsat' }).tensors;
  let values = 0,
    differing = 0,
    maxLsb = 0;
  for (const [name, a] of exact) {
    const b = sat.get(name)!;
    values += a.length;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      if (d > 0) differing++;
      if (d > maxLsb) maxLsb = d;
    }
  }
  return { values, differing, maxLsb };
}
