import type { Tensor } from '../graph.js';

/**
 * A compiled node: takes its inputs (batched, row-major, per-sample shapes as
 * the graph states) and returns a new output array. Kernels compute in
 * float64; the engine applies float32 rounding to outputs when asked.
 */
export type Kernel = (ins: readonly Float64Array[], batch: number) => Float64Array;

/** How kernels read constants: as stored (float64 engine) or rounded to float32 once (float32 engine). */
export interface Prep {
  weight(t: Tensor): Float64Array;
}

export const PREP64: Prep = { weight: (t) => t.data };

export const PREP32: Prep = {
  weight(t) {
    const out = new Float64Array(t.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(t.data[i]!);
    return out;
  },
};
