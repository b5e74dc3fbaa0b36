import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOverflow } from '../../../../src/fixedpoint/overflow.js';
import { shiftRightRound } from '../../../../src/fixedpoint/rounding.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../../src/fixedpoint/types.js';
import { narrowI32 } from '../../../../src/sim/engine/wasm/narrow.js';
import { edgyInt } from './arbitraries.js';

/*
 * narrow_i32_i16 (SIMD and scalar routes) == the fixed-point room's bigint
 * definition: shiftRightRound by the channel's shift with the format's
 * rounding, then applyOverflow (its overflow flag is the event), on every
 * rounding and overflow mode, widths 1..16, shifts from -40 to 45, and values
 * drawn at int32's ends, at exact ties (k * 2^s + 2^(s-1)) and next to them.
 */

const format = fc.record({
  signed: fc.boolean(), width: fc.integer({ min: 1, max: 16 }), intBits: fc.constant(0),
  rounding: fc.constantFrom(...ROUNDINGS), overflow: fc.constantFrom(...OVERFLOWS),
}).map((f): FixedFormat => (f.signed ? f : { ...f, width: Math.min(f.width, 15) }));

const shift = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: -40, max: 45 }), fc.constantFrom(31, 32, 33, -32, -31));

/** A value near a tie of shift s: k * 2^s + 2^(s-1) + d, clamped into int32. */
const nearTie = (s: number) => fc.tuple(fc.integer({ min: -40000, max: 40000 }), fc.constantFrom(-1, 0, 0, 1)).map(([k, d]) => {
  const v = s > 0 && s < 31 ? k * 2 ** s + 2 ** (s - 1) + d : k + d;
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
});

const stage = fc.record({ to: format, rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 21 }), perRow: fc.boolean(), uniform: fc.boolean() })
  .chain((c) => {
    const channels = c.perRow ? c.rows : c.cols;
    return fc.record({
      c: fc.constant(c),
      shifts: c.uniform ? shift.map((s) => Array<number>(channels).fill(s)) : fc.array(shift, { minLength: channels, maxLength: channels }),
    }).chain(({ c: cc, shifts }) => fc.record({
      c: fc.constant(cc), shifts: fc.constant(shifts),
      values: fc.array(fc.oneof(edgyInt(-(2 ** 31), 2 ** 31 - 1), nearTie(shifts[0]!), fc.integer({ min: -300, max: 300 })), { minLength: cc.rows * cc.cols, maxLength: cc.rows * cc.cols }),
    }));
  });

describe('narrow_i32_i16 == shiftRightRound then applyOverflow (bigint)', () => {
  it('every rounding and overflow mode, per-row and per-column shifts', () => {
    fc.assert(fc.property(stage, ({ c, shifts, values }) => {
      let events = 0;
      const want = values.map((v, i) => {
        const m = c.perRow ? Math.floor(i / c.cols) : i % c.cols;
        const r = applyOverflow(shiftRightRound(BigInt(v), shifts[m]!, c.to.rounding), c.to);
        if (r.overflow) events++;
        return Number(r.code);
      });
      const got = narrowI32(Int32Array.from(values), c.rows, c.cols, { shifts, to: c.to }, c.perRow);
      expect(Array.from(got.codes)).toEqual(want);
      expect(got.events).toBe(events);
    }), { numRuns: 1500 });
  });
});
