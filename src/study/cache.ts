/**
 * The study's cache: one JSON file per finished network under
 * `<output>/cache/`, named by its job key (plan.ts jobKey: data set,
 * architecture, subset, epochs, hyperparameters, activation, seed, bits).
 * A rerun with more seeds or activations reads the finished networks and
 * trains only the missing ones. Each file is written atomically as soon as
 * its network is done, so an interrupted study loses at most the networks
 * in flight.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWritableDir, writeFileAtomic } from '../io/atomic.js';
import type { NetworkRecord, StudyJob } from './types.js';

export const CACHE_DIR = 'cache';

function cachePath(outDir: string, key: string): string {
  return join(outDir, CACHE_DIR, `${key}.json`);
}

/** The cached record of a job, or undefined when absent or not this job's (an unreadable file is treated as absent and rewritten). */
export function readCached(outDir: string, job: StudyJob): NetworkRecord | undefined {
  const path = cachePath(outDir, job.key);
  if (!existsSync(path)) return undefined;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as NetworkRecord;
    return r.key === job.key ? r : undefined;
  } catch {
    return undefined;
  }
}

export function writeCached(outDir: string, r: NetworkRecord): void {
  ensureWritableDir(join(outDir, CACHE_DIR));
  writeFileAtomic(cachePath(outDir, r.key), JSON.stringify(r) + '\n');
}
