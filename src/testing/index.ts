/*
 * helu-sim/testing: fast-check arbitraries for users' property tests
 * (formats, codes, reals; layers and whole pow2 and affine networks; inputs
 * for a model) and the bit-exactness assertion (engine against the float
 * reference, first mismatching layer/sample/index).
 */
import fc from 'fast-check';
import {
  OVERFLOWS,
  ROUNDINGS,
  bigToDouble,
  compareDoubleToCode,
  fracBits,
  maxCode,
  minCode,
  nextDown,
  nextUp,
  toReal,
  type FixedFormat,
  type Overflow,
  type Rounding,
} from '../fixedpoint/index.js';

export interface ArbFormatOptions {
  /** Width range, default 1..64. */
  minWidth?: number;
  maxWidth?: number;
  /** Integer-bit range, default -8..72 (so F = W - I is sometimes negative or above W). */
  minIntBits?: number;
  maxIntBits?: number;
  /** Only signed (true) or only unsigned (false) formats; default both. */
  signed?: boolean;
  /** Modes to draw from; default all. */
  roundings?: readonly Rounding[];
  overflows?: readonly Overflow[];
}

/** Fixed-point formats with the given bounds (all rounding and overflow modes by default). */
export function arbFormat(opts: ArbFormatOptions = {}): fc.Arbitrary<FixedFormat> {
  return fc.record({
    signed: opts.signed === undefined ? fc.boolean() : fc.constant(opts.signed),
    width: fc.integer({ min: opts.minWidth ?? 1, max: opts.maxWidth ?? 64 }),
    intBits: fc.integer({ min: opts.minIntBits ?? -8, max: opts.maxIntBits ?? 72 }),
    rounding: fc.constantFrom(...(opts.roundings ?? ROUNDINGS)),
    overflow: fc.constantFrom(...(opts.overflows ?? OVERFLOWS)),
  });
}

/** Codes of f: integers in [minCode(f), maxCode(f)], ends included. */
export function arbCode(f: FixedFormat): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: minCode(f), max: maxCode(f) });
}

/**
 * Doubles whose exact values lie in f's real range [min * 2^-F, max * 2^-F]
 * (the ends are pulled inward to the nearest double inside when they are not
 * doubles themselves).
 */
export function arbRealInRange(f: FixedFormat): fc.Arbitrary<number> {
  let lo = toReal(minCode(f), f);
  let hi = toReal(maxCode(f), f);
  if (compareDoubleToCode(lo, minCode(f), f) < 0) lo = nextUp(lo);
  if (compareDoubleToCode(hi, maxCode(f), f) > 0) hi = nextDown(hi);
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/**
 * Reals on the grid of a quarter LSB, from a little below f's range to a
 * little above it: exact codes, ties (half an LSB) and values just off them,
 * and values that overflow. Exact doubles when W <= 50; grid points beyond
 * the double range become ±Number.MAX_VALUE.
 */
export function arbGridReal(f: FixedFormat): fc.Arbitrary<number> {
  const span = maxCode(f) - minCode(f) + 1n;
  const lo = (minCode(f) - span / 4n - 2n) * 4n;
  const hi = (maxCode(f) + span / 4n + 2n) * 4n;
  return fc.bigInt({ min: lo, max: hi }).map((q) => {
    const x = bigToDouble(q, -fracBits(f) - 2);
    return Number.isFinite(x) ? x : Math.sign(x) * Number.MAX_VALUE;
  });
}

export {
  arbSmallFormat,
  arbLayerPlan,
  LAYER_KINDS,
  NETWORK_ACTIVATIONS,
  type LayerPlan,
  type LayerKind,
  type PlanOptions,
  type FormatBounds,
} from './layer-plan.js';
export { arbPow2Model, pow2ModelOf, type ArbNetworkOptions } from './pow2-network.js';
export { arbAffineModel, AFFINE_KINDS, type AffineKind, type ArbAffineOptions } from './affine-network.js';
export { arbInputs, withInputs, type ModelInputs, type ArbInputsOptions } from './inputs.js';
export {
  expectBitExact,
  bitExactMismatch,
  firstMismatch,
  describeMismatch,
  type BitExactMismatch,
  type BitExactOptions,
  type RunValues,
} from './bit-exact.js';
