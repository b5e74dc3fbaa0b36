import { fracBits } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import type { IntKernel } from './kernel.js';
import { narrower, narrowRun } from './narrow.js';

/** Output axis i is input axis perm[i]; codes move unchanged. */
export function transposeKernel(inShape: readonly number[], perm: readonly number[]): IntKernel {
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

/**
 * Residual add: a (F_a) and b (F_b) are aligned to F = max(F_a, F_b) by exact
 * left shifts, added exactly, then narrowed into the output format.
 */
export function addKernel(fa: FixedFormat, fb: FixedFormat, out: FixedFormat, size: number): IntKernel {
  const F = Math.max(fracBits(fa), fracBits(fb));
  const ua = 2 ** (F - fracBits(fa)), ub = 2 ** (F - fracBits(fb));
  const nw = narrower(F, out);
  return (ins, batch, ev) => {
    const a = ins[0]!, b = ins[1]!;
    const s = new Float64Array(batch * size);
    for (let i = 0; i < s.length; i++) s[i] = a[i]! * ua + b[i]! * ub;
    const y = new Float64Array(s.length);
    narrowRun(nw, s, 0, y, 0, s.length, ev);
    return y;
  };
}

/** Concat along per-sample axis: each input converted into the output format (rounding, overflow, events), then placed. */
export function concatKernel(inFormats: readonly FixedFormat[], out: FixedFormat, inShapes: (readonly number[])[], axis: number): IntKernel {
  const outer = inShapes[0]!.slice(0, axis).reduce((p, d) => p * d, 1);
  const blocks = inShapes.map((s) => sizeOf(s.slice(axis)));
  const total = blocks.reduce((p, b) => p + b, 0);
  const nws = inFormats.map((f) => narrower(fracBits(f), out));
  return (ins, batch, ev) => {
    const y = new Float64Array(batch * outer * total);
    for (let r = 0; r < batch * outer; r++) {
      let off = r * total;
      ins.forEach((x, k) => {
        narrowRun(nws[k]!, x, r * blocks[k]!, y, off, blocks[k]!, ev);
        off += blocks[k]!;
      });
    }
    return y;
  };
}
