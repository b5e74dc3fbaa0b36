import { REQUANT_SCHEMES, type RequantScheme } from '../../fixedpoint/requant.js';
import type { IntModel } from '../quantize/model.js';
import { runAffine } from '../engine/run.js';
import { runAffineReference } from '../reference/run.js';
import type { Arithmetic } from '../reference/affine/types.js';
import type { AccumulationMode } from '../engine/scheme.js';

/*
 * How far each deployment target's integer arithmetic lands from the ONNX
 * definitions: the engine under every requantization scheme against the
 * reference, counted per tensor in output codes (LSBs). These differences are
 * the real disagreement between stacks; they are reported, not errors.
 */

export interface TensorDiff {
  tensor: string;
  values: number;
  /** Values whose codes differ. */
  differing: number;
  /** Largest |engine code - reference code|. */
  maxLsb: number;
  /** Count of values by |difference| in LSBs (index 0 = equal), up to maxLsb. */
  histogram: number[];
}

export interface SchemeDiff {
  scheme: RequantScheme;
  values: number;
  differing: number;
  maxLsb: number;
  tensors: TensorDiff[];
}

export interface AffineDifferenceReport {
  samples: number;
  /** The reference the schemes are measured against. */
  reference: Arithmetic;
  /** How both sides accumulate uint8 x int8 products (engine/affine/pairsat.ts). */
  accumulation: AccumulationMode;
  schemes: SchemeDiff[];
}

function diff(tensor: string, a: Int32Array, b: Int32Array): TensorDiff {
  const histogram = [0];
  let differing = 0,
    maxLsb = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    while (histogram.length <= d) histogram.push(0);
    histogram[d]!++;
    if (d > 0) differing++;
    if (d > maxLsb) maxLsb = d;
  }
  return { tensor, values: a.length, differing, maxLsb, histogram };
}

export interface AffineCompareOptions {
  schemes?: readonly RequantScheme[];
  reference?: Arithmetic;
  /** Engine and reference accumulate this way (default 'exact', the ONNX definition). */
  accumulation?: AccumulationMode;
}

/**
 * Runs `batch` raw samples through the reference ('real' by default: the ONNX
 * definitions in exact arithmetic) and through the engine under each scheme
 * (default all four), comparing every tensor's codes (each path uses its own
 * upstream values, so differences propagate as they would on the targets).
 */
export function compareAffineSchemes(
  m: IntModel,
  input: ArrayLike<number>,
  batch: number,
  opts: AffineCompareOptions = {},
): AffineDifferenceReport {
  const reference = opts.reference ?? 'real',
    accumulation = opts.accumulation ?? 'exact';
  const ref = runAffineReference(m, input, batch, { arithmetic: reference, accumulation }).codes;
  const schemes = (opts.schemes ?? REQUANT_SCHEMES).map((scheme) => {
    const eng = runAffine(m, input, batch, { requant: scheme, accumulation }).tensors;
    const tensors = [...ref].map(([name, codes]) => diff(name, eng.get(name)!, codes));
    return {
      scheme,
      values: tensors.reduce((s, t) => s + t.values, 0),
      differing: tensors.reduce((s, t) => s + t.differing, 0),
      maxLsb: tensors.reduce((s, t) => Math.max(s, t.maxLsb), 0),
      tensors,
    };
  });
  return { samples: batch, reference, accumulation, schemes };
}
