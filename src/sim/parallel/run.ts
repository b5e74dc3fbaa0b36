import type { Graph } from '../../models/graph.js';
import type { DataSplit } from '../../models/datasets/types.js';
import type { ModelLoadOptions } from '../../models/load.js';
import {
  checkCalibration,
  combineRanges,
  type CalibrationMethod,
  type CalibrationSamples,
  type RangeObservation,
  type TensorRange,
} from '../quantize/calibrate.js';
import type { IntModel } from '../quantize/model.js';
import type { BatchTally, VerifyOptions, VerifySamples } from '../verify/verify.js';
import { randomUUID } from 'node:crypto';
import { runOnPool, runQueued } from './pool.js';
import { subSlices, type Slice } from './slices.js';
import work, { verifyTask, type Task, type VerifyTask } from './worker.js';

/*
 * verify, eval and run over a slice of the samples on `threads` worker
 * threads. Each thread takes a contiguous run of whole batches; results come
 * back in sample order, so the outcome is the one-thread outcome bit for bit.
 */

const DEFAULT_BATCH = 256;

function copy(x: ArrayLike<number>, per: number, s: Slice): Float64Array {
  const out = new Float64Array((s.to - s.from) * per);
  for (let i = 0; i < out.length; i++) out[i] = x[s.from * per + i]!;
  return out;
}

async function dispatch(tasks: Task[], threads: number): Promise<unknown[]> {
  if (threads <= 1 || tasks.length <= 1) return Promise.all(tasks.map((t) => work(t)));
  return runOnPool(tasks, threads);
}

/** Tasks per thread in a threaded verify: enough for the queue to even out threads that run at different speeds. */
const TASKS_PER_THREAD = 8;

/** The batch tallies of verify over samples [s.from, s.to) (s.from on the batch grid). */
export async function verifySlice(
  m: IntModel,
  data: VerifySamples,
  opts: Pick<VerifyOptions, 'mode' | 'batch'> & { float?: Graph },
  s: Slice,
  threads: number,
): Promise<BatchTally[]> {
  const per = data.count > 0 ? data.x.length / data.count : 0;
  const batch = opts.batch ?? DEFAULT_BATCH;
  const key = randomUUID();
  const task = (p: Slice): VerifyTask => ({
    kind: 'verify',
    key,
    model: m,
    x: copy(data.x, per, p),
    y: data.y && Int32Array.from({ length: p.to - p.from }, (_, i) => data.y![p.from + i]!),
    float: opts.float,
    offset: p.from,
    count: p.to - p.from,
    opts: { mode: opts.mode, batch },
  });
  if (threads <= 1) return verifyTask(task(s));
  const parts = subSlices(s, batch, Math.min(threads * TASKS_PER_THREAD, Math.ceil((s.to - s.from) / batch)));
  const tasks = parts.map((p) => {
    const t = task(p);
    return { task: t, transfer: [t.x.buffer as ArrayBuffer, ...(t.y ? [t.y.buffer as ArrayBuffer] : [])] };
  });
  return ((await runQueued(tasks, threads, (t) => verifyTask(t as VerifyTask))) as BatchTally[][]).flat();
}

/** Correct predictions (argmax = label) of the model file over samples [s.from, s.to). */
export async function evalSlice(
  path: string,
  load: ModelLoadOptions,
  split: DataSplit,
  width: number,
  s: Slice,
  threads: number,
  batch = DEFAULT_BATCH,
): Promise<number> {
  const per = split.count > 0 ? split.x.length / split.count : 0;
  const tasks: Task[] = subSlices(s, batch, threads).map((p) => ({
    kind: 'eval',
    path,
    load,
    x: copy(split.x, per, p),
    y: split.y.slice(p.from, p.to),
    count: p.to - p.from,
    width,
    batch,
  }));
  const r = (await dispatch(tasks, threads)) as { correct: number }[];
  return r.reduce((a, b) => a + b.correct, 0);
}

/** Outputs (and extra per-sample results) of the model file on samples [s.from, s.to) of x, in sample order. */
export async function runSlice(
  path: string,
  load: ModelLoadOptions,
  x: Float64Array,
  per: number,
  s: Slice,
  threads: number,
): Promise<{ outputs: Float64Array; extra: Record<string, Float64Array> }> {
  const parts = subSlices(s, 1, threads);
  const tasks: Task[] = parts.map((p) => ({ kind: 'run', path, load, x: copy(x, per, p), count: p.to - p.from }));
  const r = (await dispatch(tasks, threads)) as { outputs: Float64Array; extra: Record<string, Float64Array> }[];
  const cat = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((a, b) => a + b.length, 0));
    let o = 0;
    for (const a of arrays) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  const keys = Object.keys(r[0]?.extra ?? {});
  return { outputs: cat(r.map((p) => p.outputs)), extra: Object.fromEntries(keys.map((k) => [k, cat(r.map((p) => p.extra[k]!))])) };
}

/** Calibration ranges of the float graph over every sample, observed on `threads` threads and combined in sample order. */
export async function calibrateOnThreads(
  g: Graph,
  data: CalibrationSamples,
  method: CalibrationMethod,
  threads: number,
): Promise<Map<string, TensorRange>> {
  return combineRanges(await observeOnThreads(g, data, method, threads), method);
}

/** The observations of samples [s.from, s.to) (all by default) on `threads` threads, in sample order (combine with combineRanges). */
export async function observeOnThreads(
  g: Graph,
  data: CalibrationSamples,
  method: CalibrationMethod,
  threads: number,
  s: Slice = { from: 0, to: data.count },
): Promise<RangeObservation[]> {
  const per = checkCalibration(g, data, method);
  const tasks: Task[] = subSlices(s, DEFAULT_BATCH, threads).map((p) => ({
    kind: 'calibrate',
    graph: g,
    x: copy(data.x, per, p),
    count: p.to - p.from,
    method,
  }));
  return (await dispatch(tasks, threads)) as RangeObservation[];
}
