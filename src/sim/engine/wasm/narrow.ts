import { maxCode } from '../../../fixedpoint/format.js';
import { lowestKept } from '../../../fixedpoint/overflow.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../fixedpoint/types.js';
import { alloc, i16View, i32View, release } from './heap.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';

/**
 * A narrowing output stage as data: channel m's exact int32 accumulator v
 * becomes the code of `to` of v / 2^shifts[m], rounded with to.rounding
 * (shifts[m] <= 0: v * 2^-shifts[m], exact), then to.overflow when outside
 * the kept range (one event). The fused kernels (narrow_i32_i16) need
 * `to`'s codes to fit int16.
 */
export interface NarrowStage {
  readonly shifts: readonly number[];
  readonly to: FixedFormat;
}

/** Whether every code of f fits an int16 (the fused kernels' output). */
export function fitsI16(f: FixedFormat): boolean {
  return f.signed ? f.width <= 16 : f.width <= 15;
}

/**
 * onnxruntime's requantization as data (MLAS MlasRequantizeOutput, as the
 * fixed-point room's makeRequantizer('onnxruntime') defines it): channel m's
 * int32 accumulator acc becomes y = zp + rne(clamp(float32(float32(acc) *
 * multipliers[m]), -2^24, 2^24)); y outside [satLo, satHi] is one saturation;
 * the code is y clamped to [lo, hi]. Multipliers are float32 values.
 */
export interface RequantStage {
  readonly multipliers: readonly number[];
  readonly zp: number;
  readonly lo: number;
  readonly hi: number;
  readonly satLo: number;
  readonly satHi: number;
}

/**
 * A fused output stage's parameter block, resident in kernel memory: eight
 * int32, the last 0 for a narrowing (rounding, overflow, lo, hi, width,
 * signed, layout) or 1 for a requantization (zp, lo, hi, satLo, satHi, 0,
 * layout), and one shift (int32) or multiplier (float32) per channel.
 */
export interface NarrowParams {
  readonly q: Int32Array;
  readonly shifts: Int32Array | Float32Array;
}

const I32_MIN = -(2 ** 31),
  I32_MAX = 2 ** 31 - 1;

/** perRow: channel = row (conv), else channel = column (dense). */
export function requantParams(st: RequantStage, perRow: boolean): NarrowParams {
  const ms = Float32Array.from(st.multipliers);
  if (!ms.every((m, i) => m === st.multipliers[i])) throw new RangeError('requantParams: multipliers must be float32 values');
  const clamp = (v: number) => Math.min(I32_MAX, Math.max(I32_MIN, v));
  for (const v of [st.zp, st.lo, st.hi])
    if (!Number.isInteger(v) || Math.abs(v) > 32767) throw new RangeError(`requantParams: ${v} is not an int16`);
  return { q: Int32Array.of(st.zp, st.lo, st.hi, clamp(st.satLo), clamp(st.satHi), 0, perRow ? 1 : 0, 1), shifts: ms };
}

/** perRow: channel = row (conv), else channel = column (dense). */
export function narrowParams(st: NarrowStage, perRow: boolean): NarrowParams {
  if (!fitsI16(st.to)) throw new RangeError(`narrowParams: codes of width ${st.to.width} do not fit int16`);
  const shifts = Int32Array.from(st.shifts);
  if (!st.shifts.every((s) => Number.isInteger(s) && Math.abs(s) < 2 ** 31))
    throw new RangeError('narrowParams: shifts must be int32 integers');
  const uniform = shifts.every((s) => s === shifts[0]);
  const f = st.to;
  const q = Int32Array.of(
    ROUNDINGS.indexOf(f.rounding),
    OVERFLOWS.indexOf(f.overflow),
    Number(lowestKept(f)),
    Number(maxCode(f)),
    f.width,
    f.signed ? 1 : 0,
    (perRow ? 1 : 0) | (uniform ? 2 : 0),
    0,
  );
  return { q, shifts };
}

/** The parameter block's and shifts' offsets in this thread's kernel memory. */
export function paramsAt(p: NarrowParams): { q: number; shifts: number } {
  return { q: residentAt(p.q), shifts: residentAt(p.shifts) };
}

/**
 * rows x cols int32 accumulators (row-major) through an output stage
 * (narrowParams or requantParams): the int16 codes and the number of events.
 */
export function outputStageI32(src: Int32Array, rows: number, cols: number, p: NarrowParams): { codes: Int16Array; events: number } {
  if (src.length !== rows * cols) throw new RangeError(`outputStageI32: ${src.length} values, expected ${rows}*${cols}`);
  const at = paramsAt(p);
  const n = rows * cols,
    dOff = Math.ceil((n * 4) / 16) * 16;
  const blk = alloc(dOff + n * 2, false);
  i32View(blk.at, n).set(src);
  const q = p.q,
    k = kernels();
  const events =
    q[7] === 1
      ? k.requant_ort_i16(blk.at, cols, blk.at + dOff, cols, rows, cols, at.shifts, q[6]! & 1, q[0]!, q[1]!, q[2]!, q[3]!, q[4]!)
      : k.narrow_i32_i16(blk.at, cols, blk.at + dOff, cols, rows, cols, at.shifts, q[6]!, q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!);
  const codes = i16View(blk.at + dOff, n).slice();
  release(blk);
  return { codes, events };
}
