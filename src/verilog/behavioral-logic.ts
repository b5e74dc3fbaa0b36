import { clampBounds, quantizeSlope, type AlphaSpec, type ClampSpec } from '../activations/index.js';
import { codeToBits, decomposeDouble, formatToString, fracBits, maxCode, minCode, quantize, shiftRightRound } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { convertRtl, signedInput, type RtlBody, type RtlValue } from './rtl-convert.js';
import { range, resize, sconst, signedBits, uconst } from './rtl.js';

/**
 * Readable RTL bodies of the logic activations, written from their
 * fixed-point definitions (src/activations: relu.ts, leaky.ts, clamp.ts,
 * hard.ts) and not from the gate netlists: the two forms are independent
 * implementations, checked against each other by Yosys and against the
 * functional model by the testbench.
 */

/** x restricted to its non-negative codes. */
function nonNegative(v: RtlValue): RtlValue {
  return { ...v, min: 0n };
}

/** HeLU / ReLU: y = convert(max(x, 0)); for a signed x the sign bit selects 0. */
export function reluRtl(inFmt: FixedFormat, outFmt: FixedFormat): RtlBody {
  const { items, value } = signedInput(inFmt);
  const pos = convertRtl('pos', `x (x >= 0, ${formatToString(inFmt)})`, nonNegative(value), outFmt);
  items.push(...pos.items);
  const result = inFmt.signed ? `x[${inFmt.width - 1}] ? ${uconst(0n, outFmt.width)} : ${pos.result}` : pos.result;
  return { items, result, comment: ['y = x > 0 ? x : 0, converted to the output format'] };
}

/**
 * LeakyReLU: y = x >= 0 ? convert(x) : convert(x * m * 2^-s), the slope
 * quantized to m * 2^-s (16 significant bits, as the functional model).
 */
export function leakyRtl(spec: AlphaSpec, inFmt: FixedFormat, outFmt: FixedFormat): RtlBody {
  if (!inFmt.signed) return { ...reluRtl(inFmt, outFmt), comment: ['unsigned input: y = x, converted to the output format'] };
  const { m, s } = quantizeSlope(spec.alpha);
  const { items, value } = signedInput(inFmt);
  const pos = convertRtl('pos', 'x (x >= 0)', nonNegative(value), outFmt);
  items.push(...pos.items);
  const negative: RtlValue = { ...value, max: -1n };
  let neg = uconst(0n, outFmt.width);
  if (m === 1n) {
    const r = convertRtl('neg', `x * 2^-${s} (x < 0)`, { ...negative, frac: value.frac + s }, outFmt);
    items.push(...r.items);
    neg = r.result;
  } else if (m !== 0n) {
    const pMin = value.min * m,
      pMax = -m;
    const pw = signedBits(pMin, m);
    items.push(`  // prod = x * ${m}, read with ${s} more fraction bits: x * alpha exactly`);
    items.push(`  wire signed ${range(pw)} prod = ${resize('xs', value.width, true, pw)} * ${sconst(m, pw)};`);
    const prod: RtlValue = { name: 'prod', width: pw, signed: true, frac: value.frac + s, min: pMin, max: pMax };
    const r = convertRtl('neg', `x * ${m} * 2^-${s} (x < 0)`, prod, outFmt);
    items.push(...r.items);
    neg = r.result;
  }
  return {
    items,
    result: `x[${inFmt.width - 1}] ? ${neg} : ${pos.result}`,
    comment: [`y = x >= 0 ? x : alpha * x, alpha = ${m} * 2^-${s} (${spec.alpha} kept to 16 significant bits)`],
  };
}

/** floor(v * 2^f) and ceil(v * 2^f) of a double, exactly. */
function floorScaled(v: number, f: number): bigint {
  if (v === 0) return 0n;
  const { mant, exp } = decomposeDouble(v);
  return shiftRightRound(mant, -(exp + f), 'TRN');
}
const ceilScaled = (v: number, f: number): bigint => -floorScaled(-v, f);

/** `x <op> c` as a signed or unsigned comparison of W-bit values. */
function compare(inFmt: FixedFormat, op: '<' | '>', c: bigint): string {
  return inFmt.signed ? `xs ${op} ${sconst(c, inFmt.width)}` : `x ${op} ${inFmt.width}'d${c}`;
}

/**
 * ReLU6 / clamp(lo, hi): y = x > hi ? q(hi) : x < lo ? q(lo) : convert(x),
 * comparisons exact on x's real value (x > hi <=> code > floor(hi * 2^F),
 * x < lo <=> code < ceil(lo * 2^F)), q() the output format's quantization.
 */
export function clampRtl(spec: ClampSpec, inFmt: FixedFormat, outFmt: FixedFormat): RtlBody {
  const { lo, hi } = clampBounds(spec);
  const F = fracBits(inFmt),
    min = minCode(inFmt),
    max = maxCode(inFmt);
  const loT = ceilScaled(lo, F),
    hiT = floorScaled(hi, F);
  const qLo = uconst(codeToBits(quantize(lo, outFmt).code, outFmt), outFmt.width);
  const qHi = uconst(codeToBits(quantize(hi, outFmt).code, outFmt), outFmt.width);
  const items = inFmt.signed ? [`  wire signed ${range(inFmt.width)} xs = x;`] : [];
  const comment = [`y = min(max(x, ${lo}), ${hi}), converted to the output format`];
  if (hiT < min) return { items: [], result: qHi, comment, constant: true };
  const above = hiT >= max ? undefined : 'above';
  if (above) items.push(`  wire above = ${compare(inFmt, '>', hiT)};`);
  const midMin = loT > min ? loT : min,
    midMax = hiT < max ? hiT : max;
  let rest: string;
  if (midMin > midMax) {
    rest = qLo; // every x not above hi is below lo
  } else {
    const src: RtlValue = inFmt.signed
      ? { name: 'xs', width: inFmt.width, signed: true, frac: F, min: midMin, max: midMax }
      : { name: 'x', width: inFmt.width, signed: false, frac: F, min: midMin, max: midMax };
    const mid = convertRtl('mid', `x (${lo} <= x <= ${hi})`, src, outFmt);
    items.push(...mid.items);
    rest = mid.result;
    if (loT > min) {
      items.push(`  wire below = ${compare(inFmt, '<', loT)};`);
      rest = `below ? ${qLo} : ${rest}`;
    }
  }
  const result = above ? `above ? ${qHi} : ${rest}` : rest;
  if (result === qLo) return { items: [], result, comment, constant: true };
  return { items, result, comment };
}
