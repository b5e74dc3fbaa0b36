import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import type { Shard, Slice } from './slices.js';

/*
 * Partial results of a sharded run (--shard k/n): what shard k computed on
 * its slice of the samples, plus the key of the run (command, model file
 * digest, data, options) that every shard of one run shares. `helu-sim merge`
 * checks the shards form one run (same key, shards 1..n each once) and
 * combines them into the report a single run gives. Numbers are stored as
 * JSON numbers (a double survives JSON text exactly); infinities and NaN,
 * which JSON lacks, as {"nonFinite": "Infinity" | "-Infinity" | "NaN"}.
 */

export const PARTIAL_FORMAT = 'helu-sim/partial-result';

export interface Partial<R = unknown> {
  format: typeof PARTIAL_FORMAT;
  version: 1;
  command: 'verify' | 'eval' | 'run';
  shard: Shard;
  /** Samples of this shard: [from, to) of total. */
  samples: Slice & { total: number };
  /** Identifies the run: equal in every shard of it. */
  key: Record<string, unknown>;
  result: R;
}

/** SHA-256 of a file's bytes (hex): the model each shard ran. */
export function fileDigest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return { nonFinite: String(v) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

function reviver(_k: string, v: unknown): unknown {
  if (
    v &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { nonFinite?: unknown }).nonFinite === 'string'
  ) {
    return Number((v as { nonFinite: string }).nonFinite);
  }
  return v;
}

export function writePartial(path: string, p: Partial): void {
  writeFileAtomic(path, JSON.stringify(p, replacer) + '\n');
}

export function readPartial(path: string): Partial {
  let p: Partial;
  try {
    p = JSON.parse(readFileSync(path, 'utf8'), reviver) as Partial;
  } catch (e) {
    throw new UserError(`cannot read partial result '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (p?.format !== PARTIAL_FORMAT || p.version !== 1)
    throw new UserError(`'${path}' is not a helu-sim partial result (written by verify, eval or run with --shard k/n)`);
  return p;
}

/** The shards of one run, in shard order; a UserError naming what does not fit. */
export function checkShards(parts: readonly { path: string; p: Partial }[]): Partial[] {
  if (parts.length === 0) throw new UserError('merge needs the partial result files of every shard');
  const first = parts[0]!.p;
  const key = JSON.stringify(first.key);
  const byShard = new Map<number, Partial>();
  for (const { path, p } of parts) {
    if (p.command !== first.command)
      throw new UserError(`'${path}' is a partial result of '${p.command}', the others of '${first.command}'`);
    if (JSON.stringify(p.key) !== key || p.shard.n !== first.shard.n || p.samples.total !== first.samples.total) {
      throw new UserError(`'${path}' belongs to another run (model, data or options differ from '${parts[0]!.path}')`);
    }
    if (byShard.has(p.shard.k)) throw new UserError(`shard ${p.shard.k}/${p.shard.n} is given twice ('${path}')`);
    byShard.set(p.shard.k, p);
  }
  const missing = Array.from({ length: first.shard.n }, (_, i) => i + 1).filter((k) => !byShard.has(k));
  if (missing.length > 0) throw new UserError(`missing shard(s) ${missing.map((k) => `${k}/${first.shard.n}`).join(', ')}`);
  return Array.from({ length: first.shard.n }, (_, i) => byShard.get(i + 1)!);
}
