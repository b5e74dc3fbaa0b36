import { describe, expect, it } from 'vitest';
import { parseFormat } from '../../../src/fixedpoint/format.js';
import { formatRangeWarning, rangeWarnings } from '../../../src/sim/quantize/range-check.js';

describe('quantize warns when a format cannot represent its calibrated range', () => {
  it('saturation beyond one LSB plus 1 %, too few steps, and --bits under 2', () => {
    // fixed<8,0> holds [-0.5, 0.49609375] (LSB 2^-7): a range up to 3.3 saturates.
    expect(formatRangeWarning('h', parseFormat('fixed<8,0>'), -3.59, 3.3)).toMatch(/holds \[-0.5, 0.49609375\] .* saturate/);
    // ufixed<8,-4> tops at 255 * 2^-12 = 0.062255859375: 0.06246 is within the slack.
    expect(formatRangeWarning('a', parseFormat('ufixed<8,-4>'), 0, 0.06246)).toBeUndefined();
    // ufixed<1,1> has LSB 1: [0, 1] is 2 steps.
    expect(formatRangeWarning('a', parseFormat('ufixed<1,1>'), 0, 1)).toMatch(/only 2 steps of 1/);
    expect(formatRangeWarning('y', parseFormat('fixed<8,4>'), -7, 7)).toBeUndefined();
    const w = rangeWarnings(1, new Map([['a', parseFormat('ufixed<1,1>')]]), new Map([['a', { lo: 0, hi: 1 }]]));
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/--bits 1/);
  });
});
