import { randomUUID } from 'node:crypto';
import { Piscina } from 'piscina';
import type { Graph } from '../../models/graph.js';
import type { IntModel } from '../quantize/model.js';
import { compileVerifier, verifyWith, type BatchTally, type Verifier, type VerifyOptions, type VerifySamples } from '../verify/verify.js';
import { runQueued, workerFile } from './pool.js';
import { shareGraph } from './share.js';
import { subSlices, type Slice } from './slices.js';
import type { VerifyTask } from './worker.js';

/*
 * One verify run on `threads` threads: this thread and threads - 1 pool
 * workers that live as long as the run, however many slices it verifies (a
 * run streamed in chunks starts its workers and compiles the model once per
 * thread). Each worker gets the model when it starts (worker data, cloned
 * once) and the unquantized network's constants on SharedArrayBuffers (one
 * copy read by every thread), and compiles the model as it loads, while
 * this thread compiles its own; tasks then carry only their samples.
 */

/** Tasks per thread in a slice (at most one per batch): enough for the queue to even out threads that run at different speeds, and a short last task. */
const TASKS_PER_THREAD = 32;

export type VerifyRunOptions = Pick<VerifyOptions, 'mode'> & { batch: number; float?: Graph };

/** What a verify run's workers get when they start (worker.ts reads it). */
export interface VerifyWorkerData {
  verify: { key: string; model: IntModel; mode: VerifyOptions['mode']; float?: Graph };
}

export class VerifyRun {
  private readonly pool: Piscina | undefined;
  private readonly key = randomUUID();
  private verifier: Verifier | undefined;

  constructor(
    readonly model: IntModel,
    readonly opts: VerifyRunOptions,
    readonly threads: number,
  ) {
    if (threads <= 1) return;
    const workerData: VerifyWorkerData = {
      verify: { key: this.key, model, mode: opts.mode, float: opts.float && shareGraph(opts.float) },
    };
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads - 1, maxThreads: threads - 1, idleTimeout: 1000, workerData });
  }

  /** The batch tallies of samples [s.from, s.to) (s.from on the batch grid), sample numbers those of the whole run. */
  async slice(data: VerifySamples, s: Slice): Promise<BatchTally[]> {
    const per = data.count > 0 ? data.x.length / data.count : 0;
    const task = (p: Slice): VerifyTask => ({
      kind: 'verify',
      x: copySamples(data.x, per, p),
      y: data.y && Int32Array.from({ length: p.to - p.from }, (_, i) => data.y![p.from + i]!),
      offset: p.from,
      count: p.to - p.from,
      opts: { batch: this.opts.batch },
    });
    if (!this.pool) return this.verifyOn(data, s);
    const parts = subSlices(s, this.opts.batch, Math.min(this.threads * TASKS_PER_THREAD, Math.ceil((s.to - s.from) / this.opts.batch)));
    const tasks = parts.map((p) => {
      const t = task(p);
      return { task: t, transfer: [t.x.buffer as ArrayBuffer, ...(t.y ? [t.y.buffer as ArrayBuffer] : [])] };
    });
    return (await runQueued(tasks, this.pool, (t) => this.local(t as VerifyTask))).flat() as BatchTally[];
  }

  /** A task on this thread. */
  private local(t: VerifyTask): BatchTally[] {
    return shiftTallies(this.verifyOn({ x: t.x, y: t.y, count: t.count }, { from: 0, to: t.count }), t.offset);
  }

  /** Samples [s.from, s.to) of data on this thread, with this thread's verifier (compiled on first use). */
  private verifyOn(data: VerifySamples, s: Slice): BatchTally[] {
    this.verifier ??= compileVerifier(this.model, this.opts.mode);
    return verifyWith(this.verifier, data, { batch: this.opts.batch, float: this.opts.float }, s.from, s.to);
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

/** Runs fn with a verify run that is closed when fn settles. */
export async function withVerifyRun<R>(
  m: IntModel,
  opts: VerifyRunOptions,
  threads: number,
  fn: (run: VerifyRun) => Promise<R>,
): Promise<R> {
  const run = new VerifyRun(m, opts, threads);
  try {
    return await fn(run);
  } finally {
    await run.close();
  }
}

/** Tallies of a slice that starts at sample `offset`, renumbered as samples of the whole run. */
export function shiftTallies(tallies: BatchTally[], offset: number): BatchTally[] {
  return tallies.map((b) => ({ ...b, start: b.start + offset, first: b.first && { ...b.first, sample: b.first.sample + offset } }));
}

/** Samples [s.from, s.to) of x (per values each) in a new array. */
export function copySamples(x: ArrayLike<number>, per: number, s: Slice): Float64Array {
  const out = new Float64Array((s.to - s.from) * per);
  for (let i = 0; i < out.length; i++) out[i] = x[s.from * per + i]!;
  return out;
}
