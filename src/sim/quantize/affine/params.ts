import { UserError } from '../../../errors.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { AffineQuant } from '../model.js';
import { AFFINE_RANGE, type Affine8 } from './types.js';

/*
 * Quantization parameters from calibrated ranges, with the conventions of
 * onnxruntime's quantization tool (compute_scale_zp):
 * - activations asymmetric: the range is widened to include 0,
 *   scale = (rmax - rmin) / (qmax - qmin) rounded to float32,
 *   zero point = round_half_even(qmin - rmin / scale) clamped to [qmin, qmax];
 *   an empty range (rmin = rmax = 0) gets scale 1, zero point at the code of 0;
 * - weights symmetric int8 with zero point 0: scale = max|w| / 127, or
 *   max|w| / 63 with reduceRange (codes then lie in [-63, 63], inside the
 *   [-64, 63] that onnxruntime's x86 u8s8 kernels take without int16
 *   saturation); codes round(w / scale) half to even in float32;
 * - int32 biases at scale float32(s_in * s_w[c]), zero point 0,
 *   code = round_half_even(float32(b / scale)) saturated to int32.
 */

export function activationQuant(lo: number, hi: number, type: Affine8): AffineQuant {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi)
    throw new UserError(`calibrated range [${lo}, ${hi}] is not a finite interval`);
  const [qmin, qmax] = AFFINE_RANGE[type];
  const rmin = Math.min(lo, 0),
    rmax = Math.max(hi, 0);
  let scale = Math.fround((rmax - rmin) / (qmax - qmin));
  if (!(scale > 0)) scale = 1;
  const zp = Math.min(qmax, Math.max(qmin, roundDouble(qmin - rmin / scale, 'RND_CONV')));
  return { kind: 'affine', type, scale: [scale], zeroPoint: [zp] };
}

/** Largest |w| of each of `channels` consecutive blocks (or of all, per tensor). */
function absMax(w: ArrayLike<number>, channels: number): number[] {
  const per = w.length / channels;
  return Array.from({ length: channels }, (_, c) => {
    let m = 0;
    for (let i = c * per; i < (c + 1) * per; i++) m = Math.max(m, Math.abs(w[i]!));
    return m;
  });
}

/** Symmetric int8 weight quant (per tensor, or per output channel = axis 0) and the codes. */
export function weightQuant(
  w: ArrayLike<number>,
  channels: number,
  perChannel: boolean,
  reduceRange: boolean,
): { quant: AffineQuant; codes: number[] } {
  const qmax = reduceRange ? 63 : 127;
  const m = absMax(w, perChannel ? channels : 1);
  const scale = m.map((a) => (a > 0 ? Math.fround(a / qmax) : 1));
  const per = w.length / channels;
  const codes = Array.from(w, (x, i) => {
    const s = scale[perChannel ? Math.floor(i / per) : 0]!;
    const q = roundDouble(Math.fround(Math.fround(x) / s), 'RND_CONV');
    return Math.max(-qmax, Math.min(qmax, q));
  });
  const quant: AffineQuant = { kind: 'affine', type: 'int8', scale, zeroPoint: scale.map(() => 0) };
  if (perChannel) quant.axis = 0;
  return { quant, codes };
}

/** int32 bias codes at scale float32(s_in * s_w[c]). */
export function biasCodes(b: ArrayLike<number>, sIn: number, w: AffineQuant): number[] {
  return Array.from(b, (x, c) => {
    const s = Math.fround(sIn * (w.scale.length === 1 ? w.scale[0]! : w.scale[c]!));
    const q = roundDouble(Math.fround(Math.fround(x) / s), 'RND_CONV');
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, q));
  });
}
