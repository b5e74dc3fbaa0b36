import type { Slice } from './slices.js';

/**
 * Runs `fn` over consecutive chunks of the slice, in order, each a whole
 * number of batches (about a tenth of the slice, at least one batch per
 * thread), and reports the samples done after each: the progress of a long
 * run without changing its results (chunks start on the batch grid, so the
 * batches are the ones a single call would make).
 */
export async function overChunks<T>(
  s: Slice,
  batch: number,
  threads: number,
  fn: (c: Slice) => Promise<T[]>,
  progress?: (done: number, total: number) => void,
): Promise<T[]> {
  const total = s.to - s.from;
  const perChunk = batch * Math.max(threads, Math.ceil(total / (10 * batch)));
  const out: T[] = [];
  for (let from = s.from; from < s.to; from += perChunk) {
    const to = Math.min(s.to, from + perChunk);
    out.push(...(await fn({ from, to })));
    progress?.(to - s.from, total);
  }
  return out;
}
