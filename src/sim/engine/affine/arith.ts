import { fieldError } from '../../quantize/fields.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { IntAccumulator } from '../../quantize/model.js';
import type { ArithLayer, ElementFn } from '../../quantize/model-arith.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { accChannel } from '../accumulate.js';
import { broadcastKernel, matMulKernel } from '../arith.js';
import type { Kernel } from '../kernel.js';
import { ALIGNED } from '../pow2/arith.js';
import { addFn } from './add.js';
import { finish, makeRequant } from './outstage.js';
import { plainRange } from './pool.js';
import { dequantize, quantizeUnclamped } from './quantize.js';
import { remapTable } from './remap.js';

/*
 * Affine kernels of the arithmetic layers (quantize/model-arith.ts). The
 * float schemes (onnxruntime, pytorch) run the QDQ graph onnxruntime executes
 * for ops without an integer kernel: DequantizeLinear in float32, the float
 * op, QuantizeLinear with the scheme's rounding. The TFLite schemes use
 * integer arithmetic: min / max / Where requantize each operand by the
 * scheme's rescale (as concat's inputs), sub is TFLite's integer Sub (its Add
 * on -(b - z_b)), comparisons compare the exact real values.
 */

const floatRoute = (scheme: RequantScheme): boolean => scheme === 'onnxruntime' || scheme === 'pytorch';

/** A code of `from` -> its unclamped code in `to` by the scheme's requantization (identity when the quants are equal). */
function toOut(from: AffineParams, to: AffineParams, scheme: RequantScheme): (q: number) => number {
  const t = remapTable(from, to, scheme);
  return t ? (q) => t[q & 0xff]! : (q) => q;
}

/** (a, b) codes -> unclamped output code of fn. */
function elementFn(
  fn: ElementFn,
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  scheme: RequantScheme,
): (a: number, b: number) => number {
  if (fn === 'min' || fn === 'max') {
    const [ta, tb, g] = [toOut(pa, pc, scheme), toOut(pb, pc, scheme), ALIGNED[fn]];
    return (a, b) => g(ta(a), tb(b));
  }
  if (fn === 'sub') {
    if (floatRoute(scheme)) return (a, b) => quantizeUnclamped(Math.fround(dequantize(a, pa) - dequantize(b, pb)), pc, scheme);
    const add = addFn(pa, pb, pc, scheme, 'none');
    return (a, b) => add(a, 2 * pb.zeroPoint - b);
  }
  const g = ALIGNED[fn];
  const codes = [quantizeUnclamped(0, pc, scheme), quantizeUnclamped(1, pc, scheme)];
  // float route: the float32 dequantized values; else the exact reals ((q - z) s is exact in
  // double: |q - z| < 2^9 and s a float32)
  if (floatRoute(scheme)) return (a, b) => codes[g(dequantize(a, pa), dequantize(b, pb))]!;
  return (a, b) => codes[g((a - pa.zeroPoint) * pa.scale, (b - pb.zeroPoint) * pb.scale)]!;
}

function matMul(
  l: ArithLayer,
  shapes: readonly (readonly number[])[],
  ps: readonly AffineParams[],
  pc: AffineParams,
  scheme: RequantScheme,
  path: string,
): Kernel {
  const a = (l as { acc: IntAccumulator }).acc;
  if (a?.kind !== 'int') fieldError(`${path}.acc.kind`, `must be 'int' in an affine model`);
  const [pa, pb] = ps as [AffineParams, AffineParams];
  const f = Math.fround;
  const M = floatRoute(scheme) ? f(f(pa.scale * pb.scale) / pc.scale) : (pa.scale * pb.scale) / pc.scale;
  const rq = makeRequant(M, pc.zeroPoint, scheme);
  const acc = accChannel({ signed: true, width: a.bits, intBits: a.bits, rounding: 'TRN', overflow: a.overflow });
  const range = plainRange(pc);
  return matMulKernel(shapes[0]!, shapes[1]!, { za: pa.zeroPoint, zb: pb.zeroPoint, acc, out: (v, ev) => finish(rq(v), range, ev) });
}

export function affineArithKernel(
  l: ArithLayer,
  shapes: readonly (readonly number[])[],
  ps: readonly AffineParams[],
  pc: AffineParams,
  scheme: RequantScheme,
  path: string,
): Kernel {
  if (l.op === 'matmul') return matMul(l, shapes, ps, pc, scheme, path);
  const range = plainRange(pc);
  if (l.op === 'where') {
    const [tx, ty, zc] = [toOut(ps[1]!, pc, scheme), toOut(ps[2]!, pc, scheme), ps[0]!.zeroPoint];
    return broadcastKernel(l.shape, shapes, ([c, x, y], ev) => finish(c !== zc ? tx(x!) : ty(y!), range, ev));
  }
  const g = elementFn(l.fn, ps[0]!, ps[1]!, pc, scheme);
  return broadcastKernel(l.shape, shapes, ([a, b], ev) => finish(g(a!, b!), range, ev));
}
