import type { InputStep } from '../../quantize/model.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { add, div, mul, ratOf, rneRat, type Rat } from './exact.js';

/*
 * onnxruntime's float32 arithmetic for the reference's 'float32' path,
 * written from the formulas of its kernels (MLAS) with Math.fround at every
 * float32 operation. The fused multiply-add is computed on exact rationals
 * and rounded once (round to nearest, ties to even).
 */

const f = Math.fround;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** The float32 nearest to r (ties to even); r within the normal float32 range. */
export function ratToFloat32(r: Rat): number {
  if (r.n === 0n) return 0;
  const neg = r.n < 0n;
  const n = neg ? -r.n : r.n;
  // 2^(e+23) <= n/d < 2^(e+25) for e = bitlen(n) - bitlen(d) - 24; refine to [2^23, 2^24)
  let e = bitLength(n) - bitLength(r.d) - 24;
  const scaled = (k: number): Rat => (k >= 0 ? { n, d: r.d << BigInt(k) } : { n: n << BigInt(-k), d: r.d });
  let s = scaled(e);
  while (s.n >= s.d << 24n) {
    e++;
    s = scaled(e);
  }
  while (s.n < s.d << 23n) {
    e--;
    s = scaled(e);
  }
  const m = rneRat(s);
  const v = m * 2 ** e;
  return neg ? -v : v;
}

/** float32(a * b + c), one rounding. */
export function fmaF32(a: number, b: number, c: number): number {
  return ratToFloat32(add(mul(ratOf(a), ratOf(b)), ratOf(c)));
}

/** Round half to even of a double. */
export function rne(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  if (d > 0.5) return fl + 1;
  if (d < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** ONNX QuantizeLinear as MLAS: rne(float32(x / scale)) + zp, unclamped. */
export function quantize32(x: number, p: AffineParams): number {
  return rne(f(f(x) / p.scale)) + p.zeroPoint;
}

/** ONNX DequantizeLinear in float32: float32((q - zp) * scale). */
export function dequantize32(q: number, p: AffineParams): number {
  return f((q - p.zeroPoint) * p.scale);
}

/**
 * An input normalization step (ONNX Add/Sub/Mul/Div on float32 tensors): the
 * exact result of the operation on the float32 operands, rounded once to
 * float32 (IEEE arithmetic, ties to even).
 */
export function inputStep32(v: number, s: InputStep): number {
  const a = ratOf(Math.fround(v));
  const b = ratOf(Math.fround(s.value));
  const neg = { n: -b.n, d: b.d };
  const r = s.op === 'add' ? add(a, b) : s.op === 'sub' ? add(a, neg) : s.op === 'mul' ? mul(a, b) : div(a, b);
  return ratToFloat32(r);
}
