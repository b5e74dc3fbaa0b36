import type { DataLayer } from '../../quantize/model-data.js';
import type { RefKernel } from '../kernel.js';
import { constantRef, gatherRef, padRef, reduceRef } from '../data-ops.js';
import { divideReal, overflowReal, type RealFormat } from './real.js';

/*
 * The data layers in reals: a code c of format F is the value c * 2^-F.
 * Reduce max/min: the largest/smallest value; sum/mean: the exact sum of the
 * group (dyadic values within 53 bits) divided by n (mean) or 1 (sum),
 * rounded onto the output grid (divideReal), then the output's overflow mode.
 */
export function pow2DataRef(l: DataLayer, inShape: readonly number[], outF: RealFormat): RefKernel {
  switch (l.op) {
    case 'gather':
      return gatherRef(l, inShape);
    case 'pad':
      return padRef(l, inShape, l.value * outF.lsb);
    case 'constant':
      return constantRef(Float64Array.from(l.codes, (c) => c * outF.lsb));
    case 'reduce':
      return reduceRef(l, inShape, (v, ev) => {
        if (l.fn === 'max') return v.reduce((a, b) => Math.max(a, b));
        if (l.fn === 'min') return v.reduce((a, b) => Math.min(a, b));
        const sum = v.reduce((s, a) => s + a, 0);
        return overflowReal(divideReal(sum, l.fn === 'mean' ? v.length : 1, outF), outF, ev);
      });
  }
}
