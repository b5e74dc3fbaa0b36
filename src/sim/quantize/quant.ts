import { UserError } from '../../errors.js';
import { formatToString, parseFormat } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { fieldError } from './fields.js';
import type { Pow2Quant, TensorQuant, WeightQuant } from './model.js';

/**
 * Widest pow2 format the simulator accepts (tensors, weights, accumulators):
 * every code is then a safe integer, and the float reference — which computes
 * on code * 2^-F in float64 — is exact.
 */
export const MAX_SIM_WIDTH = 53;

/** Parses a format text of the model file, naming the field when it is malformed or too wide. */
export function parseModelFormat(text: unknown, path: string): FixedFormat {
  if (typeof text !== 'string') fieldError(path, 'must be a format string such as fixed<8,3,RND_CONV,SAT>');
  let f: FixedFormat;
  try {
    f = parseFormat(text);
  } catch (e) {
    if (e instanceof UserError) fieldError(path, e.message);
    throw e;
  }
  if (f.width > MAX_SIM_WIDTH) fieldError(path, `is ${f.width} bits wide; the simulator takes at most ${MAX_SIM_WIDTH}`);
  return f;
}

/** The format of a pow2 tensor quant (UserError naming the field for any other kind). */
export function pow2Format(q: TensorQuant | WeightQuant, path: string, parse: FormatParser = parseModelFormat): FixedFormat {
  if (q.kind !== 'pow2') fieldError(`${path}.kind`, `must be 'pow2' in a pow2 model, got '${q.kind}'`);
  return parse(q.format, `${path}.format`);
}

/** One format per channel: a per-tensor pow2 quant repeats its format. */
export function channelFormats(
  q: WeightQuant | { kind: 'pow2'; formats: string[] },
  channels: number,
  path: string,
  parse: FormatParser = parseModelFormat,
): FixedFormat[] {
  if (q.kind === 'pow2' && 'format' in q) return new Array<FixedFormat>(channels).fill(pow2Format(q, path, parse));
  if (q.kind === 'pow2-channel' || (q.kind === 'pow2' && 'formats' in q)) {
    const fs = q.formats;
    if (!Array.isArray(fs) || (fs.length !== channels && !(q.kind === 'pow2' && fs.length === 1))) {
      fieldError(`${path}.formats`, `must list ${channels} formats (one per output channel)`);
    }
    const parsed = fs.map((t, i) => parse(t, `${path}.formats[${i}]`));
    return parsed.length === channels ? parsed : new Array<FixedFormat>(channels).fill(parsed[0]!);
  }
  fieldError(`${path}.kind`, `must be 'pow2' or 'pow2-channel' in a pow2 model, got '${q.kind}'`);
}

/** Parses a model format text at a field path (parseModelFormat, or a FormatTable's memoized parse). */
export type FormatParser = (text: unknown, path: string) => FixedFormat;

/**
 * The formats of one pow2 model, each distinct text parsed once: a compiled
 * model keeps this table and reads every tensor's, weight's and
 * accumulator's format from it instead of parsing strings layer by layer.
 */
export class FormatTable {
  private readonly parsed = new Map<string, FixedFormat>();

  readonly parse: FormatParser = (text, path) => {
    let f = typeof text === 'string' ? this.parsed.get(text) : undefined;
    if (f === undefined) {
      f = parseModelFormat(text, path);
      this.parsed.set(text as string, f);
    }
    return f;
  };

  format(q: TensorQuant | WeightQuant, path: string): FixedFormat {
    return pow2Format(q, path, this.parse);
  }

  channels(q: WeightQuant | { kind: 'pow2'; formats: string[] }, channels: number, path: string): FixedFormat[] {
    return channelFormats(q, channels, path, this.parse);
  }
}

export function pow2Quant(f: FixedFormat): Pow2Quant {
  return { kind: 'pow2', format: formatToString(f) };
}

/** Largest |code| of a format, as a number (W <= 53). */
export function maxAbsCode(f: FixedFormat): number {
  return f.signed ? 2 ** (f.width - 1) : 2 ** f.width - 1;
}
