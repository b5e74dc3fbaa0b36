import type { AffineParams } from '../../quantize/affine/types.js';
import type { DataLayer } from '../../quantize/model-data.js';
import type { RefKernel } from '../kernel.js';
import { constantRef, gatherRef, padRef, reduceRef } from '../data-ops.js';
import { div, mul, ratOf } from './exact.js';
import { rne } from './f32.js';
import { codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * The data layers of an affine model on codes. Reduce max/min: the largest /
 * smallest code (the output quant is the input's). Sum / mean of a group of n
 * codes with divisor d (n for mean, 1 for sum), S = sum of (q - zp_in):
 * 'real' arithmetic: QuantizeLinear of the exact real S * s_in / d;
 * 'float32' (onnxruntime's requantization of the exact integer sum):
 * zp_out + rne(float32(float32(S) * M)) with M = s_in / (s_out * d) in double.
 * Both saturate to the output type.
 */
function sumCode(codes: number[], d: number, inP: AffineParams, outP: AffineParams, a: Arithmetic, ev: { saturations: number }): number {
  let S = 0;
  for (const q of codes) S += q - inP.zeroPoint;
  if (a === 'float32') return saturate(outP.zeroPoint + rne(Math.fround(Math.fround(S) * (inP.scale / (outP.scale * d)))), outP, ev);
  const y = { approx: (S * inP.scale) / d, exact: () => div(mul(ratOf(S), ratOf(inP.scale)), ratOf(d)) };
  return saturate(codeOfReal(y, outP), outP, ev);
}

export function affineDataRef(
  l: DataLayer,
  inShape: readonly number[],
  inP: AffineParams | undefined,
  outP: AffineParams,
  a: Arithmetic,
): RefKernel {
  switch (l.op) {
    case 'gather':
      return gatherRef(l, inShape);
    case 'pad':
      return padRef(l, inShape, l.value);
    case 'constant':
      return constantRef(Float64Array.from(l.codes));
    case 'reduce':
      return reduceRef(l, inShape, (v, ev) => {
        if (l.fn === 'max') return v.reduce((p, q) => Math.max(p, q));
        if (l.fn === 'min') return v.reduce((p, q) => Math.min(p, q));
        return sumCode(v, l.fn === 'mean' ? v.length : 1, inP!, outP, a, ev);
      });
  }
}
