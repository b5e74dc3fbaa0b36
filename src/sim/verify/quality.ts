import type { Graph } from '../../models/graph.js';
import { graphInput, sizeOf } from '../../models/graph.js';
import { runFloat } from '../../models/infer.js';
import { argmaxRow } from '../../models/evaluate.js';
import { runInteger } from '../engine/run.js';
import type { IntModel } from '../quantize/model.js';
import { dequantizeCodes } from '../quantize/affine/types.js';
import { scaleOf } from './compare.js';
import { streamingBatch } from '../quantize/calibrate.js';

/**
 * How far an integer model's output is from the unquantized float network's,
 * measured on a few samples (quantize uses its calibration samples): argmax
 * accuracy of both (with labels) and the SQNR of the first output,
 * 10 log10(sum f^2 / sum (f - q)^2) over the integer output dequantized (q)
 * against the float network's tensor of the same name (f).
 */
export interface QuantQuality {
  samples: number;
  floatAccuracy: number | null;
  intAccuracy: number | null;
  outputSqnrDb: number | null;
}

/** Accuracy drop (points) and output SQNR below which quantize and verify warn. */
export const WARN_ACCURACY_DROP = 0.05;
export const WARN_SQNR_DB = 20;

export function measureQuality(
  g: Graph,
  m: IntModel,
  data: { x: ArrayLike<number>; y?: ArrayLike<number>; count: number },
  limit = 256,
): QuantQuality {
  const n = Math.min(limit, data.count);
  const per = sizeOf(graphInput(g).shape);
  const name = m.outputs[0]!;
  const layer = m.layers.find((l) => l.output === name);
  const quant = layer ? layer.out : m.input.quant;
  // batches bounded like calibration's: a 224x224 CNN runs a few images at a time
  const batch = streamingBatch(g);
  let signal = 0,
    noise = 0,
    fc = 0,
    ic = 0,
    comparable = true;
  for (let s = 0; s < n; s += batch) {
    const k = Math.min(batch, n - s);
    const x = Float64Array.from({ length: k * per }, (_, i) => data.x[s * per + i]!);
    const codes = runInteger(m, x, k, { keep: 'outputs' }).tensors.get(name)!;
    const q = quant.kind === 'pow2' ? Float64Array.from(codes, (c) => c / scaleOf(quant)) : dequantizeCodes(quant, codes);
    const f = runFloat(g, x, k, { intermediates: true }).tensors!.get(name);
    comparable &&= f !== undefined && f.length === q.length;
    if (f && comparable)
      for (let i = 0; i < q.length; i++) {
        signal += f[i]! * f[i]!;
        noise += (f[i]! - q[i]!) ** 2;
      }
    const width = q.length / k;
    for (let i = 0; data.y && i < k; i++) {
      const y = data.y[s + i]!;
      if (f && argmaxRow(f, i, width) === y) fc++;
      if (argmaxRow(q, i, width) === y) ic++;
    }
  }
  const outputSqnrDb = comparable && noise > 0 ? 10 * Math.log10(signal / noise) : null;
  if (!data.y || n === 0) return { samples: n, floatAccuracy: null, intAccuracy: null, outputSqnrDb };
  return { samples: n, floatAccuracy: comparable ? fc / n : null, intAccuracy: ic / n, outputSqnrDb };
}

/** One line per problem: integer accuracy far below float, or a low output SQNR. */
export function qualityWarnings(q: QuantQuality): string[] {
  const out: string[] = [];
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
  if (q.floatAccuracy !== null && q.intAccuracy !== null && q.floatAccuracy - q.intAccuracy > WARN_ACCURACY_DROP) {
    out.push(
      `integer accuracy ${pct(q.intAccuracy)} is far below the float network's ${pct(q.floatAccuracy)} on ${q.samples} samples: try more bits, --per-channel or --calibration percentile`,
    );
  }
  if (q.outputSqnrDb !== null && q.outputSqnrDb < WARN_SQNR_DB) {
    out.push(
      `output SQNR ${q.outputSqnrDb.toFixed(1)} dB is below ${WARN_SQNR_DB} dB: the integer outputs are far from the float network's`,
    );
  }
  return out;
}
