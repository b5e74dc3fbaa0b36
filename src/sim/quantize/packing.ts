import { fieldError } from './fields.js';

/**
 * Compact integer arrays in the model file (schema version 2). Inside
 * `layers`, an array of integers of at least PACK_MIN entries (weight codes,
 * biases, constant codes) is written as
 *   { "packed": "int8" | "int16" | "int32" | "float64", "base64": "..." }
 * holding the values as little-endian elements of the narrowest of those
 * types that holds every one (float64 holds any safe integer exactly), and is
 * read back as the plain array: the model in memory, and every consumer, see
 * version 1's arrays. Version 1 files (plain arrays only) stay readable.
 */
export const PACK_MIN = 256;

type Packed = 'int8' | 'int16' | 'int32' | 'float64';
const TYPES: Record<
  Packed,
  { bytes: number; lo: number; hi: number; set: (d: DataView, o: number, v: number) => void; get: (d: DataView, o: number) => number }
> = {
  int8: { bytes: 1, lo: -128, hi: 127, set: (d, o, v) => d.setInt8(o, v), get: (d, o) => d.getInt8(o) },
  int16: { bytes: 2, lo: -32768, hi: 32767, set: (d, o, v) => d.setInt16(o, v, true), get: (d, o) => d.getInt16(o, true) },
  int32: { bytes: 4, lo: -(2 ** 31), hi: 2 ** 31 - 1, set: (d, o, v) => d.setInt32(o, v, true), get: (d, o) => d.getInt32(o, true) },
  float64: {
    bytes: 8,
    lo: -Number.MAX_SAFE_INTEGER,
    hi: Number.MAX_SAFE_INTEGER,
    set: (d, o, v) => d.setFloat64(o, v, true),
    get: (d, o) => d.getFloat64(o, true),
  },
};

function packArray(a: readonly number[]): { packed: Packed; base64: string } {
  let lo = 0,
    hi = 0;
  for (const v of a) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const packed = (Object.keys(TYPES) as Packed[]).find((k) => lo >= TYPES[k].lo && hi <= TYPES[k].hi)!;
  const t = TYPES[packed];
  const buf = Buffer.alloc(a.length * t.bytes);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < a.length; i++) t.set(dv, i * t.bytes, a[i]!);
  return { packed, base64: buf.toString('base64') };
}

const isIntArray = (v: unknown): v is number[] => Array.isArray(v) && v.length >= PACK_MIN && v.every((x) => Number.isSafeInteger(x));

/** A copy of `v` (a layer or part of one) with its long integer arrays packed. */
export function packValue(v: unknown): unknown {
  if (isIntArray(v)) return packArray(v);
  if (Array.isArray(v)) return v.map(packValue);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, packValue(x)]));
  return v;
}

function unpackArray(o: Record<string, unknown>, path: string): number[] {
  const t = TYPES[o.packed as Packed];
  if (!t || !Object.hasOwn(TYPES, o.packed as string))
    fieldError(`${path}.packed`, `must be one of ${Object.keys(TYPES).join(', ')}, got ${JSON.stringify(o.packed)}`);
  if (typeof o.base64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(o.base64)) fieldError(`${path}.base64`, 'must be a base64 string');
  const buf = Buffer.from(o.base64, 'base64');
  if (buf.length % t.bytes !== 0)
    fieldError(`${path}.base64`, `holds ${buf.length} bytes, not a whole number of ${o.packed as string} values`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out = new Array<number>(buf.length / t.bytes);
  for (let i = 0; i < out.length; i++) {
    const v = t.get(dv, i * t.bytes);
    if (!Number.isSafeInteger(v)) fieldError(`${path}.base64`, `value ${i} (${v}) is not a safe integer`);
    out[i] = v;
  }
  return out;
}

/** `v` with every packed array replaced by its plain array (in place where possible); UserError naming the field on a bad one. */
export function unpackValue(v: unknown, path: string): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unpackValue(v[i], `${path}[${i}]`);
    return v;
  }
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if ('packed' in o) return unpackArray(o, path);
  for (const k of Object.keys(o)) o[k] = unpackValue(o[k], `${path}.${k}`);
  return o;
}
