import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import type { Kernel } from '../kernel.js';
import { mulKernel } from '../mul.js';
import { finish, makeRequant } from './outstage.js';
import { plainRange } from './pool.js';

/** (a, b) codes -> unclamped output code. */
type MulFn = (a: number, b: number) => number;

/**
 * onnxruntime: QLinearMul's definition in float32 operations, as MLAS's
 * portable kernel writes it: vA = f(sA (a - zA)), vB = f(sB (b - zB)),
 * c = zC + rne(f(f(vA vB) / sC)). (Each float32 operation is the double
 * operation rounded once to float32, which for * and / is the correctly
 * rounded float32 result.)
 */
function ortMul(pa: AffineParams, pb: AffineParams, pc: AffineParams): MulFn {
  const f = Math.fround;
  return (a, b) =>
    pc.zeroPoint + roundDouble(f(f(f(pa.scale * (a - pa.zeroPoint)) * f(pb.scale * (b - pb.zeroPoint))) / pc.scale), 'RND_CONV');
}

/**
 * The integer schemes: p = (a - zA)(b - zB), an exact integer (|p| <= 2^16
 * for 8-bit codes), requantized as a one-term accumulator with multiplier
 * M = sA sB / sC (double) by makeRequant (gemmlowp / single-rounding:
 * MultiplyByQuantizedMultiplier of the quantized M; tflite-float: round half
 * away of p M in double).
 */
function intMul(pa: AffineParams, pb: AffineParams, pc: AffineParams, scheme: RequantScheme): MulFn {
  const rq = makeRequant((pa.scale * pb.scale) / pc.scale, pc.zeroPoint, scheme);
  return (a, b) => rq((a - pa.zeroPoint) * (b - pb.zeroPoint));
}

/** Affine product of b broadcast to a's shape, saturated to the output type (quantize/model.ts, MulLayer). */
export function affineMulKernel(
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  scheme: RequantScheme,
  shape: readonly number[],
  bShape: readonly number[],
): Kernel {
  const g = scheme === 'onnxruntime' ? ortMul(pa, pb, pc) : intMul(pa, pb, pc, scheme);
  const range = plainRange(pc);
  return mulKernel(shape, bShape, (a, b, ev) => finish(g(a, b), range, ev));
}
