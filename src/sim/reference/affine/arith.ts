import type { IntAccumulator, LayerEvents } from '../../quantize/model.js';
import type { ArithLayer, ElementFn } from '../../quantize/model-arith.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import type { RefKernel } from '../kernel.js';
import { broadcastRef, matMulRef } from '../arith-broadcast.js';
import { add, mul, ratOf, type Rat } from './exact.js';
import { dequantize32, quantize32, rne } from './f32.js';
import { overflowStep } from './linear.js';
import { requantCode } from './pool.js';
import { codeOfReal, saturate, type Real } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * The ONNX definitions of the arithmetic layers (quantize/model-arith.ts) on
 * codes: DequantizeLinear of each operand, the float op (Min, Max, Sub,
 * Equal, Greater, Less, GreaterOrEqual, LessOrEqual, Where), QuantizeLinear
 * into the output; MatMul as QLinearMatMul. 'real': exact reals, rounded half
 * to even. 'float32': every step an IEEE float32 operation, as onnxruntime
 * runs the QDQ graph.
 */

/** The exact real value of code q: (q - z) * s as an estimate and a rational. */
function realOf(q: number, p: AffineParams): Real {
  const k = q - p.zeroPoint;
  return { approx: k * p.scale, exact: () => mul(ratOf(k), ratOf(p.scale)) };
}

/** Compares two rationals exactly: negative, 0 or positive. */
function cmp(a: Rat, b: Rat): number {
  const d = a.n * b.d - b.n * a.d;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

const RELATION: Partial<Record<ElementFn, (c: number) => boolean>> = {
  equal: (c) => c === 0,
  greater: (c) => c > 0,
  less: (c) => c < 0,
  greaterorequal: (c) => c >= 0,
  lessorequal: (c) => c <= 0,
};

const ONE: Real = { approx: 1, exact: () => ({ n: 1n, d: 1n }) };
const ZERO: Real = { approx: 0, exact: () => ({ n: 0n, d: 1n }) };

function realFn(fn: ElementFn, a: Real, b: Real): Real {
  if (fn === 'sub') return { approx: a.approx - b.approx, exact: () => add(a.exact(), mul(b.exact(), { n: -1n, d: 1n })) };
  const c = cmp(a.exact(), b.exact());
  if (fn === 'min') return c <= 0 ? a : b;
  if (fn === 'max') return c >= 0 ? a : b;
  return RELATION[fn]!(c) ? ONE : ZERO;
}

function float32Fn(fn: ElementFn, a: number, b: number): number {
  if (fn === 'sub') return Math.fround(a - b);
  if (fn === 'min') return a < b ? a : b;
  if (fn === 'max') return a > b ? a : b;
  return RELATION[fn]!(a < b ? -1 : a > b ? 1 : 0) ? 1 : 0;
}

/** One output code of fn on codes a, b. */
function fnCode(
  fn: ElementFn,
  a: number,
  b: number,
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  ar: Arithmetic,
  ev: LayerEvents,
): number {
  if (ar === 'float32') return saturate(quantize32(float32Fn(fn, dequantize32(a, pa), dequantize32(b, pb)), pc), pc, ev);
  return saturate(codeOfReal(realFn(fn, realOf(a, pa), realOf(b, pb)), pc), pc, ev);
}

/** QLinearMatMul: acc = sum (a - z_a)(b - z_b) through the accumulator, y = acc s_a s_b, QuantizeLinear(y). */
function qLinearMatMul(
  l: ArithLayer,
  a: readonly number[],
  b: readonly number[],
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  ar: Arithmetic,
): RefKernel {
  const accQ = (l as { acc: IntAccumulator }).acc;
  const acc = { bits: accQ.bits, saturate: accQ.overflow === 'SAT' };
  const f = Math.fround;
  const M32 = f(f(pa.scale * pb.scale) / pc.scale);
  const stage = (A: number, ev: LayerEvents): number =>
    ar === 'float32'
      ? saturate(rne(f(f(A) * M32)) + pc.zeroPoint, pc, ev)
      : saturate(
          codeOfReal({ approx: A * pa.scale * pb.scale, exact: () => mul(ratOf(A), mul(ratOf(pa.scale), ratOf(pb.scale))) }, pc),
          pc,
          ev,
        );
  return matMulRef(
    a,
    b,
    (x, y) => (x - pa.zeroPoint) * (y - pb.zeroPoint),
    (s, ev) => overflowStep(s, acc, ev),
    stage,
  );
}

export function referenceArith(
  l: ArithLayer,
  shapes: readonly (readonly number[])[],
  ps: AffineParams[],
  pc: AffineParams,
  ar: Arithmetic,
): RefKernel {
  if (l.op === 'matmul') return qLinearMatMul(l, shapes[0]!, shapes[1]!, ps[0]!, ps[1]!, pc, ar);
  if (l.op === 'where')
    return broadcastRef(l.shape, shapes, ([c, x, y], ev) =>
      c !== ps[0]!.zeroPoint ? requantCode(x!, ps[1]!, pc, ar, ev) : requantCode(y!, ps[2]!, pc, ar, ev),
    );
  const fn = l.fn;
  return broadcastRef(l.shape, shapes, ([a, b], ev) => fnCode(fn, a!, b!, ps[0]!, ps[1]!, pc, ar, ev));
}
