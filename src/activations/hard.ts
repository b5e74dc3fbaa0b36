import { bitLength, convert, divRound, fracBits } from '../fixedpoint/index.js';
import type { FixedFormat, Rounding } from '../fixedpoint/types.js';
import { add, constBits, convertBits, extend, muxBits } from '../netlist/index.js';
import type { CircuitBuilder } from '../netlist/builder.js';
import { ZERO, type Bit } from '../netlist/ir.js';
import type { ActivationCore } from './common.js';
import { ceilScaled, floorScaled } from './exact.js';
import { unitOutput } from './formats.js';
import { cheapestCompare, divideByThree } from './gadgets.js';

/*
 * HardSigmoid (PyTorch): y = relu6(x + 3) / 6, in logic, exact.
 *
 * With x = code * 2^-F, E = max(F, 0) and Fo the output's fraction bits:
 *   n = clamp(code * 2^(E-F) + 3 * 2^E, 0, 6 * 2^E)       (x + 3 clamped to [0, 6], in units of 2^-E)
 *   y * 2^Fo = n * 2^S / 3,  S = Fo - E - 1
 * and the output code is that exact rational rounded by the output's rounding
 * mode (y >= 0, so each mode is floor, or floor plus one past or at the half)
 * and then passed through its overflow mode. This equals quantizing the float64
 * function whenever E + Fo <= 49: the exact value is then either a double or
 * more than half an ulp away from every rounding threshold (proof in the notes
 * of hardsigmoidModel).
 */

/** Quotient format: codes at the output's fraction bits, unsigned; y <= 1 so the code is at most 2^max(Fo, 0). */
function quotientFormat(width: number, outFmt: FixedFormat): FixedFormat {
  return { signed: false, width, intBits: width - fracBits(outFmt), rounding: 'TRN', overflow: 'WRAP' };
}

/**
 * Exact model. Agreement with float64 for E + Fo <= 49: x + 3 is exact and the
 * division by 6 correctly rounded, so a dyadic result (3 | n) is exact; otherwise
 * the exact value n / (3 * 2^(E+1)) differs from every multiple of 2^-(Fo+1) by at
 * least 1 / (3 * 2^(E+Fo+2)) > 2^-53 >= half an ulp of a value <= 1.
 */
function hardsigmoidModel(code: bigint, inFmt: FixedFormat, outFmt: FixedFormat): bigint {
  const F = fracBits(inFmt),
    E = Math.max(F, 0),
    Fo = fracBits(outFmt);
  const top = 6n << BigInt(E);
  let n = (code << BigInt(E - F)) + (3n << BigInt(E));
  n = n < 0n ? 0n : n > top ? top : n;
  const S = Fo - E - 1;
  const Q = divRound(n << BigInt(Math.max(S, 0)), 3n << BigInt(Math.max(-S, 0)), outFmt.rounding);
  return convert(Q, quotientFormat(Math.max(Fo, 0) + 2, outFmt), outFmt).code;
}

/** The constant c of floor((2M + c) / 2d) that gives each rounding mode of M / d (M >= 0). */
function roundingOffset(mode: Rounding, d: bigint): bigint {
  switch (mode) {
    case 'TRN':
    case 'TRN_ZERO':
      return 0n;
    case 'RND':
    case 'RND_INF':
    case 'RND_CONV':
      return d;
    case 'RND_ZERO':
    case 'RND_MIN_INF':
      return d - 1n;
  }
}

/** n = clamp(code * 2^(E-F) + 3 * 2^E, 0, 6 * 2^E) on E + 3 bits (computed modulo 2^(E+3), exact inside (-3, 3)). */
function clampedNumerator(b: CircuitBuilder, x: Bit[], inFmt: FixedFormat): Bit[] {
  const F = fracBits(inFmt),
    E = Math.max(F, 0),
    L = E + 3;
  const scaled = extend([...new Array<Bit>(E - F).fill(ZERO), ...x], L, inFmt.signed);
  const n = add(b, scaled, constBits(3n << BigInt(E), L)).sum;
  // At x = -3 and x = 3 exactly the clamp changes nothing: strict and inclusive tests are interchangeable there.
  const lo = floorScaled(-3, F),
    hi = ceilScaled(3, F);
  const low = cheapestCompare(
    b,
    x,
    inFmt.signed,
    lo === ceilScaled(-3, F)
      ? [
          [lo, '<='],
          [lo, '<'],
        ]
      : [[lo, '<=']],
  );
  const high = cheapestCompare(
    b,
    x,
    inFmt.signed,
    hi === floorScaled(3, F)
      ? [
          [hi, '>='],
          [hi, '>'],
        ]
      : [[hi, '>=']],
  );
  return muxBits(b, muxBits(b, n, constBits(0n, L), low), constBits(6n << BigInt(E), L), high);
}

/**
 * Circuit: n as above; with S, d = 3 * 2^max(-S, 0) and M = n * 2^max(S, 0), the
 * rounded quotient is floor((2M + c) / 2d) = floor(floor((2M + c) / 2^(k+1)) / 3),
 * k = max(-S, 0): an adder for the constant, wiring, and a divide-by-3 ripple.
 * RND_CONV ties (2M + c a multiple of 2d) clear the quotient's LSB, which turns
 * an odd half-up result into the even neighbour below.
 */
function hardsigmoidBuild(b: CircuitBuilder, x: Bit[], inFmt: FixedFormat, outFmt: FixedFormat): Bit[] {
  const E = Math.max(fracBits(inFmt), 0),
    S = fracBits(outFmt) - E - 1;
  const k = Math.max(-S, 0),
    shiftM = Math.max(S, 0);
  const n = clampedNumerator(b, x, inFmt);
  const c = roundingOffset(outFmt.rounding, 3n << BigInt(k));
  const wA = Math.max(n.length + shiftM + 1, bitLength(c)) + 1;
  const twoM = extend([...new Array<Bit>(shiftM + 1).fill(ZERO), ...n], wA, false);
  const a = add(b, twoM, constBits(c, wA)).sum;
  const { q, r0, r1 } = divideByThree(b, a.slice(k + 1));
  if (outFmt.rounding === 'RND_CONV') {
    let tie = b.nor(r0, r1);
    for (let i = 0; i <= k; i++) tie = b.andnot(tie, a[i]);
    q[0] = b.andnot(q[0], tie);
  }
  return convertBits(b, q, quotientFormat(q.length, outFmt), outFmt).y;
}

/** HardSigmoid, logic; default output ufixed<W,1,RND_CONV,SAT>. */
export const hardsigmoidCore: ActivationCore = {
  family: 'logic',
  defaultOutput: unitOutput,
  model: hardsigmoidModel,
  build: hardsigmoidBuild,
};
