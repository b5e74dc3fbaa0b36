import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverflow } from '../../../../src/fixedpoint/overflow.js';
import { shiftRightRound } from '../../../../src/fixedpoint/rounding.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../../src/fixedpoint/types.js';
import { makeRequantizer, realMultiplier } from '../../../../src/fixedpoint/requant.js';
import { finish, fusedRange } from '../../../../src/sim/engine/affine/outstage.js';
import type { AffineParams, FusedActivation } from '../../../../src/sim/quantize/affine/types.js';
import { narrowParams, outputStageI32, requantParams } from '../../../../src/sim/engine/wasm/narrow.js';
import { edgyInt } from './arbitraries.js';

/*
 * narrow_i32_i16 (SIMD and scalar routes) == the fixed-point room's bigint
 * definition: shiftRightRound by the channel's shift with the format's
 * rounding, then applyOverflow (its overflow flag is the event), on every
 * rounding and overflow mode, widths 1..16, shifts from -40 to 45, and values
 * drawn at int32's ends, at exact ties (k * 2^s + 2^(s-1)) and next to them.
 */

const format = fc
  .record({
    signed: fc.boolean(),
    width: fc.integer({ min: 1, max: 16 }),
    intBits: fc.constant(0),
    rounding: fc.constantFrom(...ROUNDINGS),
    overflow: fc.constantFrom(...OVERFLOWS),
  })
  .map((f): FixedFormat => (f.signed ? f : { ...f, width: Math.min(f.width, 15) }));

const shift = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -40, max: 45 }), fc.constantFrom(31, 32, 33, -32, -31));

/** A value near a tie of shift s: k * 2^s + 2^(s-1) + d, clamped into int32. */
const nearTie = (s: number) =>
  fc.tuple(fc.integer({ min: -40000, max: 40000 }), fc.constantFrom(-1, 0, 0, 1)).map(([k, d]) => {
    const v = s > 0 && s < 31 ? k * 2 ** s + 2 ** (s - 1) + d : k + d;
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
  });

const stage = fc
  .record({
    to: format,
    rows: fc.integer({ min: 1, max: 4 }),
    cols: fc.integer({ min: 1, max: 21 }),
    perRow: fc.boolean(),
    uniform: fc.boolean(),
  })
  .chain((c) => {
    const channels = c.perRow ? c.rows : c.cols;
    return fc
      .record({
        c: fc.constant(c),
        shifts: c.uniform
          ? shift.map((s) => Array<number>(channels).fill(s))
          : fc.array(shift, { minLength: channels, maxLength: channels }),
      })
      .chain(({ c: cc, shifts }) =>
        fc.record({
          c: fc.constant(cc),
          shifts: fc.constant(shifts),
          values: fc.array(fc.oneof(edgyInt(-(2 ** 31), 2 ** 31 - 1), nearTie(shifts[0]!), fc.integer({ min: -300, max: 300 })), {
            minLength: cc.rows * cc.cols,
            maxLength: cc.rows * cc.cols,
          }),
        }),
      );
  });

describe('narrow_i32_i16 == shiftRightRound then applyOverflow (bigint)', () => {
  it('every rounding and overflow mode, per-row and per-column shifts', () => {
    fc.assert(
      fc.property(stage, ({ c, shifts, values }) => {
        let events = 0;
        const want = values.map((v, i) => {
          const m = c.perRow ? Math.floor(i / c.cols) : i % c.cols;
          const r = applyOverflow(shiftRightRound(BigInt(v), shifts[m]!, c.to.rounding), c.to);
          if (r.overflow) events++;
          return Number(r.code);
        });
        const got = outputStageI32(Int32Array.from(values), c.rows, c.cols, narrowParams({ shifts, to: c.to }, c.perRow));
        expect(Array.from(got.codes)).toEqual(want);
        expect(got.events).toBe(events);
      }),
      { numRuns: 1500 },
    );
  });
});

/*
 * requant_ort_i16 (SIMD and scalar routes) == the fixed-point room's
 * makeRequantizer('onnxruntime') (clamp widened to zp +- 2^24, as the engine
 * builds it) followed by the engine's JavaScript output stage `finish`
 * (saturation count outside [satLo, satHi], clamp to [lo, hi]). Multipliers
 * of 2^-k make exact ties (odd multiples of 2^(k-1)); others come from
 * random float32 scales.
 */
const requantCase = fc.record({
  rows: fc.integer({ min: 1, max: 3 }),
  cols: fc.integer({ min: 1, max: 19 }),
  perRow: fc.boolean(),
  type: fc.constantFrom('int8', 'uint8'),
  zp: fc.integer({ min: -128, max: 255 }),
  act: fc.constantFrom(undefined, 'relu', 'relu6'),
  scales: fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 20 }).map((k) => ({ sIn: 1, sW: 1, sOut: 2 ** k })),
      fc
        .tuple(
          fc.double({ min: 1e-4, max: 4, noNaN: true }),
          fc.double({ min: 1e-4, max: 4, noNaN: true }),
          fc.double({ min: 1e-3, max: 64, noNaN: true }),
        )
        .map(([sIn, sW, sOut]) => ({ sIn, sW, sOut })),
    ),
    { minLength: 19, maxLength: 19 },
  ),
  values: fc.array(
    fc.oneof(
      edgyInt(-(2 ** 31), 2 ** 31 - 1),
      fc.integer({ min: -5000, max: 5000 }),
      fc.integer({ min: -3, max: 3 }).map((k) => k * 2 ** 20 + 2 ** 19),
    ),
    { minLength: 57, maxLength: 57 },
  ),
});

describe('requant_ort_i16 == makeRequantizer(onnxruntime) then the output clamp', () => {
  it('per-row and per-column multipliers, ties, int32 ends, fused relu/relu6', () => {
    fc.assert(
      fc.property(requantCase, (c) => {
        const [qmin, qmax] = c.type === 'int8' ? [-128, 127] : [0, 255];
        const zp = Math.min(qmax, Math.max(qmin, c.zp));
        const p = { scale: 0.05, zeroPoint: zp, qmin, qmax, type: c.type } as AffineParams;
        const range = fusedRange(c.act as FusedActivation | undefined, p, 'onnxruntime');
        const channels = c.perRow ? c.rows : c.cols;
        const req = c.scales.slice(0, channels).map((s) => ({
          M: realMultiplier(
            { scaleIn: s.sIn, scaleW: s.sW, scaleOut: s.sOut, zeroPointOut: zp, qmin: zp - 2 ** 24, qmax: zp + 2 ** 24 },
            'onnxruntime',
          ),
          f: makeRequantizer(
            { scaleIn: s.sIn, scaleW: s.sW, scaleOut: s.sOut, zeroPointOut: zp, qmin: zp - 2 ** 24, qmax: zp + 2 ** 24 },
            'onnxruntime',
          ),
        }));
        const values = c.values.slice(0, c.rows * c.cols);
        const ev = { saturations: 0, wraps: 0 };
        const want = values.map((v, i) => finish(req[c.perRow ? Math.floor(i / c.cols) : i % c.cols]!.f(v), range, ev));
        const got = outputStageI32(
          Int32Array.from(values),
          c.rows,
          c.cols,
          requantParams({ multipliers: req.map((r) => r.M), zp, ...range }, c.perRow),
        );
        expect(Array.from(got.codes)).toEqual(want);
        expect(got.events).toBe(ev.saturations);
      }),
      { numRuns: 800 },
    );
  });
});
