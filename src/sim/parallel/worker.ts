import type { Graph } from '../../models/graph.js';
import type { ModelLoadOptions } from '../../models/load.js';
import type { CalibrationMethod, RangeObservation } from '../quantize/calibrate.js';
import type { IntModel } from '../quantize/model.js';
import { workerData } from 'piscina';
import { compileVerifier, verifyWith, type BatchTally, type Verifier, type VerifyOptions } from '../verify/verify.js';
import { shiftTallies, type VerifyWorkerData } from './verify-run.js';

/*
 * What a worker thread runs. Each task carries its samples (a slice of the
 * run, starting at sample `offset` on the batch grid; typed arrays, moved to
 * the worker rather than copied) and returns plain data: the same functions
 * run in-process when threads = 1. A worker of a verify run (VerifyRun,
 * verify-run.ts) gets the model with its worker data and compiles it as it
 * loads; its tasks carry no model. A verify task that carries its model is
 * compiled for it (the last one kept, by the task's `key`). Only verify's
 * code loads with the worker; the other kinds load theirs on their first task.
 */

export interface VerifyTask {
  kind: 'verify';
  /** Identifies the run (its model and mode): tasks with the same key reuse the compiled model. */
  key?: string;
  /** Absent: the model of the worker's verify run (worker data). */
  model?: IntModel;
  x: Float64Array;
  y?: Int32Array;
  float?: Graph;
  offset: number;
  count: number;
  opts: Pick<VerifyOptions, 'mode' | 'batch'>;
}

export interface EvalTask {
  kind: 'eval';
  path: string;
  load: ModelLoadOptions;
  x: Float64Array;
  y: Int32Array;
  count: number;
  width: number;
  batch: number;
}

export interface RunTask {
  kind: 'run';
  path: string;
  load: ModelLoadOptions;
  x: Float64Array;
  count: number;
}

export interface CalibrateTask {
  kind: 'calibrate';
  graph: Graph;
  x: Float64Array;
  count: number;
  method: CalibrationMethod;
}

export type Task = VerifyTask | EvalTask | RunTask | CalibrateTask;
export type TaskResult =
  BatchTally[] | { correct: number } | { outputs: Float64Array; extra: Record<string, Float64Array> } | RangeObservation;

/** This worker's verify run, compiled when the worker loads. */
const run = (workerData as Partial<VerifyWorkerData> | undefined)?.verify;
const runVerifier = run && compileVerifier(run.model, run.mode);

let last: { key: string; verifier: Verifier } | undefined;

function verifierFor(t: VerifyTask): Verifier {
  if (!t.model) {
    if (!runVerifier) throw new Error('internal: a verify task without a model on a worker without a verify run');
    return runVerifier;
  }
  if (t.key !== undefined && last?.key === t.key) return last.verifier;
  const verifier = compileVerifier(t.model, t.opts.mode);
  if (t.key !== undefined) last = { key: t.key, verifier };
  return verifier;
}

/** verifyBatches on the task's slice, sample numbers shifted back to the whole run's. */
export function verifyTask(t: VerifyTask): BatchTally[] {
  const data = { x: t.x, y: t.y, count: t.count };
  return shiftTallies(verifyWith(verifierFor(t), data, { ...t.opts, float: t.model ? t.float : run?.float }), t.offset);
}

async function evalTask(t: EvalTask): Promise<{ correct: number }> {
  const { loadAnyModel, accuracyOf } = await loaders();
  const model = await loadAnyModel(t.path, t.load);
  const per = t.x.length / t.count;
  const acc = accuracyOf((x, b) => model.run(x, b).outputs, { x: t.x, y: t.y, count: t.count }, per, t.width, { batch: t.batch });
  return { correct: acc.correct };
}

async function runTask(t: RunTask): Promise<{ outputs: Float64Array; extra: Record<string, Float64Array> }> {
  const { loadAnyModel } = await loaders();
  const model = await loadAnyModel(t.path, t.load);
  const r = model.run(t.x, t.count);
  return { outputs: r.outputs, extra: r.extra ?? {} };
}

/** The model loader (every format) and the accuracy count, loaded on first use so a verify worker starts light. */
async function loaders() {
  const [{ loadAnyModel }, { accuracyOf }] = await Promise.all([import('../importers/load.js'), import('../../models/evaluate.js')]);
  return { loadAnyModel, accuracyOf };
}

export default async function work(t: Task): Promise<TaskResult> {
  switch (t.kind) {
    case 'verify':
      return verifyTask(t);
    case 'eval':
      return evalTask(t);
    case 'run':
      return runTask(t);
    case 'calibrate':
      return (await import('../quantize/calibrate.js')).observeRanges(t.graph, { x: t.x, count: t.count }, t.method);
  }
}
