import type { BatchNormNode } from '../graph.js';
import { sizeOf } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';

/**
 * Softmax along `axis`: m = max, e_i = exp(x_i - m), y_i = e_i / sum(e) (sum
 * in index order); with `log`, y_i = (x_i - m) - log(sum(e)).
 */
export function softmaxKernel(shape: readonly number[], axis: number, log = false): Kernel {
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const size = sizeOf(shape);
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    for (let s = 0; s < batch; s++) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const base = s * size + o * n * inner + i;
          let m = -Infinity;
          for (let t = 0; t < n; t++) m = Math.max(m, x[base + t * inner]!);
          let sum = 0;
          for (let t = 0; t < n; t++) {
            const e = Math.exp(x[base + t * inner]! - m);
            y[base + t * inner] = e;
            sum += e;
          }
          if (log) {
            const ls = Math.log(sum);
            for (let t = 0; t < n; t++) y[base + t * inner] = x[base + t * inner]! - m - ls;
          } else for (let t = 0; t < n; t++) y[base + t * inner] = y[base + t * inner]! / sum;
        }
      }
    }
    return y;
  };
}

/** Per-sample transpose: output index (i_0..i_r) reads input index with i_k at axis perm[k]. */
export function transposeKernel(inShape: readonly number[], perm: readonly number[]): Kernel {
  const r = inShape.length;
  const outShape = perm.map((p) => inShape[p]!);
  const inStrides = new Array<number>(r);
  for (let i = r - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= inShape[i]!;
  }
  const step = perm.map((p) => inStrides[p]!);
  const size = sizeOf(inShape);
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    const idx = new Array<number>(r).fill(0);
    for (let s = 0; s < batch; s++) {
      idx.fill(0);
      let src = 0;
      for (let o = 0; o < size; o++) {
        y[s * size + o] = x[s * size + src]!;
        for (let d = r - 1; d >= 0; d--) {
          src += step[d]!;
          if (++idx[d]! < outShape[d]!) break;
          src -= step[d]! * outShape[d]!;
          idx[d] = 0;
        }
      }
    }
    return y;
  };
}

/** Concatenation along per-sample `axis`: copies contiguous blocks. */
export function concatKernel(inShapes: readonly (readonly number[])[], axis: number): Kernel {
  const outer = sizeOf(inShapes[0]!.slice(0, axis));
  const chunks = inShapes.map((s) => sizeOf(s.slice(axis)));
  const sizes = inShapes.map((s) => sizeOf(s));
  const total = sizes.reduce((a, b) => a + b, 0);
  return (ins, batch) => {
    const y = new Float64Array(batch * total);
    let yo = 0;
    for (let s = 0; s < batch; s++) {
      for (let o = 0; o < outer; o++) {
        for (let k = 0; k < ins.length; k++) {
          const c = chunks[k]!;
          const start = s * sizes[k]! + o * c;
          y.set(ins[k]!.subarray(start, start + c), yo);
          yo += c;
        }
      }
    }
    return y;
  };
}

/** y = (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + bias[c], channel axis 0. */
export function batchNormKernel(node: BatchNormNode, shape: readonly number[], prep: Prep): Kernel {
  const C = shape[0]!;
  const plane = sizeOf(shape) / C;
  const mean = prep.weight(node.weights.mean);
  const scale = prep.weight(node.weights.scale);
  const bias = prep.weight(node.weights.bias);
  const v = prep.weight(node.weights.var);
  const den = new Float64Array(C);
  for (let c = 0; c < C; c++) den[c] = Math.sqrt(v[c]! + node.attrs.epsilon);
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    for (let s = 0; s < batch; s++) {
      for (let c = 0; c < C; c++) {
        const m = mean[c]!,
          d = den[c]!,
          g = scale[c]!,
          b = bias[c]!;
        const o = (s * C + c) * plane;
        for (let p = o; p < o + plane; p++) y[p] = ((x[p]! - m) / d) * g + b;
      }
    }
    return y;
  };
}
