import { lazyRequire } from '../lazy.js';

/**
 * Elementwise functions of imported networks as activation units: the float
 * formulas of ONNX's one-operand ops (Neg, Abs, Sqrt, Exp, Log, Erf, Softplus,
 * Mish, ..., Cast's Trunc and Bool) and of the two-operand ops whose second
 * operand is a scalar constant c (Pow, Min, Max, Mod, the comparisons). The
 * float graph (models/ops/unary.ts) computes the same formulas; as integer
 * units they are table activations (table.ts): the unit's value at an input
 * code is the formula at the code's exact real value, through unitValue.
 */

const stdlibErf = lazyRequire<typeof import('@stdlib/math-base-special-erf')>('@stdlib/math-base-special-erf');
/** erf (@stdlib, accurate to 1 ulp), loaded on first use. */
export const erf = (x: number): number => stdlibErf()(x);

/** ONNX Round: to the nearest integer, halves to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): equal in exact arithmetic, no overflow for large x. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** One-operand functions, by activation name (ONNX op name in lower case; trunc and bool are Cast's). */
export const UNARY_FORMULAS = {
  neg: (x: number) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  sign: (x: number) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0),
  reciprocal: (x: number) => 1 / x,
  erf,
  softplus,
  mish: (x: number) => x * Math.tanh(softplus(x)),
  softsign: (x: number) => x / (1 + Math.abs(x)),
  trunc: Math.trunc,
  bool: (x: number) => (x !== 0 ? 1 : 0),
  not: (x: number) => (x === 0 ? 1 : 0),
  isnan: (x: number) => (Number.isNaN(x) ? 1 : 0),
} as const satisfies Record<string, (x: number) => number>;

export type UnaryKind = keyof typeof UNARY_FORMULAS;
export const UNARY_KINDS = Object.keys(UNARY_FORMULAS) as UnaryKind[];

/** x (op) c for a scalar constant c: Pow Math.pow, Min/Max (NaN if either is), Mod fmod (sign of x), comparisons 1 or 0. */
export const CONST_FORMULAS = {
  pow: (x: number, c: number) => Math.pow(x, c),
  min: (x: number, c: number) => (Number.isNaN(x) || Number.isNaN(c) ? NaN : Math.min(x, c)),
  max: (x: number, c: number) => (Number.isNaN(x) || Number.isNaN(c) ? NaN : Math.max(x, c)),
  mod: (x: number, c: number) => x % c,
  equal: (x: number, c: number) => (x === c ? 1 : 0),
  greater: (x: number, c: number) => (x > c ? 1 : 0),
  less: (x: number, c: number) => (x < c ? 1 : 0),
  greaterorequal: (x: number, c: number) => (x >= c ? 1 : 0),
  lessorequal: (x: number, c: number) => (x <= c ? 1 : 0),
} as const satisfies Record<string, (x: number, c: number) => number>;

export type ConstKind = keyof typeof CONST_FORMULAS;
export const CONST_KINDS = Object.keys(CONST_FORMULAS) as ConstKind[];

export type ElementwiseKind = UnaryKind | ConstKind;
export const ELEMENTWISE_KINDS: readonly ElementwiseKind[] = [...UNARY_KINDS, ...CONST_KINDS];

export function isUnaryKind(k: string): k is UnaryKind {
  return Object.hasOwn(UNARY_FORMULAS, k);
}
export function isConstKind(k: string): k is ConstKind {
  return Object.hasOwn(CONST_FORMULAS, k);
}
export function isElementwiseKind(k: string): k is ElementwiseKind {
  return isUnaryKind(k) || isConstKind(k);
}

/** Kinds whose value is 1 or 0 (their default output format is unsigned, [0, 2)). */
export const BOOLEAN_KINDS: ReadonlySet<string> = new Set([
  'bool',
  'not',
  'isnan',
  'equal',
  'greater',
  'less',
  'greaterorequal',
  'lessorequal',
]);

/** Largest magnitude an elementwise unit outputs: 2^24 (a larger value, or an infinity, saturates there). */
export const UNIT_BOUND = 2 ** 24;
/** Bits of the unit's largest magnitude: |value| <= 2^UNIT_BOUND_BITS. */
export const UNIT_BOUND_BITS = 24;

/**
 * The value an integer unit computes from a formula's value v: NaN (sqrt or
 * log of a negative, asin beyond 1, 0^-1 ...) is 0; v beyond +-2^24
 * (infinities of log 0 or 1/0, exp of large inputs) is +-2^24. Every other
 * value is v itself. A fixed-point format has no NaN or infinity, and the
 * bound keeps every table entry an exact code of 8- to 32-bit formats.
 */
export function unitValue(v: number): number {
  if (Number.isNaN(v)) return 0;
  return v > UNIT_BOUND ? UNIT_BOUND : v < -UNIT_BOUND ? -UNIT_BOUND : v;
}

/** The unit's function of an elementwise kind (c: the constant of a ConstKind). */
export function elementwiseFloat(kind: ElementwiseKind, c: number, x: number): number {
  return unitValue(isUnaryKind(kind) ? UNARY_FORMULAS[kind](x) : CONST_FORMULAS[kind](x, c));
}

/** A central difference of the unit's function (elementwise units are inference-only; this is informative). */
export function elementwiseGrad(kind: ElementwiseKind, c: number, x: number): number {
  const h = 2 ** -20 * Math.max(1, Math.abs(x));
  return (elementwiseFloat(kind, c, x + h) - elementwiseFloat(kind, c, x - h)) / (2 * h);
}
