/** Which exact kernel a product-sum may use; 'none' keeps the caller's general path. */
export type ExactPath = 'i16' | 'wide' | 'none';

const I16 = [-32768, 32767] as const;
const I32 = [-2147483648, 2147483647] as const;

const within = (r: readonly [number, number], lim: readonly [number, number]) =>
  Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] >= lim[0] && r[1] <= lim[1];

/**
 * The fastest kernel whose result is exact for a product-sum whose operands
 * lie in `aRange` and `bRange` (inclusive integer ranges, e.g. a format's code
 * range after zero-point subtraction) and whose every output's true value is
 * bounded by `bound` in magnitude (the caller's exact worst case, bias
 * included): 'i16' (gemmI16/convI16) when both ranges fit int16 and
 * bound <= 2^31 - 1; 'wide' (gemmWide, Float64Array output) when both fit int32
 * and bound <= 2^53; otherwise 'none'.
 */
export function exactGemmPath(bound: number | bigint, aRange: readonly [number, number], bRange: readonly [number, number]): ExactPath {
  const b = BigInt(bound < 0 ? -bound : bound);
  if (within(aRange, I16) && within(bRange, I16) && b <= 2n ** 31n - 1n) return 'i16';
  if (within(aRange, I32) && within(bRange, I32) && b <= 2n ** 53n) return 'wide';
  return 'none';
}
