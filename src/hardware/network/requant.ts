/**
 * Requantization units: the accumulator of a dense or conv layer narrowed to
 * the layer's output format, built from the netlist generators.
 *
 * pow2 (shift, round, saturate): the accumulator code at its format becomes the
 * output code with the output format's rounding and overflow — convertBits, the
 * same semantics as fixedpoint convert(). With per-channel accumulator formats
 * of different fraction bits, the code is first shifted left by F_max - F_c
 * (a barrel shifter; the amount is a per-channel parameter on port 'shift'),
 * exact, so that one rounder and saturator serve every channel.
 *
 * affine (multiplier and shift): the gemmlowp integer pipeline,
 *   y = clamp(zp + RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc, m), e), qmin, qmax)
 * with the multiplier m (int32, port 'm'), exponent e (0 .. W_acc - 1, port 'e')
 * and zero point (port 'zp', one bit wider than the output, signed) as
 * per-channel parameters, so one unit serves every layer and channel. SRDHM
 * rounds ties toward +inf (RND) and saturates; RoundingDivideByPOT rounds ties
 * away from zero. Real multipliers of 1 or more (a left shift before SRDHM) are
 * not built: requantization scales of deployed models are below 1. The float
 * schemes (tflite-float, onnxruntime) are costed with this integer unit.
 */
import { formatToString } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import {
  add,
  barrelShift,
  CircuitBuilder,
  constBits,
  convertBits,
  extend,
  increment,
  lessThan,
  multiply,
  prune,
  signExtend,
  shiftRightConst,
  VectorRng,
  type Tech,
} from '../../netlist/index.js';
import type { Bit, Netlist } from '../../netlist/ir.js';
import { costCircuit, type CircuitReport } from './circuit.js';
import { heldStream, STIMULUS_SEED, uniformStream } from './stimulus.js';

export interface Pow2RequantSpec {
  readonly kind: 'pow2';
  /** Accumulator format of every channel (one entry when all channels share it). */
  readonly acc: readonly FixedFormat[];
  readonly out: FixedFormat;
}

export interface AffineRequantSpec {
  readonly kind: 'affine';
  readonly accBits: number;
  /** int8, uint8 or int32 as a fixed-point format (no fraction bits). */
  readonly out: FixedFormat;
}

export type RequantSpec = Pow2RequantSpec | AffineRequantSpec;

const fracOf = (f: FixedFormat) => f.width - f.intBits;

/** Bits of an unsigned amount 0..n (widths of the 'shift' and 'e' ports). */
export function amountBits(n: number): number {
  return n <= 0 ? 0 : Math.floor(Math.log2(n)) + 1;
}

/** The common format every channel's code is aligned to: the largest fraction and integer bits. */
export function pow2AccUnion(acc: readonly FixedFormat[]): FixedFormat {
  const f = Math.max(...acc.map(fracOf));
  const i = Math.max(...acc.map((a) => a.intBits));
  return { signed: acc.some((a) => a.signed), width: i + f, intBits: i, rounding: 'TRN', overflow: 'WRAP' };
}

/**
 * pow2 unit: ports 'acc' (the widest channel's width; narrower codes
 * extended) and, when channels differ in fraction bits, 'shift'
 * (F_max - F_c, unsigned) -> 'y' (output format).
 */
export function buildPow2Requant(s: Pow2RequantSpec): Netlist {
  const b = new CircuitBuilder('requant_pow2');
  const u = pow2AccUnion(s.acc);
  const acc = b.input('acc', Math.max(...s.acc.map((a) => a.width)));
  const spread = Math.max(...s.acc.map(fracOf)) - Math.min(...s.acc.map(fracOf));
  let aligned = extend(acc, u.width, u.signed);
  if (spread > 0) aligned = barrelShift(b, aligned, b.input('shift', amountBits(spread)), 'left', false);
  b.output('y', convertBits(b, aligned, u, s.out).y);
  prune(b.net);
  return b.net;
}

/** gemmlowp RoundingDivideByPOT over W-bit x, exponent e unsigned: (x >> e) + (x & mask > (mask >> 1) + neg). */
function roundingDivideByPot(b: CircuitBuilder, x: readonly Bit[], e: readonly Bit[]): Bit[] {
  const w = x.length;
  const q = barrelShift(b, x, e, 'right', true);
  const mask = barrelShift(b, constBits(-1n, w), e, 'left', false).map((m) => b.not(m));
  const rem = x.map((xi, i) => b.and(xi, mask[i]!));
  const thr = increment(b, shiftRightConst(mask, 1, false), x[w - 1]!).sum;
  return increment(b, q, lessThan(b, thr, rem, false)).sum;
}

/** affine unit: ports 'acc', 'm' (32), 'e', 'zp' -> 'y' (rules in the file comment). */
export function buildAffineRequant(s: AffineRequantSpec): Netlist {
  const w = s.accBits;
  const b = new CircuitBuilder('requant_affine');
  const acc = b.input('acc', w);
  const m = b.input('m', 32);
  const e = b.input('e', amountBits(w - 1));
  const zp = b.input('zp', s.out.width + 1);
  const prod = multiply(b, acc, m, true, true);
  const hi = convertBits(
    b,
    prod,
    { signed: true, width: w + 32, intBits: w + 1, rounding: 'TRN', overflow: 'WRAP' },
    { signed: true, width: w, intBits: w, rounding: 'RND', overflow: 'SAT' },
  ).y;
  const scaled = roundingDivideByPot(b, hi, e);
  const ws = Math.max(w, s.out.width + 1) + 1;
  const sum = add(b, signExtend(scaled, ws), signExtend(zp, ws)).sum;
  const outFmt: FixedFormat = { ...s.out, intBits: s.out.width, rounding: 'TRN', overflow: 'SAT' };
  b.output('y', convertBits(b, sum, { signed: true, width: ws, intBits: ws, rounding: 'TRN', overflow: 'WRAP' }, outFmt).y);
  prune(b.net);
  return b.net;
}

export function buildRequant(s: RequantSpec): Netlist {
  return s.kind === 'pow2' ? buildPow2Requant(s) : buildAffineRequant(s);
}

/** Identity of a unit: layers with equal keys share the hardware. */
export function requantKey(s: RequantSpec): string {
  return s.kind === 'pow2'
    ? `requant pow2 ${s.acc.map(formatToString).join(' / ')} -> ${formatToString(s.out)}`
    : `requant affine int${s.accBits} -> ${formatToString(s.out)}`;
}

export interface RequantUnitReport {
  readonly kind: 'pow2' | 'affine';
  readonly key: string;
  readonly input: string;
  readonly output: string;
  /** Seed of the energy stimulus. */
  readonly seed: number;
  readonly circuit: CircuitReport;
}

/**
 * Builds and costs a requantization unit. Energy stimulus: uniformly random
 * accumulator patterns, per-channel parameters (shift, multiplier, exponent,
 * zero point) held at one random value (a layer's parameters change rarely).
 */
export function requantUnit(s: RequantSpec, tech: Tech, seed = STIMULUS_SEED): RequantUnitReport {
  const net = buildRequant(s);
  const stimulus = requantStimulus(net, seed);
  return {
    kind: s.kind,
    key: requantKey(s),
    input: s.kind === 'pow2' ? s.acc.map(formatToString).join(' / ') : `int${s.accBits}`,
    output: formatToString(s.out),
    seed,
    circuit: costCircuit(net, tech, stimulus, stimulus.acc!.length),
  };
}

/** The energy stimulus of a requantization unit (rules in requantUnit's comment), one array per input port. */
export function requantStimulus(net: Netlist, seed = STIMULUS_SEED): Record<string, Float64Array> {
  const rng = new VectorRng(seed);
  const stimulus: Record<string, Float64Array> = {};
  for (const p of net.inputs()) {
    stimulus[p.name] = p.name === 'acc' ? uniformStream(p.bits.length, rng) : heldStream(p.bits.length, rng);
  }
  return stimulus;
}
