import { pairSaturationPossible } from '../../fixedpoint/pair-saturation.js';
import type { IntModel } from '../quantize/model.js';

/**
 * Dense and conv layers of an affine model whose codes onnxruntime on x86
 * without VNNI can compute differently from the exact result: uint8 inputs
 * times int8 weights with a weight outside [-64, 63]. There MLAS's u8 x s8
 * kernel sums pairs of products with vpmaddubsw, which saturates each pair to
 * int16 (fixedpoint/pair-saturation.ts); with VNNI (vpdpbusd), or with weights
 * in the 7-bit range, the sums are exact.
 */
export function pairSaturationExposure(m: IntModel): string[] {
  if (m.scheme !== 'affine') return [];
  const types = new Map<string, string>([[m.input.name, m.input.quant.kind === 'affine' ? m.input.quant.type : '']]);
  const exposed: string[] = [];
  for (const l of m.layers) {
    if ((l.op === 'dense' || l.op === 'conv') && types.get(l.inputs[0]!) === 'uint8') {
      const wq = l.weights.quant;
      if (wq.kind === 'affine' && wq.type === 'int8' && pairSaturationPossible(l.weights.codes)) exposed.push(l.name);
    }
    types.set(l.output, l.out.kind === 'affine' ? l.out.type : '');
  }
  return exposed;
}

/** The warning verify prints for an exposed model, or undefined. */
export function pairSaturationWarning(m: IntModel): string | undefined {
  const layers = pairSaturationExposure(m);
  if (!layers.length) return undefined;
  return `layers ${layers.join(', ')} have int8 weights outside [-64, 63] with uint8 inputs: onnxruntime on x86 without VNNI sums u8 x s8 products in int16-saturated pairs (vpmaddubsw) there, so its codes can differ from these exact ones`;
}
