import { UserError } from '../../errors.js';

/*
 * Field checks for the integer model file: each names the JSON path of the bad
 * field ('layers[2].weights.codes[7]') and what is accepted, so a hand-edited
 * or truncated file fails with one clear line.
 */

export function fieldError(path: string, what: string): never {
  throw new UserError(`integer model: field '${path}' ${what}`);
}

export function asObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fieldError(path, 'must be an object');
  return v as Record<string, unknown>;
}

export function asString(v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') fieldError(path, 'must be a non-empty string');
  return v;
}

export function asBoolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fieldError(path, 'must be true or false');
  return v;
}

export function asArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fieldError(path, 'must be an array');
  return v;
}

/** A safe integer (|v| < 2^53) within [min, max]. */
export function asInt(v: unknown, path: string, min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    fieldError(path, `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An array of safe integers; reports the first bad element by index. */
export function asIntArray(v: unknown, path: string, length?: number): number[] {
  const a = asArray(v, path);
  if (length !== undefined && a.length !== length) fieldError(path, `must have ${length} elements, has ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number' || !Number.isSafeInteger(x))
      fieldError(`${path}[${i}]`, `must be an integer below 2^53 in magnitude, got ${JSON.stringify(x)}`);
  }
  return a as number[];
}

/** A per-sample shape: positive integers. */
export function asShape(v: unknown, path: string, rank?: number): number[] {
  const a = asIntArray(v, path, rank);
  a.forEach((d, i) => {
    if (d < 1) fieldError(`${path}[${i}]`, `must be a positive dimension, got ${d}`);
  });
  return a;
}

export function asOneOf<T extends string>(v: unknown, path: string, accepted: readonly T[]): T {
  if (typeof v !== 'string' || !accepted.includes(v as T))
    fieldError(path, `must be one of ${accepted.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

/** A finite number. */
export function asNumber(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fieldError(path, `must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}
