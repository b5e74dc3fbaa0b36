import { availableParallelism } from 'node:os';
import { UserError } from '../../errors.js';

/*
 * Division of a run's samples among threads and shards. Samples are taken in
 * batches on a fixed grid ([k * batch, (k + 1) * batch)); a slice is a
 * contiguous run of whole batches, so every division sees the same batches
 * and folding them in sample order gives the report of a single run.
 */

export interface Slice {
  from: number;
  to: number;
}

/** Slice k (0-based) of n: batches divided as evenly as possible, earlier slices taking the extra ones. */
export function slice(count: number, batch: number, k: number, n: number): Slice {
  const batches = Math.ceil(count / batch);
  const base = Math.floor(batches / n),
    extra = batches % n;
  const first = k * base + Math.min(k, extra);
  const size = base + (k < extra ? 1 : 0);
  return { from: Math.min(count, first * batch), to: Math.min(count, (first + size) * batch) };
}

/** The non-empty slices of [s.from, s.to) for `parts` threads (s.from on the batch grid). */
export function subSlices(s: Slice, batch: number, parts: number): Slice[] {
  const out: Slice[] = [];
  for (let k = 0; k < parts; k++) {
    const r = slice(s.to - s.from, batch, k, parts);
    if (r.to > r.from) out.push({ from: s.from + r.from, to: s.from + r.to });
  }
  return out;
}

/** A shard given as 'k/n' on the command line: 1 <= k <= n (1-based, as in "shard 3 of 8"). */
export interface Shard {
  k: number;
  n: number;
}

export function parseShard(text: string): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  const k = m ? Number(m[1]) : NaN,
    n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) throw new UserError(`--shard must be k/n with 1 <= k <= n (e.g. 3/8), got '${text}'`);
  return { k, n };
}

/** The samples of a shard (all samples without one). */
export function shardSlice(count: number, batch: number, shard: Shard | undefined): Slice {
  return shard ? slice(count, batch, shard.k - 1, shard.n) : { from: 0, to: count };
}

/** Worker threads to use: --threads N, default every core the process may use. */
export function threadCount(requested: number | undefined): number {
  return requested ?? availableParallelism();
}
