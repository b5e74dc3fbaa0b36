import { convert, convertNumber } from '../fixedpoint/index.js';
import { convertBits } from '../netlist/index.js';
import type { ActivationCore } from './common.js';
import { sameRangeOutput } from './formats.js';

/**
 * HeLU and ReLU at inference: y = x > 0 ? x : 0, then converted to the output
 * format (its rounding and overflow; the identity when the formats match).
 * HeLU differs from ReLU only in its training gradient (float.ts).
 *
 * Circuit: in two's complement, y[i] = x[i] AND NOT x[W-1], one $_ANDNOT_ per
 * bit below the sign (W-1 cells, depth 1; the output sign bit is constant 0);
 * an unsigned input is passed through. The conversion follows the ReLU, so a
 * positive value that overflows the output format is never mistaken for a
 * negative one.
 */
export const reluCore: ActivationCore = {
  family: 'logic',
  defaultOutput: sameRangeOutput,
  model: (code, inFmt, outFmt) => convert(code > 0n ? code : 0n, inFmt, outFmt).code,
  build(b, x, inFmt, outFmt) {
    const sign = x[x.length - 1];
    const z = inFmt.signed ? x.map((xi) => b.andnot(xi, sign)) : x;
    return convertBits(b, z, inFmt, outFmt).y;
  },
  fastModel(inFmt, outFmt) {
    // Same signedness, width and LSB: the conversion is the identity in every mode.
    if (inFmt.signed === outFmt.signed && inFmt.width === outFmt.width && inFmt.intBits === outFmt.intBits)
      return (code) => (code > 0 ? code : 0);
    return (code) => convertNumber(code > 0 ? code : 0, inFmt, outFmt);
  },
};
