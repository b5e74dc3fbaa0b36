import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, type IntModel } from './model.js';
import { packValue, unpackValue } from './packing.js';
import { validateIntModel } from './validate.js';

/**
 * JSON text of a model at the current schema version: objects indented,
 * arrays of numbers or strings kept on one line, long integer arrays of the
 * layers packed as base64 (packing.ts).
 */
export function intModelToJson(m: IntModel): string {
  return plainJson({ ...m, schemaVersion: INT_MODEL_SCHEMA_VERSION, layers: m.layers.map(packValue) });
}

function plainJson(m: unknown): string {
  const out = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object' || x === null)) return JSON.stringify(v);
      const inner = indent + '  ';
      return `[\n${v.map((x) => inner + out(x, inner)).join(',\n')}\n${indent}]`;
    }
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      const inner = indent + '  ';
      return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${out(x, inner)}`).join(',\n')}\n${indent}}`;
    }
    return JSON.stringify(v);
  };
  return out(m, '') + '\n';
}

/** Writes the model atomically (temporary file, then rename). */
export function saveIntModel(path: string, m: IntModel): void {
  writeFileAtomic(path, intModelToJson(m));
}

/** Reads and validates an integer model file; UserError naming the file and the bad field. */
export function loadIntModel(path: string): IntModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read integer model '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`integer model '${path}' is not valid JSON: ${(e as Error).message}`);
  }
  try {
    const j = json as { schemaVersion?: unknown; layers?: unknown };
    if (typeof j === 'object' && j !== null && j.schemaVersion !== 1 && Array.isArray(j.layers)) unpackValue(j.layers, 'layers');
    return validateIntModel(json);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${path}: ${e.message}`);
    throw e;
  }
}

/** True when the file looks like an integer model (its first 4 KB carry the format tag); false for anything else. */
export function isIntModelFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('utf8');
    return /^\s*\{/.test(head) && head.includes(`"${INT_MODEL_FORMAT}"`);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
