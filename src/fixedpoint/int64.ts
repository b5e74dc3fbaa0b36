/*
 * Exact 64-bit products of two int32 values without bigint. The product is
 * split into 16-bit halves so that every partial product and sum stays far
 * below 2^53 (the largest, |aH*bL + aL*bH|, is below 2^32), and the result is
 * carried into two limbs: value = hi * 2^32 + lo with hi an int32 and
 * 0 <= lo < 2^32. The limbs live in module scratch variables, so callers in
 * hot loops allocate nothing.
 */

const TWO16 = 65536;
const TWO31 = 2147483648;
const TWO32 = 4294967296;

let hi = 0;
let lo = 0;

/** Sets (hi, lo) to the exact product a * b of two int32 values. */
function mul32(a: number, b: number): void {
  const aH = a >> 16;
  const aL = a & 0xffff;
  const bH = b >> 16;
  const bL = b & 0xffff;
  const mid = aH * bL + aL * bH; // |mid| < 2^32
  const midH = Math.floor(mid / TWO16);
  const low = (mid - midH * TWO16) * TWO16 + aL * bL; // 0 <= low < 2^33
  const carry = Math.floor(low / TWO32);
  lo = low - carry * TWO32;
  hi = aH * bH + midH + carry;
}

/** Adds c (|c| < 2^52) to (hi, lo), keeping 0 <= lo < 2^32. */
function addSmall(c: number): void {
  const s = lo + c;
  const carry = Math.floor(s / TWO32);
  lo = s - carry * TWO32;
  hi += carry;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b with
 * rounding, i.e. trunc((a*b + nudge) / 2^31) with nudge = 2^30 when a*b >= 0
 * and 1 - 2^30 otherwise. For a*b < 0 that truncation equals
 * floor((a*b + 2^30) / 2^31), so ties of a*b / 2^31 go toward +inf on both
 * sides (-2.5 -> -2, 2.5 -> 3), as ARM's SQRDMULH rounds. The only
 * overflowing input, a = b = INT32_MIN, saturates to INT32_MAX. a, b int32.
 */
export function srdhmUnchecked(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  mul32(a, b);
  addSmall(hi < 0 ? 1 - 2 ** 30 : 2 ** 30);
  // floor division of hi*2^32 + lo by 2^31, then toward zero for negatives
  const q = hi * 2 + (lo >= TWO31 ? 1 : 0);
  const exact = lo % TWO31 === 0;
  return hi < 0 && !exact ? q + 1 : q;
}

/**
 * TFLite's single-rounding MultiplyByQuantizedMultiplier core:
 * (int64(x) * m + 2^(t-1)) >> t with t = 31 - shift (arithmetic shift, so ties
 * go toward +inf), then static_cast<int32_t>, which keeps the low 32 bits
 * (two's complement) if the result does not fit. x, m int32; t in 1..62.
 */
export function singleRoundingMul(x: number, m: number, shift: number): number {
  const t = 31 - shift;
  mul32(x, m);
  if (t <= 32) addSmall(2 ** (t - 1));
  else hi += 2 ** (t - 33);
  if (t >= 32) return hi >> (t - 32);
  return (hi << (32 - t)) | (lo >>> t);
}
