import type { Graph } from '../../models/graph.js';
import { accuracyOf } from '../../models/evaluate.js';
import type { ModelLoadOptions } from '../../models/load.js';
import { loadAnyModel } from '../importers/load.js';
import { observeRanges, type CalibrationMethod, type RangeObservation } from '../quantize/calibrate.js';
import type { IntModel } from '../quantize/model.js';
import { verifyBatches, type BatchTally, type VerifyOptions } from '../verify/verify.js';

/*
 * What a worker thread runs. Each task carries its samples (a slice of the
 * run, starting at sample `offset` on the batch grid) and its model, and
 * returns plain data: the same functions run in-process when threads = 1.
 */

export interface VerifyTask {
  kind: 'verify';
  model: IntModel;
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

export interface RunTask { kind: 'run'; path: string; load: ModelLoadOptions; x: Float64Array; count: number }

export interface CalibrateTask { kind: 'calibrate'; graph: Graph; x: Float64Array; count: number; method: CalibrationMethod }

export type Task = VerifyTask | EvalTask | RunTask | CalibrateTask;
export type TaskResult = BatchTally[] | { correct: number } | { outputs: Float64Array; extra: Record<string, Float64Array> } | RangeObservation;

/** verifyBatches on the task's slice, sample numbers shifted back to the whole run's. */
export function verifyTask(t: VerifyTask): BatchTally[] {
  const data = { x: t.x, y: t.y, count: t.count };
  return verifyBatches(t.model, data, { ...t.opts, float: t.float }).map((b) => ({
    ...b, start: b.start + t.offset, first: b.first && { ...b.first, sample: b.first.sample + t.offset },
  }));
}

async function evalTask(t: EvalTask): Promise<{ correct: number }> {
  const model = await loadAnyModel(t.path, t.load);
  const per = t.x.length / t.count;
  const acc = accuracyOf((x, b) => model.run(x, b).outputs, { x: t.x, y: t.y, count: t.count }, per, t.width, { batch: t.batch });
  return { correct: acc.correct };
}

async function runTask(t: RunTask): Promise<{ outputs: Float64Array; extra: Record<string, Float64Array> }> {
  const model = await loadAnyModel(t.path, t.load);
  const r = model.run(t.x, t.count);
  return { outputs: r.outputs, extra: r.extra ?? {} };
}

export default async function work(t: Task): Promise<TaskResult> {
  switch (t.kind) {
    case 'verify': return verifyTask(t);
    case 'eval': return evalTask(t);
    case 'run': return runTask(t);
    case 'calibrate': return observeRanges(t.graph, { x: t.x, count: t.count }, t.method);
  }
}
