import { sizeOf } from '../../models/graph.js';
import type { Kernel } from './kernel.js';
import type { Convert } from './scheme.js';

/** Output axis i is input axis perm[i]; codes move unchanged. */
export function transposeKernel(inShape: readonly number[], perm: readonly number[]): Kernel {
  const rank = inShape.length;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let a = rank - 1; a >= 0; a--) {
    inStrides[a] = s;
    s *= inShape[a]!;
  }
  const outShape = perm.map((a) => inShape[a]!);
  const stride = perm.map((a) => inStrides[a]!);
  const size = sizeOf(inShape);
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * size);
    const idx = new Array<number>(rank).fill(0);
    for (let n = 0; n < batch; n++) {
      idx.fill(0);
      let src = n * size;
      for (let o = 0; o < size; o++) {
        y[n * size + o] = x[src]!;
        // odometer over the output index, moving src by the permuted strides
        for (let a = rank - 1; a >= 0; a--) {
          idx[a]!++;
          src += stride[a]!;
          if (idx[a]! < outShape[a]!) break;
          src -= stride[a]! * outShape[a]!;
          idx[a] = 0;
        }
      }
    }
    return y;
  };
}

/** Concat along a per-sample axis: blocks of each input in turn, each converted into the output's quantization (when it differs). */
export function concatKernel(inShapes: readonly (readonly number[])[], axis: number, converts: readonly Convert[]): Kernel {
  const outer = sizeOf(inShapes[0]!.slice(0, axis));
  const blocks = inShapes.map((s) => sizeOf(s.slice(axis)));
  const total = blocks.reduce((p, b) => p + b, 0);
  return (ins, batch, ev) => {
    const y = new Float64Array(batch * outer * total);
    let o = 0;
    for (let r = 0; r < batch * outer; r++) {
      ins.forEach((x, k) => {
        const n = blocks[k]!,
          f = converts[k];
        if (f) for (let i = r * n, e = i + n; i < e; i++) y[o++] = f(x[i]!, ev);
        else {
          y.set(x.subarray(r * n, r * n + n), o);
          o += n;
        }
      });
    }
    return y;
  };
}
