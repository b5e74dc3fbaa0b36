import { UserError } from '../errors.js';

/*
 * The u8 x s8 dot product as x86 computes it without VNNI: AVX2's
 * vpmaddubsw (SSSE3 pmaddubsw; Intel SDM "PMADDUBSW — Multiply and Add Packed
 * Signed and Unsigned Bytes") multiplies unsigned bytes a by signed bytes b
 * and adds adjacent products into one int16 with signed saturation:
 *   lane i = sat16(a[2i] * b[2i] + a[2i+1] * b[2i+1]),  sat16 clamps to [-32768, 32767].
 * vpmaddwd by ones then sums lanes into int32 (two's-complement wrap).
 * onnxruntime's MLAS u8s8 GEMM on AVX2 cores packs K in groups of four and
 * feeds consecutive K entries (2i, 2i+1) to one lane, so its int32 sum of raw
 * codes is dotPairSaturated below; zero points are corrected afterwards from
 * row and column sums, exactly. A pair saturates only when both products are
 * large: |b| <= 64 (any a in 0..255) keeps every pair within int16, which is
 * why MLAS offers 7-bit weights (reduce_range). VNNI's vpdpbusd adds the four
 * products in int32 and does not saturate.
 */

const I16_MIN = -32768;
const I16_MAX = 32767;

/** One vpmaddubsw lane: sat16(a0 * b0 + a1 * b1), a in 0..255, b in -128..127. */
export function maddubsPair(a0: number, b0: number, a1: number, b1: number): number {
  const s = (a0 * b0 + a1 * b1) | 0; // | 0: an int, never -0
  return s < I16_MIN ? I16_MIN : s > I16_MAX ? I16_MAX : s;
}

function checkCodes(a: ArrayLike<number>, b: ArrayLike<number>, k: number): void {
  for (let i = 0; i < k; i++) {
    const x = a[i]!,
      w = b[i]!;
    if (!Number.isInteger(x) || x < 0 || x > 255) throw new UserError(`dotPairSaturated: a[${i}] = ${x} is not a uint8 code`);
    if (!Number.isInteger(w) || w < -128 || w > 127) throw new UserError(`dotPairSaturated: b[${i}] = ${w} is not an int8 code`);
  }
}

/**
 * sum_k a[k] * b[k] with products paired (0,1), (2,3), ... and each pair
 * saturated to int16 (an odd K pads its last pair with a zero product); the
 * int32 sum of the lanes wraps. a: uint8 codes, b: int8 codes, both of length K.
 */
export function dotPairSaturated(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const k = a.length;
  if (b.length !== k) throw new UserError(`dotPairSaturated: a has ${k} entries, b ${b.length}`);
  checkCodes(a, b, k);
  let acc = 0;
  let i = 0;
  for (; i + 1 < k; i += 2) acc = (acc + maddubsPair(a[i]!, b[i]!, a[i + 1]!, b[i + 1]!)) | 0;
  if (i < k) acc = (acc + maddubsPair(a[i]!, b[i]!, 0, 0)) | 0;
  return acc;
}

/**
 * True when a weight lies outside [-64, 63], the 7-bit range MLAS's
 * reduce_range keeps weights in: inside it no pair can leave int16 for any
 * uint8 activations (255 * 63 * 2 = 32130, 255 * -64 * 2 = -32640); outside
 * it a pair saturates for some activations when its partner has the same sign
 * and is large enough.
 */
export function pairSaturationPossible(weights: ArrayLike<number>): boolean {
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w < -64 || w > 63) return true;
  }
  return false;
}
