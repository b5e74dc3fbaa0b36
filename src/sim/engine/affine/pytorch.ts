import { lrintf } from '../../../fixedpoint/pytorch.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import type { Requant } from './outstage.js';

/*
 * The 'pytorch' requantization scheme: PyTorch's quantized CPU kernels as
 * its qnnpack engine computes them (uint8 activations, int8 weights; the
 * fbgemm engine agrees on conv/linear). Where they match onnxruntime's
 * (conv and linear: float32 multiplier float32(float32(s_in * s_w) / s_out),
 * v = float32(float32(acc) * M) clamped, rounded half to even, + zp) the
 * scheme uses the same code (fixedpoint/requant.ts). The rest is here:
 * - quantize_per_tensor (QuantStub): zp + rne(float32(x * float32(1 / s))),
 *   a multiplication by the float32 inverse scale, not a division;
 * - average pools (ATen's quantized avg_pool2d kernel): acc = sum of
 *   (x - zp_in) over the window, s = float32(s_in / s_out / n),
 *   code = zp_out + lrintf(float32(float32(acc) * s)): the mean rounded half
 *   to even before the zero point is added, as the ONNX definition
 *   (AveragePool, then QuantizeLinear) rounds it;
 * - add (qnnpack's add): multipliers of the ratios rA = float32(sA / sC),
 *   rB = float32(sB / sC) at 2^shift with shift = 21 - floor(log2(max(rA, rB))),
 *   mA = lrintf(rA * 2^shift), mB likewise; acc = mA (a - zpA) + mB (b - zpB)
 *   in int32, shifted right by `shift` rounding half away from zero, + zpC.
 */

/** QuantStub: unclamped code of x. */
export function pytorchQuantize(x: number, p: AffineParams): number {
  const inv = Math.fround(1 / p.scale);
  return lrintf(Math.fround(Math.fround(x) * inv)) + p.zeroPoint;
}

/** Average of a window of n taps whose centred sum is acc (n = divisor). */
export function pytorchAverage(inP: AffineParams, outP: AffineParams, n: number): Requant {
  const s = Math.fround(inP.scale / outP.scale / n);
  return (acc) => outP.zeroPoint + lrintf(Math.fround(Math.fround(acc) * s));
}

const F32 = new DataView(new ArrayBuffer(4));

function exponentOf(v: number): number {
  F32.setFloat32(0, v);
  return (F32.getUint32(0) >>> 23) - 127;
}

/** a, b codes -> unclamped code of A + B. */
export function pytorchAdd(pa: AffineParams, pb: AffineParams, pc: AffineParams): (a: number, b: number) => number {
  const rA = Math.fround(pa.scale / pc.scale),
    rB = Math.fround(pb.scale / pc.scale);
  const shift = 21 - exponentOf(Math.max(rA, rB));
  const mA = lrintf(Math.fround(rA * 2 ** shift)),
    mB = lrintf(Math.fround(rB * 2 ** shift));
  const d = 2 ** shift;
  return (a, b) => {
    const acc = mA * (a - pa.zeroPoint) + mB * (b - pb.zeroPoint);
    return pc.zeroPoint + roundDouble(acc / d, 'RND_INF'); // acc / 2^shift exact
  };
}
