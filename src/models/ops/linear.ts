import type { GemmNode, MatMulNode, Tensor } from '../graph.js';
import { sizeOf } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';

/** Row-major transpose of a [rows, cols] matrix. */
export function transpose2d(src: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c]!;
  return out;
}

/**
 * y[s*N + o] = sum_k x[s*K + k] * w[o*K + k] for `rows` rows of x and N rows
 * of w (out-major). Each sum runs in increasing k in one float64 accumulator;
 * the blocking (4 outputs x 2 rows share each load; a 4-row block of w stays
 * in cache while every row of x passes) changes speed, never the order inside
 * a sum. Callers add bias after the sum.
 */
export function dotRows(x: Float64Array, rows: number, K: number, w: Float64Array, N: number, y: Float64Array): void {
  const n4 = N - (N % 4);
  const r2 = rows - (rows % 2);
  for (let o = 0; o < n4; o += 4) {
    const w0 = o * K,
      w1 = w0 + K,
      w2 = w1 + K,
      w3 = w2 + K;
    for (let s = 0; s < r2; s += 2) {
      const xa = s * K,
        xb = xa + K;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        b3 = 0;
      for (let k = 0; k < K; k++) {
        const u = x[xa + k]!,
          v = x[xb + k]!;
        const p0 = w[w0 + k]!,
          p1 = w[w1 + k]!,
          p2 = w[w2 + k]!,
          p3 = w[w3 + k]!;
        a0 += u * p0;
        a1 += u * p1;
        a2 += u * p2;
        a3 += u * p3;
        b0 += v * p0;
        b1 += v * p1;
        b2 += v * p2;
        b3 += v * p3;
      }
      const ya = s * N + o,
        yb = ya + N;
      y[ya] = a0;
      y[ya + 1] = a1;
      y[ya + 2] = a2;
      y[ya + 3] = a3;
      y[yb] = b0;
      y[yb + 1] = b1;
      y[yb + 2] = b2;
      y[yb + 3] = b3;
    }
    for (let s = r2; s < rows; s++) {
      const xa = s * K;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0;
      for (let k = 0; k < K; k++) {
        const u = x[xa + k]!;
        a0 += u * w[w0 + k]!;
        a1 += u * w[w1 + k]!;
        a2 += u * w[w2 + k]!;
        a3 += u * w[w3 + k]!;
      }
      const ya = s * N + o;
      y[ya] = a0;
      y[ya + 1] = a1;
      y[ya + 2] = a2;
      y[ya + 3] = a3;
    }
  }
  for (let o = n4; o < N; o++) {
    const wo = o * K;
    for (let s = 0; s < rows; s++) {
      const xa = s * K;
      let a = 0;
      for (let k = 0; k < K; k++) a += x[xa + k]! * w[wo + k]!;
      y[s * N + o] = a;
    }
  }
}

/** Gemm: y = alpha * (x . op(B)) + beta * C, in that order of operations. */
export function gemmKernel(node: GemmNode, prep: Prep): Kernel {
  const B = prep.weight(node.weights.B);
  const [K, N] = node.attrs.transB
    ? [node.weights.B.shape[1]!, node.weights.B.shape[0]!]
    : [node.weights.B.shape[0]!, node.weights.B.shape[1]!];
  const w = node.attrs.transB ? B : transpose2d(B, K, N);
  const { alpha, beta } = node.attrs;
  const C = node.weights.C ? prep.weight(node.weights.C) : undefined;
  const bc = new Float64Array(N);
  if (C) for (let o = 0; o < N; o++) bc[o] = beta * C[C.length === 1 ? 0 : o]!;
  return (ins, batch) => {
    const y = new Float64Array(batch * N);
    dotRows(ins[0]!, batch, K, w, N, y);
    if (alpha !== 1) for (let i = 0; i < y.length; i++) y[i] = alpha * y[i]!;
    if (C) for (let s = 0; s < batch; s++) for (let o = 0; o < N; o++) y[s * N + o] = y[s * N + o]! + bc[o]!;
    return y;
  };
}

/** MatMul with a constant [K, P] right operand, or of two runtime operands per sample. */
export function matMulKernel(node: MatMulNode, inShapes: readonly (readonly number[])[], prep: Prep): Kernel {
  const a = inShapes[0]!;
  const K = a[a.length - 1]!;
  const Bw: Tensor | undefined = node.weights.B;
  if (Bw) {
    const P = Bw.shape[1]!;
    const w = transpose2d(prep.weight(Bw), K, P);
    const rowsPerSample = sizeOf(a) / K;
    return (ins, batch) => {
      const y = new Float64Array(batch * rowsPerSample * P);
      dotRows(ins[0]!, batch * rowsPerSample, K, w, P, y);
      return y;
    };
  }
  return batchedMatMul(a, inShapes[1]!);
}

/**
 * MatMul of two runtime operands per sample, A [..., M, K] x B [..., K, P],
 * leading dimensions broadcast (numpy matmul); each dot product in increasing k.
 */
function batchedMatMul(a: readonly number[], b: readonly number[]): Kernel {
  const M = a[a.length - 2]!,
    K = a[a.length - 1]!,
    P = b[b.length - 1]!;
  const la = a.slice(0, -2),
    lb = b.slice(0, -2);
  const r = Math.max(la.length, lb.length);
  const lead = Array.from({ length: r }, (_, i) => Math.max(la[i - r + la.length] ?? 1, lb[i - r + lb.length] ?? 1));
  const strideOf = (l: readonly number[]): number[] => {
    const s = new Array<number>(r).fill(0);
    for (let i = l.length - 1, m = 1; i >= 0; i--) {
      s[r - l.length + i] = l[i] === 1 ? 0 : m;
      m *= l[i]!;
    }
    return s;
  };
  const sa = strideOf(la),
    sb = strideOf(lb);
  const mats = sizeOf(lead);
  const aOff = new Int32Array(mats),
    bOff = new Int32Array(mats);
  const idx = new Array<number>(r).fill(0);
  for (let t = 0; t < mats; t++) {
    for (let d = 0; d < r; d++) {
      aOff[t] += idx[d]! * sa[d]!;
      bOff[t] += idx[d]! * sb[d]!;
    }
    for (let d = r - 1; d >= 0; d--) {
      if (++idx[d]! < lead[d]!) break;
      idx[d] = 0;
    }
  }
  const aSize = sizeOf(a),
    bSize = sizeOf(b);
  return (ins, batch) => {
    const x = ins[0]!;
    const z = ins[1]!;
    const y = new Float64Array(batch * mats * M * P);
    for (let s = 0; s < batch; s++) {
      for (let t = 0; t < mats; t++) {
        const xo = s * aSize + aOff[t]! * M * K,
          zo = s * bSize + bOff[t]! * K * P,
          yo = (s * mats + t) * M * P;
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < P; j++) {
            let acc = 0;
            for (let k = 0; k < K; k++) acc += x[xo + i * K + k]! * z[zo + k * P + j]!;
            y[yo + i * P + j] = acc;
          }
        }
      }
    }
    return y;
  };
}
