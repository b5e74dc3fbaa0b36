import { divRound } from './rounding.js';

const VIEW = new DataView(new ArrayBuffer(8));
const TWO_POW_32 = 4294967296;

/**
 * The exact value of a finite double as mant * 2^exp with mant an integer
 * (|mant| < 2^53; sign carried by mant; 0 gives mant 0). Read from the IEEE
 * bits, so subnormals are exact too.
 */
export function decomposeDouble(x: number): { mant: bigint; exp: number } {
  VIEW.setFloat64(0, x);
  const hi = VIEW.getUint32(0);
  const lo = VIEW.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  if (biased === 0x7ff) throw new RangeError(`decomposeDouble: ${x} is not finite`);
  const frac = (hi & 0xfffff) * TWO_POW_32 + lo; // < 2^52, exact
  const mantAbs = biased === 0 ? frac : frac + 2 ** 52;
  const exp = biased === 0 ? -1074 : biased - 1075;
  const mant = BigInt(mantAbs);
  return { mant: hi >>> 31 ? -mant : mant, exp };
}

/** Number of bits of |n| (0 for 0). */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n < 9007199254740992n) {
    const x = Number(n);
    return x < TWO_POW_32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / TWO_POW_32));
  }
  return n.toString(2).length;
}

const POW2_UP = 2 ** 1000;
const POW2_DOWN = 2 ** -1000;

/**
 * x * 2^k, exact whenever the true result is a double (no step underflows
 * early: scaling down goes in steps that stay above the final value).
 */
export function scalePow2(x: number, k: number): number {
  while (k > 1000) {
    x *= POW2_UP;
    k -= 1000;
  }
  while (k < -1000) {
    x *= POW2_DOWN;
    k += 1000;
  }
  return x * 2 ** k;
}

/**
 * The double nearest to num/den (ties to even, as IEEE conversion rounds),
 * ±Infinity beyond the largest double, 0 (never -0) at or below half the
 * smallest subnormal. One rounding of the exact rational: no double rounding.
 */
export function rationalToDouble(num: bigint, den: bigint): number {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num === 0n) return 0;
  const neg = num < 0n;
  const a = neg ? -num : num;
  // E with 2^E <= a/den < 2^(E+1)
  let e = bitLength(a) - bitLength(den);
  if (e >= 0 ? a < den << BigInt(e) : a << BigInt(-e) < den) e -= 1;
  if (e > 1023) return neg ? -Infinity : Infinity;
  const qe = Math.max(e - 52, -1074); // exponent of the result's last place
  const m = qe >= 0 ? divRound(a, den << BigInt(qe), 'RND_CONV') : divRound(a << BigInt(-qe), den, 'RND_CONV');
  const r = scalePow2(Number(m), qe); // m <= 2^53: exact; overflow to Infinity is the correct rounding
  return neg && r !== 0 ? -r : r;
}

/** The double nearest to n * 2^e (ties to even). */
export function bigToDouble(n: bigint, e: number): number {
  if (n > -9007199254740992n && n < 9007199254740992n && e >= -960 && e <= 960) {
    return Number(n) * 2 ** e; // exact: |n| < 2^53 and the result stays normal and finite
  }
  return e >= 0 ? rationalToDouble(n << BigInt(e), 1n) : rationalToDouble(n, 1n << BigInt(-e));
}

/** The next double above x (toward +Infinity); x finite. */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  VIEW.setFloat64(0, x);
  const bits = VIEW.getBigUint64(0);
  VIEW.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return VIEW.getFloat64(0);
}

/** The next double below x (toward -Infinity); x finite. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}
