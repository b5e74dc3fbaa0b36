import { UserError } from '../../errors.js';
import { formatToString, fracBits, maxCode, minCode } from '../../fixedpoint/format.js';
import { quantizeNumber } from '../../fixedpoint/number.js';
import { roundDouble } from '../../fixedpoint/rounding.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { AFFINE_RANGE } from './affine/types.js';
import type { FData } from './float-data.js';
import type { FLayer } from './float-net.js';
import type { AffineQuant, IntLayer } from './model.js';
import { pow2Quant } from './quant.js';

/*
 * Quantization of the data layers (float-data.ts -> model-data.ts).
 * Gather, pad, reduce max/min keep the input's quantization (codes move or
 * are selected); reduce mean keeps it too (pow2, as average pools; a
 * per-layer 'out' overrides) or takes its calibrated range (affine); reduce
 * sum takes its calibrated range (the sum leaves the input's range). A
 * constant operand of a concat is quantized straight into the concat's
 * output quantization (so the concat moves its codes unchanged), any other
 * constant into its own calibrated range. A pad value must be exactly
 * representable (on the grid and in range), else one line naming the node.
 */

const base = (l: FData) => ({
  name: l.name,
  inputs: l.inputs,
  output: l.output,
  shape: l.shape,
  ...(l.folded.length ? { folded: l.folded } : {}),
});

/** The concat that reads a constant's tensor, if that is what consumes it. */
function concatConsumer(l: FData, layers: readonly FLayer[]): FLayer | undefined {
  const users = layers.filter((u) => u.inputs.includes(l.output));
  return users.length === 1 && users[0]!.op === 'concat' ? users[0] : undefined;
}

function padCode(l: FData & { op: 'pad' }, code: number, lo: number, hi: number, where: string): number {
  if (!Number.isInteger(code) || code < lo || code > hi)
    throw new UserError(
      `node '${l.name}': Pad value ${l.value} is not exactly representable in the input's quantization ${where} (the integer simulator pads with codes of the input tensor)`,
    );
  return code;
}

export interface Pow2DataChoice {
  /** Format of the layer's input (undefined for a constant). */
  inF: FixedFormat | undefined;
  /** Output format of a requantizing layer (per-layer 'out' > --acts > calibrated range). */
  requant(l: FLayer): FixedFormat;
  /** The per-layer 'out' of this layer, when configured. */
  out?: FixedFormat;
  layers: readonly FLayer[];
}

export function dataToPow2(l: FData, c: Pow2DataChoice): IntLayer {
  const keep = (f: FixedFormat) => ({ ...base(l), out: pow2Quant(f) });
  switch (l.op) {
    case 'gather':
      return { op: 'gather', ...keep(c.inF!), axis: l.axis, indices: l.indices };
    case 'pad': {
      const f = c.inF!;
      const code = padCode(l, l.value * 2 ** fracBits(f), Number(minCode(f)), Number(maxCode(f)), formatToString(f));
      return { op: 'pad', ...keep(f), pads: l.pads, value: code };
    }
    case 'reduce': {
      const out = l.fn === 'sum' ? c.requant(l) : l.fn === 'mean' ? (c.out ?? c.inF!) : c.inF!;
      return { op: 'reduce', ...keep(out), fn: l.fn, axes: l.axes, keepdims: l.keepdims };
    }
    case 'constant': {
      const user = concatConsumer(l, c.layers);
      const f = c.requant(user ?? l);
      return { op: 'constant', ...keep(f), codes: Array.from(l.values, (v) => quantizeNumber(v, f)) };
    }
  }
}

/** The affine quant of a tensor from its calibrated range. */
export type RangeQuant = (tensor: string) => AffineQuant;

export function dataToAffine(l: FData, inQ: AffineQuant | undefined, rangeQuant: RangeQuant, layers: readonly FLayer[]): IntLayer {
  switch (l.op) {
    case 'gather':
      return { op: 'gather', ...base(l), out: inQ!, axis: l.axis, indices: l.indices };
    case 'pad': {
      const [lo, hi] = AFFINE_RANGE[inQ!.type];
      const code = padCode(
        l,
        inQ!.zeroPoint[0]! + l.value / inQ!.scale[0]!,
        lo,
        hi,
        `${inQ!.type} scale ${inQ!.scale[0]} zero point ${inQ!.zeroPoint[0]}`,
      );
      return { op: 'pad', ...base(l), out: inQ!, pads: l.pads, value: code };
    }
    case 'reduce': {
      const out = l.fn === 'sum' || l.fn === 'mean' ? rangeQuant(l.output) : inQ!;
      return { op: 'reduce', ...base(l), out, fn: l.fn, axes: l.axes, keepdims: l.keepdims };
    }
    case 'constant': {
      const q = rangeQuant((concatConsumer(l, layers) ?? l).output);
      const [lo, hi] = AFFINE_RANGE[q.type];
      // QuantizeLinear: round half to even of float32(v / scale), plus the zero point, saturated
      const code = (v: number) => Math.min(hi, Math.max(lo, roundDouble(Math.fround(v / q.scale[0]!), 'RND_CONV') + q.zeroPoint[0]!));
      return { op: 'constant', ...base(l), out: q, codes: Array.from(l.values, code) };
    }
  }
}
