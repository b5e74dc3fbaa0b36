import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../errors.js';
import { maxTensorBytesLimit } from '../../limits.js';

/** Reads a file; UserError naming it when it cannot be read (missing, a directory, no permission). */
export function readFileBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** Reads a file, gunzipping it when it starts with the gzip magic bytes. */
export function readMaybeGzip(path: string): Buffer {
  const raw = readFileBytes(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw, { maxOutputLength: maxTensorBytesLimit() });
    } catch (e) {
      throw new UserError(`'${path}' is not a valid gzip file (${(e as Error).message})`);
    }
  }
  return raw;
}
