import { UserError } from '../errors.js';
import { fixOverflows, LOOPS, type CodeArray, type Src } from './batch-loops.js';
import { bigToDouble } from './double.js';
import { formatToString, fracBits } from './format.js';
import { MAX_NUMBER_WIDTH } from './number.js';
import { quantize } from './quantize.js';
import type { FixedFormat } from './types.js';

export type { CodeArray } from './batch-loops.js';

/*
 * Typed-array quantization (the loops and their exactness notes are in
 * batch-loops.ts).
 */

function checkOutput(f: FixedFormat, out: CodeArray, n: number): void {
  const lo = f.signed ? -(2 ** (f.width - 1)) : 0;
  const hi = 2 ** (f.signed ? f.width - 1 : f.width) - 1;
  const fits =
    out instanceof Float64Array
      ? f.width <= MAX_NUMBER_WIDTH
      : out instanceof Int32Array
        ? lo >= -(2 ** 31) && hi < 2 ** 31
        : lo >= 0 && hi < 2 ** 32;
  if (!fits) throw new UserError(`the codes of ${formatToString(f)} do not fit in a ${out.constructor.name}`);
  if (out.length < n) throw new UserError(`output array has ${out.length} elements, needs ${n}`);
}

/**
 * quantizeNumber over an array: out[i] = code of src[i] in f. Returns how many
 * values overflowed. out must hold f's codes (Int32Array for signed W <= 32,
 * Uint32Array for unsigned W <= 32, Float64Array for W <= 53).
 */
export function quantizeArray(src: Src, f: FixedFormat, out: CodeArray): number {
  checkOutput(f, out, src.length);
  const F = fracBits(f);
  if (F > 1023 || F < -1074) return quantizeEach(src, f, out);
  const lo = f.signed ? (f.overflow === 'SAT_SYM' ? 1 - 2 ** (f.width - 1) : -(2 ** (f.width - 1))) : 0;
  const hi = 2 ** (f.signed ? f.width - 1 : f.width) - 1;
  const scale = 2 ** F;
  const count = LOOPS[f.rounding](src, out, scale, lo, hi);
  if (count > 0 && (f.overflow === 'WRAP' || f.overflow === 'SAT_ZERO')) fixOverflows(src, out, f, scale, lo, hi);
  return count;
}

/** Formats whose 2^F is not a double: the bigint path, element by element. */
function quantizeEach(src: Src, f: FixedFormat, out: CodeArray): number {
  let count = 0;
  for (let i = 0; i < src.length; i++) {
    const r = quantize(src[i]!, f);
    out[i] = Number(r.code);
    if (r.overflow) count++;
  }
  return count;
}

/** out[i] = the real value of code codes[i] of f (exact: |code| < 2^53 and a power-of-two scale). */
export function toRealArray(codes: CodeArray, f: FixedFormat, out: Float64Array): void {
  if (f.width > MAX_NUMBER_WIDTH) throw new UserError(`toRealArray: width ${f.width} is beyond ${MAX_NUMBER_WIDTH}`);
  const F = fracBits(f);
  if (F >= -960 && F <= 960) {
    const lsb = 2 ** -F;
    for (let i = 0; i < codes.length; i++) out[i] = codes[i]! * lsb;
    return;
  }
  for (let i = 0; i < codes.length; i++) out[i] = bigToDouble(BigInt(codes[i]!), -F);
}
