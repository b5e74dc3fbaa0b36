/*
 * Exact rational arithmetic for the affine float reference. Scales are
 * float32 and codes integers, so every real value of the ONNX definitions
 * (dequantized values, their sums and products, ratios of scales) is a
 * rational number with a power-of-two denominator times float32 mantissas.
 * The reference rounds such values to integers exactly: a double estimate
 * decides when it is far from a rounding boundary, and bigint arithmetic
 * decides otherwise.
 */

/** n / d with d > 0. */
export interface Rat {
  n: bigint;
  d: bigint;
}

const VIEW = new DataView(new ArrayBuffer(8));

/** The exact value of a finite double. */
export function ratOf(x: number): Rat {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return { n: BigInt(x), d: 1n };
  VIEW.setFloat64(0, x);
  const hi = VIEW.getUint32(0);
  const lo = VIEW.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased !== 0) mant |= 1n << 52n;
  const exp = (biased === 0 ? 1 : biased) - 1075;
  if (hi >>> 31) mant = -mant;
  return exp >= 0 ? { n: mant << BigInt(exp), d: 1n } : { n: mant, d: 1n << BigInt(-exp) };
}

export function mul(a: Rat, b: Rat): Rat {
  return { n: a.n * b.n, d: a.d * b.d };
}

export function add(a: Rat, b: Rat): Rat {
  return { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
}

export function div(a: Rat, b: Rat): Rat {
  if (b.n === 0n) throw new RangeError('division by zero');
  return b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n };
}

/** The integer nearest to n/d, ties to even. */
export function rneRat(r: Rat): number {
  let q = r.n / r.d; // truncates toward zero
  let rem = r.n - q * r.d;
  if (rem < 0n) {
    q -= 1n;
    rem += r.d;
  } // floor
  const twice = 2n * rem;
  if (twice > r.d || (twice === r.d && (q & 1n) === 1n)) q += 1n;
  return Number(q);
}

/** The integer nearest to n/d, ties away from zero. */
export function rnaRat(r: Rat): number {
  const neg = r.n < 0n;
  const a = neg ? -r.n : r.n;
  const q = (2n * a + r.d) / (2n * r.d);
  return Number(neg ? -q : q);
}

/**
 * rne(t) of the exact value t, given a double estimate `approx` whose
 * relative error is below 2^-48 (a few roundings of double arithmetic): when
 * approx is farther than that error from a half-integer, rounding approx
 * gives the same integer; otherwise `exact()` decides.
 */
export function rneNear(approx: number, exact: () => Rat): number {
  const f = Math.floor(approx);
  const frac = approx - f;
  const margin = Math.abs(approx) * 2 ** -45 + 2 ** -60;
  if (Math.abs(frac - 0.5) > margin) return frac < 0.5 ? f : f + 1;
  return rneRat(exact());
}
