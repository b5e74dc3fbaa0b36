import type { LayerEvents, PoolLayer } from '../../quantize/model.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { div, mul, ratOf } from './exact.js';
import { dequantize32, quantize32, rne } from './f32.js';
import { codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * MaxPool / AveragePool / GlobalAveragePool on dequantized values, per their
 * ONNX definitions: a window is the taps (oy*sh - pad_top + i*dh,
 * ox*sw - pad_left + j*dw); taps outside the image are padding (never the max,
 * not summed). Average divisor: the in-image taps, or with count_include_pad
 * the window clipped to the padded image.
 */

/** Requantizes code q of tensor inP into outP: exact (real) or DequantizeLinear then QuantizeLinear in float32. */
export function requantCode(q: number, inP: AffineParams, outP: AffineParams, arithmetic: Arithmetic, ev: LayerEvents): number {
  if (inP.scale === outP.scale && inP.zeroPoint === outP.zeroPoint && inP.type === outP.type) return q;
  if (arithmetic === 'float32') return saturate(quantize32(dequantize32(q, inP), outP), outP, ev);
  const k = q - inP.zeroPoint;
  return saturate(codeOfReal({ approx: k * inP.scale, exact: () => mul(ratOf(k), ratOf(inP.scale)) }, outP), outP, ev);
}

interface Taps {
  codes: number[];
  divisor: number;
}

function taps(l: PoolLayer, x: Float64Array, plane: number, H: number, W: number, oy: number, ox: number): Taps {
  const codes: number[] = [];
  const top = oy * l.strides[0] - l.pads[0];
  const left = ox * l.strides[1] - l.pads[1];
  for (let i = 0; i < l.kernel[0]; i++) {
    for (let j = 0; j < l.kernel[1]; j++) {
      const r = top + i * l.dilations[0];
      const c = left + j * l.dilations[1];
      if (r >= 0 && r < H && c >= 0 && c < W) codes.push(x[plane * H * W + r * W + c]!);
    }
  }
  const rows = Math.min(top + l.kernel[0], H + l.pads[2]) - top;
  const cols = Math.min(left + l.kernel[1], W + l.pads[3]) - left;
  return { codes, divisor: l.countIncludePad ? rows * cols : codes.length };
}

/** The mean of codes (dequantized) quantized into outP. */
function meanCode(
  codes: number[],
  divisor: number,
  inP: AffineParams,
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): number {
  if (arithmetic === 'float32') {
    let s = 0;
    for (const q of codes) s = Math.fround(s + dequantize32(q, inP));
    const avg = Math.fround(s / divisor);
    return saturate(rne(Math.fround(Math.fround(avg / outP.scale) + outP.zeroPoint)), outP, ev);
  }
  let S = 0;
  for (const q of codes) S += q - inP.zeroPoint;
  const y = { approx: (S * inP.scale) / divisor, exact: () => div(mul(ratOf(S), ratOf(inP.scale)), ratOf(divisor)) };
  return saturate(codeOfReal(y, outP), outP, ev);
}

export function referencePool(
  l: PoolLayer,
  inShape: readonly number[],
  outShape: readonly number[],
  x: Float64Array,
  batch: number,
  inP: AffineParams,
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): Float64Array {
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = outShape as [number, number, number];
  // onnxruntime runs an average over the whole unpadded plane as its global average pool
  const whole = l.op === 'avgpool' && arithmetic === 'float32' && l.kernel[0] === H && l.kernel[1] === W && l.pads.every((p) => p === 0);
  if (whole) return referenceGlobalAvgPool(inShape, x, batch, inP, outP, arithmetic, ev);
  const y = new Float64Array(batch * C * OH * OW);
  let o = 0;
  for (let p = 0; p < batch * C; p++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const t = taps(l, x, p, H, W, oy, ox);
        y[o++] =
          l.op === 'maxpool'
            ? requantCode(Math.max(...t.codes), inP, outP, arithmetic, ev)
            : meanCode(t.codes, t.divisor, inP, outP, arithmetic, ev);
      }
    }
  }
  return y;
}

/**
 * GlobalAveragePool: the plane's mean. float32 follows
 * MlasQLinearGlobalAveragePool: S = sum(q) - zp * HW exactly, then
 * float32(float32(S) * float32(s_in / float32(s_out * HW))) rounded half to even.
 */
export function referenceGlobalAvgPool(
  inShape: readonly number[],
  x: Float64Array,
  batch: number,
  inP: AffineParams,
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): Float64Array {
  const [C, H, W] = inShape as [number, number, number];
  const n = H * W;
  const y = new Float64Array(batch * C);
  for (let p = 0; p < batch * C; p++) {
    const codes = Array.from(x.subarray(p * n, (p + 1) * n));
    if (arithmetic === 'real') {
      y[p] = meanCode(codes, n, inP, outP, arithmetic, ev);
      continue;
    }
    let S = -inP.zeroPoint * n;
    for (const q of codes) S += q;
    const M = Math.fround(inP.scale / Math.fround(outP.scale * n));
    y[p] = saturate(rne(Math.fround(Math.fround(S) * M)) + outP.zeroPoint, outP, ev);
  }
  return y;
}
