import { f64View, i16View, i32View } from './heap.js';
import { kernels } from './module.js';

/*
 * Operands into and results out of kernel memory. A Float64Array (the
 * engine's codes) crosses as a byte copy into a staging area plus one SIMD
 * conversion pass, several times faster than TypedArray.set's per-element
 * conversion between element types.
 */

/** Bytes of staging a call needs for an operand of nIn values and a result of nOut values. */
export function stageBytes(a: ArrayLike<number>, nIn: number, out: ArrayLike<number>, nOut: number): number {
  return Math.max(a instanceof Float64Array ? nIn * 8 : 0, out instanceof Float64Array ? nOut * 8 : 0);
}

/**
 * n int16 operands at `at`: integers in [-32768, 32767] (the caller's
 * precondition; a Float64Array's other values are truncated and saturated, any
 * other array's are reduced modulo 2^16 as TypedArray.set does).
 */
export function writeI16(src: ArrayLike<number>, at: number, n: number, stage: number): void {
  if (src instanceof Float64Array) {
    f64View(stage, n).set(src);
    kernels().f64_to_i16(stage, at, n);
  } else {
    i16View(at, n).set(src);
  }
}

/** n int32 results at `at` into `out` (a Float64Array receives them exactly). */
export function readI32(at: number, n: number, out: Int32Array | Float64Array, stage: number): void {
  if (out instanceof Float64Array) {
    kernels().i32_to_f64(at, stage, n);
    out.set(f64View(stage, n));
  } else {
    out.set(i32View(at, n));
  }
}
