import { codeToBits, convert, convertNumber, fracBits, maxCode, minCode, quantize } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { convertBits } from '../netlist/index.js';
import type { CircuitBuilder } from '../netlist/builder.js';
import type { Bit } from '../netlist/ir.js';
import { memoByPair, type ActivationCore } from './common.js';
import { ceilScaled, floorScaled } from './exact.js';
import type { ClampSpec } from './float.js';
import { sameRangeOutput } from './formats.js';
import { cheapestCompare } from './gadgets.js';

/** The real bounds [lo, hi] of a clamp; lo > hi clamps everything to hi, as min(max(x, lo), hi) does. */
export function clampBounds(spec: ClampSpec): { lo: number; hi: number } {
  if (spec.kind === 'relu6') return { lo: 0, hi: 6 };
  return { lo: Math.min(spec.min, spec.max), hi: spec.max };
}

interface ClampPlan {
  /** x < lo  <=>  code < loT;  x > hi  <=>  code > hiT (exact thresholds, kept within [min - 1, max + 1]). */
  readonly loT: bigint;
  readonly hiT: bigint;
  /** Output codes of lo and hi: each bound quantized by the output format's rounding and overflow. */
  readonly qLo: bigint;
  readonly qHi: bigint;
  /** Whether lo (hi) is exactly a code of the input format. */
  readonly loOnGrid: boolean;
  readonly hiOnGrid: boolean;
}

/**
 * y = gt ? hi : lt ? lo : mid per bit, lo and hi constant patterns (lt and gt
 * never both true). Where lo and hi agree in a bit, one gate on (lt | gt) does it.
 */
function selectBits(b: CircuitBuilder, mid: Bit[], lo: bigint, lt: Bit, hi: bigint, gt: Bit): Bit[] {
  const out = b.or(lt, gt);
  return mid.map((m, i) => {
    const l = Number((lo >> BigInt(i)) & 1n),
      h = Number((hi >> BigInt(i)) & 1n);
    if (l === h) return l ? b.or(m, out) : b.andnot(m, out);
    return b.mux(b.mux(m, l, lt), h, gt);
  });
}

function plan(lo: number, hi: number, inFmt: FixedFormat, outFmt: FixedFormat): ClampPlan {
  const F = fracBits(inFmt),
    min = minCode(inFmt) - 1n,
    max = maxCode(inFmt) + 1n;
  const within = (t: bigint) => (t < min ? min : t > max ? max : t);
  const loT = ceilScaled(lo, F),
    hiT = floorScaled(hi, F);
  return {
    loT: within(loT),
    hiT: within(hiT),
    loOnGrid: loT === floorScaled(lo, F),
    hiOnGrid: hiT === ceilScaled(hi, F),
    qLo: quantize(lo, outFmt).code,
    qHi: quantize(hi, outFmt).code,
  };
}

/**
 * ReLU6 and clamp(lo, hi): y = min(max(x, lo), hi), quantized to the output
 * format. The comparisons are exact on the real input value (thresholds
 * ceil(lo * 2^F) and floor(hi * 2^F) on the code), and a clamped output is the
 * output format's quantization of the bound itself.
 *
 * Circuit: two constant comparators (inclusive or strict, whichever is
 * smaller, when the bound is on the input grid) selecting between the
 * converted x and the two constant outputs.
 */
export function clampCore(spec: ClampSpec): ActivationCore {
  const { lo, hi } = clampBounds(spec);
  const planFor = memoByPair((a, b) => plan(lo, hi, a, b));
  return {
    family: 'logic',
    defaultOutput: sameRangeOutput,
    model(code, inFmt, outFmt) {
      const p = planFor(inFmt, outFmt);
      if (code > p.hiT) return p.qHi;
      if (code < p.loT) return p.qLo;
      return convert(code, inFmt, outFmt).code;
    },
    build(b, x, inFmt, outFmt) {
      const p = planFor(inFmt, outFmt);
      // A bound on the input grid may be compared inclusively: the bound's own code converts to its quantization.
      const lt = cheapestCompare(
        b,
        x,
        inFmt.signed,
        p.loOnGrid
          ? [
              [p.loT, '<'],
              [p.loT, '<='],
            ]
          : [[p.loT, '<']],
      );
      const gt = cheapestCompare(
        b,
        x,
        inFmt.signed,
        p.hiOnGrid
          ? [
              [p.hiT, '>'],
              [p.hiT, '>='],
            ]
          : [[p.hiT, '>']],
      );
      return selectBits(b, convertBits(b, x, inFmt, outFmt).y, codeToBits(p.qLo, outFmt), lt, codeToBits(p.qHi, outFmt), gt);
    },
    fastModel(inFmt, outFmt) {
      const p = planFor(inFmt, outFmt);
      const loT = Number(p.loT),
        hiT = Number(p.hiT),
        qLo = Number(p.qLo),
        qHi = Number(p.qHi);
      return (code) => (code > hiT ? qHi : code < loT ? qLo : convertNumber(code, inFmt, outFmt));
    },
  };
}
