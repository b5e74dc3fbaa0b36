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
import { runOnPool } from './pool.js';
import { subSlices, type Slice } from './slices.js';
import { copySamples as copy, withVerifyRun } from './verify-run.js';
import work, { type Task } from './worker.js';

/*
 * verify, eval and run over a slice of the samples on `threads` worker
 * threads. Each thread takes a contiguous run of whole batches; results come
 * back in sample order, so the outcome is the one-thread outcome bit for bit.
 */

const DEFAULT_BATCH = 256;

async function dispatch(tasks: Task[], threads: number): Promise<unknown[]> {
  if (threads <= 1 || tasks.length <= 1) return Promise.all(tasks.map((t) => work(t)));
  return runOnPool(tasks, threads);
}

/** The batch tallies of verify over samples [s.from, s.to) (s.from on the batch grid), on a run of its own (see VerifyRun). */
export async function verifySlice(
  m: IntModel,
  data: VerifySamples,
  opts: Pick<VerifyOptions, 'mode' | 'batch'> & { float?: Graph },
  s: Slice,
  threads: number,
): Promise<BatchTally[]> {
  return withVerifyRun(m, { ...opts, batch: opts.batch ?? DEFAULT_BATCH }, threads, (run) => run.slice(data, s));
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
