import { OVERFLOWS, ROUNDINGS } from '../../../fixedpoint/types.js';
import type { RealFormat } from '../pow2/real.js';
import { f64At, i32At, referenceKernels, scratch, type ReferenceExports } from './module.js';

/*
 * The float reference's float64 kernels (assembly/matmul.ts, assembly/gather.ts).
 * Summation order, fixed and the same on every thread: each output starts at
 * its initial value (bias or +0) and adds its products one at a time, in
 * increasing index order (dense: k; conv: tap (c, i, j) in row-major order,
 * padded taps included with value +0), every product and sum rounded to
 * nearest, no fused multiply-add. The result is that scalar loop bit for bit.
 * Optionally every output is then quantized (assembly/quantize.ts, the
 * reference's quantizeReal) before it is copied out.
 */

/** A format's grid and range as the quantize kernel takes them. */
export type QuantizeInto = Pick<RealFormat, 'scale' | 'lsb' | 'lo' | 'hi' | 'span' | 'wrapLo' | 'rounding' | 'overflow'>;

/** Quantizes n float64 at byte offset `at` of an instance's memory (this thread's shared one by default) in place; returns the overflow events. */
export function quantizeAt(at: number, n: number, q: QuantizeInto, k: ReferenceExports = referenceKernels()): number {
  return k.quantize_f64(at, n, q.scale, q.lsb, ROUNDINGS.indexOf(q.rounding), q.lo, q.hi, OVERFLOWS.indexOf(q.overflow), q.span, q.wrapLo);
}

/** Every value of y quantized into q in place (as quantizeReal each); returns the overflow events. */
export function quantizeF64(y: Float64Array, q: QuantizeInto): number {
  const at = scratch(y.length * 8);
  f64At(at, y.length).set(y);
  const events = quantizeAt(at, y.length, q);
  y.set(f64At(at, y.length));
  return events;
}

/**
 * C (m x n, row-major, holding each output's initial value) + A (m x k) x B
 * (k x n), in the order above, quantized into q when given; the result
 * replaces C. Returns the quantization's overflow events.
 */
export function matmulF64(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, q?: QuantizeInto): number {
  const aAt = scratch((a.length + b.length + c.length) * 8),
    bAt = aAt + a.length * 8,
    cAt = bAt + b.length * 8;
  f64At(aAt, a.length).set(a);
  f64At(bAt, b.length).set(b);
  f64At(cAt, c.length).set(c);
  referenceKernels().matmul_f64(aAt, k, bAt, n, cAt, n, m, k, n);
  const events = q ? quantizeAt(cAt, c.length, q) : 0;
  c.set(f64At(cAt, c.length));
  return events;
}

/** A convolution's geometry for convF64: input channels C of `plane` values, M filters in `group` groups, P output positions. */
export interface ConvShape {
  C: number;
  plane: number;
  M: number;
  group: number;
  P: number;
  /** For kernel tap (i, j) and output position q, at [(i * kw + j) * P + q]: the offset inside an input plane read, or -1 (padding). */
  map: Int32Array;
}

/**
 * out[n, m, q] = bias[m] + sum over taps (c, i, j) of w[m, (c, i, j)] * x[n, c, map[(i, j), q]]
 * (x = +0 where map is -1), for `batch` samples, in the order above,
 * quantized into q when given. Returns the quantization's overflow events.
 */
export function convF64(
  x: Float64Array,
  batch: number,
  s: ConvShape,
  w: Float64Array,
  bias: Float64Array,
  out: Float64Array,
  q?: QuantizeInto,
): number {
  const cin = s.C / s.group,
    per = s.M / s.group,
    taps = w.length / s.M,
    P = s.P;
  const mapAt = scratch(s.map.length * 4 + (w.length + x.length + taps * P + out.length) * 8 + 16);
  const wAt = mapAt + Math.ceil(s.map.length / 4) * 16,
    xAt = wAt + w.length * 8,
    seenAt = xAt + x.length * 8,
    outAt = seenAt + taps * P * 8;
  i32At(mapAt, s.map.length).set(s.map);
  f64At(wAt, w.length).set(w);
  f64At(xAt, x.length).set(x);
  const o = f64At(outAt, out.length);
  for (let r = 0; r < batch * s.M; r++) o.fill(bias[r % s.M]!, r * P, (r + 1) * P);
  const k = referenceKernels();
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < s.group; g++) {
      k.gather_f64(xAt + (n * s.C + g * cin) * s.plane * 8, cin, s.plane, mapAt, s.map.length, seenAt);
      k.matmul_f64(wAt + g * per * taps * 8, taps, seenAt, P, outAt + (n * s.M + g * per) * P * 8, P, per, taps, P);
    }
  }
  const events = q ? quantizeAt(outAt, out.length, q) : 0;
  out.set(f64At(outAt, out.length));
  return events;
}

/** A table over an input grid: entry k for the input value (first + k) / scale, with its events (bit 0 saturation, bit 1 wrap). */
export interface GridTable {
  scale: number;
  first: number;
  value: Float64Array;
  flags: Int32Array;
}

/**
 * y[i] = table entry of x[i] and the entries' events added to ev, or
 * undefined when some x[i] is off the table (the caller evaluates those).
 */
export function lookupF64(x: Float64Array, t: GridTable, ev: { saturations: number; wraps: number }): Float64Array | undefined {
  const size = t.value.length;
  const tableAt = scratch((size + x.length + 1) * 8 + size * 4),
    xAt = tableAt + size * 8,
    evAt = xAt + x.length * 8,
    flagsAt = evAt + 8;
  f64At(tableAt, size).set(t.value);
  i32At(flagsAt, size).set(t.flags);
  f64At(xAt, x.length).set(x);
  if (referenceKernels().lookup_f64(xAt, xAt, x.length, t.scale, t.first, size, tableAt, flagsAt, evAt) > 0) return undefined;
  const events = i32At(evAt, 2);
  ev.saturations += events[0]!;
  ev.wraps += events[1]!;
  return f64At(xAt, x.length).slice();
}
