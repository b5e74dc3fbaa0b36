import { UserError } from '../errors.js';
import type { Graph } from './graph.js';
import { graphInput, shapeOf, sizeOf } from './graph.js';
import { runFloat, type Precision } from './infer.js';
import type { DataSplit } from './datasets/types.js';
import { batchOf } from './datasets/types.js';

export interface Accuracy {
  accuracy: number;
  correct: number;
  samples: number;
}

/** Index of the largest of out[row*width .. row*width+width) (the first one on ties). */
export function argmaxRow(out: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  let bv = out[row * width]!;
  for (let j = 1; j < width; j++) {
    const v = out[row * width + j]!;
    if (v > bv) {
      bv = v;
      best = j;
    }
  }
  return best;
}

export interface EvalOptions {
  /** Samples per inference batch (default 256). */
  batch?: number;
  progress?: (done: number, total: number, status?: string) => void;
}

/**
 * Classification accuracy of any batch runner over a split: the predicted
 * class is the argmax of each output row (logits or probabilities alike).
 */
export function accuracyOf(
  run: (x: Float64Array, batch: number) => ArrayLike<number>,
  split: DataSplit,
  perSample: number,
  outWidth: number,
  opts: EvalOptions = {},
): Accuracy {
  if (split.count > 0 && split.y[0]! < 0)
    throw new UserError('the data set has no labels; accuracy needs class labels (NumPy labels, an image folder, IDX or CSV)');
  const chunk = opts.batch ?? 256;
  let correct = 0;
  for (let s = 0; s < split.count; s += chunk) {
    const m = Math.min(chunk, split.count - s);
    const out = run(batchOf(split, perSample, s, m), m);
    for (let i = 0; i < m; i++) if (argmaxRow(out, i, outWidth) === split.y[s + i]) correct++;
    opts.progress?.(s + m, split.count, `${correct}/${s + m} correct`);
  }
  return { accuracy: split.count ? correct / split.count : 0, correct, samples: split.count };
}

/** Accuracy of a graph's first output on a split (float64 by default). UserError when the data does not fit the model's input. */
export function evaluateGraph(
  g: Graph,
  split: DataSplit,
  dataShape?: readonly number[],
  opts: EvalOptions & { precision?: Precision } = {},
): Accuracy {
  const inShape = graphInput(g).shape;
  const per = sizeOf(inShape);
  if (dataShape && sizeOf(dataShape) !== per)
    throw new UserError(`model '${g.name}' takes [${inShape}] (${per} values) per sample; the data set has [${dataShape}]`);
  const width = sizeOf(shapeOf(g, g.outputs[0]!));
  return accuracyOf((x, b) => runFloat(g, x, b, { precision: opts.precision ?? 'float64' }).output, split, per, width, opts);
}
