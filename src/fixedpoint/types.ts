/**
 * Rounding (quantization) modes of the ap_fixed convention, applied when bits
 * below the LSB are dropped (docs/fixed-point.md).
 * TRN floor; TRN_ZERO toward zero; RND half toward +inf; RND_ZERO half toward
 * zero; RND_MIN_INF half toward -inf; RND_INF half away from zero; RND_CONV half to even.
 */
export type Rounding = 'TRN' | 'TRN_ZERO' | 'RND' | 'RND_ZERO' | 'RND_MIN_INF' | 'RND_INF' | 'RND_CONV';
export const ROUNDINGS: readonly Rounding[] = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV'];

/**
 * Overflow modes: WRAP two's-complement modulo 2^W; SAT clamp to [min, max];
 * SAT_ZERO an overflowing value becomes 0; SAT_SYM (signed) clamp to [-max, max].
 */
export type Overflow = 'WRAP' | 'SAT' | 'SAT_ZERO' | 'SAT_SYM';
export const OVERFLOWS: readonly Overflow[] = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'];

/**
 * fixed<W,I,Q,O> (signed) or ufixed<W,I,Q,O>: W total bits (1..64), I integer
 * bits including the sign bit (any integer; may be negative or exceed W),
 * F = W - I fraction bits. A code c represents the real c * 2^-F.
 */
export interface FixedFormat {
  readonly signed: boolean;
  readonly width: number;
  readonly intBits: number;
  readonly rounding: Rounding;
  readonly overflow: Overflow;
}
