import { UserError } from '../errors.js';

/*
 * PyTorch's quantized CPU kernels (fbgemm on x86, qnnpack; uint8
 * activations, int8 weights per tensor or per output channel), from
 * fbgemm's OutputProcessing-inl.h (ReQuantizeOutput) and ATen's
 * quantized/cpu qlinear.cpp / qconv.cpp, which form the multipliers:
 *   act_times_w_scale[c] = float32(s_in * s_w[c])
 *   multiplier[c]        = float32(act_times_w_scale[c] / s_out)
 *   raw_f = float32(float32(raw) + float32(bias[c] / act_times_w_scale[c]))   (float bias)
 *   code  = clamp(lrintf(float32(raw_f * multiplier[c])) + zp_out, lo, hi)
 * raw is the int32 accumulator with the zero-point corrections applied;
 * lrintf rounds half to even (the default rounding mode); [lo, hi] is
 * [0, 255], or [zp_out, 255] with a fused ReLU. An int32 bias already at
 * scale act_times_w_scale (what an ONNX file stores) enters as raw + bias.
 */

const RNE_MAGIC = 6755399441055744; // 1.5 * 2^52: v + M - M rounds |v| <= 2^51 half to even

/** lrintf of a float32: round half to even (x86 cvtss2si in the default rounding mode). */
export function lrintf(v: number): number {
  return v + RNE_MAGIC - RNE_MAGIC + 0; // + 0: never -0
}

export interface PytorchChannel {
  /** float32(s_in * s_w[c]). */
  actTimesWScale: number;
  /** float32(actTimesWScale / s_out). */
  multiplier: number;
}

function checkScale(v: number, name: string): number {
  const f = Math.fround(v);
  if (!(Number.isFinite(f) && f > 0)) throw new UserError(`${name} must be a positive finite float32, got ${v}`);
  return f;
}

/** The float32 multipliers of one output channel, as PyTorch forms them. */
export function pytorchChannel(sIn: number, sW: number, sOut: number): PytorchChannel {
  const actTimesWScale = Math.fround(checkScale(sIn, 'input scale') * checkScale(sW, 'weight scale'));
  return { actTimesWScale, multiplier: Math.fround(actTimesWScale / checkScale(sOut, 'output scale')) };
}

/**
 * fbgemm's ReQuantizeOutput for one value: raw (int32, zero points already
 * corrected), the channel's float bias (0 without bias), output zero point
 * and clamp [lo, hi].
 */
export function pytorchRequantize(raw: number, floatBias: number, ch: PytorchChannel, zp: number, lo: number, hi: number): number {
  const biased = Math.fround(Math.fround(raw) + Math.fround(Math.fround(floatBias) / ch.actTimesWScale));
  const code = lrintf(Math.fround(biased * ch.multiplier)) + zp;
  return code < lo ? lo : code > hi ? hi : code;
}

/**
 * The average of `count` codes whose centred sum (sum of code - zp_in) is
 * `sum`, requantized with input and output at the same scale: the mean
 * rounded half to even, then the output zero point added (the ONNX
 * AveragePool + QuantizeLinear definition; PyTorch's quantized avg_pool2d
 * rounds the same way). Exact: integer arithmetic on sum and count.
 */
export function averageHalfEven(sum: number, count: number, zpOut: number): number {
  if (!Number.isSafeInteger(sum) || !Number.isInteger(count) || count < 1)
    throw new UserError(`averageHalfEven needs an integer sum and a positive count, got ${sum}, ${count}`);
  const q = Math.floor(sum / count);
  const twice = 2 * (sum - q * count);
  const up = twice > count || (twice === count && (q & 1) === 1);
  return q + (up ? 1 : 0) + zpOut;
}
