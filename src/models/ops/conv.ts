import type { ConvNode } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';
import { dotRows } from './linear.js';

/**
 * For kernel column j: the output columns [lo, hi) whose input column
 * ow*s - padBegin + j*d falls inside [0, n). Hoisted so the inner loop has no
 * bounds test.
 */
export function validRange(j: number, n: number, outN: number, s: number, padBegin: number, d: number): [number, number] {
  const off = j * d - padBegin;
  const lo = off >= 0 ? 0 : Math.ceil(-off / s);
  const hi = Math.min(outN, Math.floor((n - 1 - off) / s) + 1);
  return [Math.min(lo, outN), Math.max(hi, 0)];
}

/** Patch tables larger than this (entries) use the direct kernel instead of im2col. */
const IM2COL_MAX = 1 << 22;

/**
 * im2col: for output position p and tap k = (c*KH + i)*KW + j, the input
 * offset within a sample, or -1 for a tap in the zero padding.
 */
function patchTable(C: number, H: number, W: number, OH: number, OW: number, node: ConvNode): Int32Array {
  const {
    kernel: [KH, KW],
    strides: [SH, SW],
    pads: [PT, PL],
    dilations: [DH, DW],
  } = node.attrs;
  const K = C * KH * KW;
  const t = new Int32Array(OH * OW * K);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++) {
      const base = (oh * OW + ow) * K;
      for (let c = 0; c < C; c++)
        for (let i = 0; i < KH; i++)
          for (let j = 0; j < KW; j++) {
            const h = oh * SH - PT + i * DH,
              v = ow * SW - PL + j * DW;
            t[base + (c * KH + i) * KW + j] = h < 0 || h >= H || v < 0 || v >= W ? -1 : (c * H + h) * W + v;
          }
    }
  return t;
}

/**
 * Ungrouped convolution as im2col + dot products: per sample, the patches
 * [OH*OW, C*KH*KW] (padding taps 0), then y[m, p] = sum over k in increasing
 * (c, i, j) order of W[m, k] * patch[p, k] — the same sums, in the same order,
 * as the direct kernel — then the bias.
 */
function im2colKernel(node: ConvNode, inShape: readonly number[], outShape: readonly number[], prep: Prep): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = outShape as [number, number, number];
  const P = OH * OW,
    K = C * node.attrs.kernel[0] * node.attrs.kernel[1];
  const table = patchTable(C, H, W, OH, OW, node);
  const w = prep.weight(node.weights.W);
  const bias = node.weights.B ? prep.weight(node.weights.B) : undefined;
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * M * P);
    const cols = new Float64Array(P * K);
    const per = C * H * W;
    for (let n = 0; n < batch; n++) {
      const xo = n * per;
      for (let t = 0; t < cols.length; t++) {
        const src = table[t]!;
        cols[t] = src < 0 ? 0 : x[xo + src]!;
      }
      const out = y.subarray(n * M * P, (n + 1) * M * P);
      dotRows(w, M, K, cols, P, out);
      if (bias)
        for (let m = 0; m < M; m++) {
          const b = bias[m]!;
          for (let p = m * P; p < (m + 1) * P; p++) out[p] = out[p]! + b;
        }
    }
    return y;
  };
}

/** Convolution kernel: im2col for ungrouped convolutions with at least 16 taps per output and a moderate patch table, else the direct loops. */
export function convKernel(node: ConvNode, inShape: readonly number[], outShape: readonly number[], prep: Prep): Kernel {
  const K = inShape[0]! * node.attrs.kernel[0] * node.attrs.kernel[1];
  if (node.attrs.group === 1 && outShape[0]! >= 4 && K >= 16 && K * outShape[1]! * outShape[2]! <= IM2COL_MAX)
    return im2colKernel(node, inShape, outShape, prep);
  return directConvKernel(node, inShape, outShape, prep);
}

/**
 * Direct 2-D convolution. For each sample and filter, an output plane of
 * float64 accumulators receives w * x for each (c, i, j) in that order, so
 * every output element is the sum in (c, i, j) order, then the bias is added.
 * Zero padding is implicit: out-of-image taps are skipped.
 */
export function directConvKernel(node: ConvNode, inShape: readonly number[], outShape: readonly number[], prep: Prep): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = outShape as [number, number, number];
  const {
    kernel: [KH, KW],
    strides: [SH, SW],
    pads: [PT, PL],
    dilations: [DH, DW],
    group,
  } = node.attrs;
  const w = prep.weight(node.weights.W);
  const bias = node.weights.B ? prep.weight(node.weights.B) : undefined;
  const Cg = C / group,
    Mg = M / group;
  const rows: [number, number][] = [];
  for (let i = 0; i < KH; i++) rows.push(validRange(i, H, OH, SH, PT, DH));
  const cols: [number, number][] = [];
  for (let j = 0; j < KW; j++) cols.push(validRange(j, W, OW, SW, PL, DW));
  const plane = OH * OW;
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * M * plane);
    for (let n = 0; n < batch; n++) {
      for (let m = 0; m < M; m++) {
        const yo = (n * M + m) * plane;
        const g = Math.floor(m / Mg);
        for (let c = 0; c < Cg; c++) {
          const xc = (n * C + g * Cg + c) * H * W;
          const wc = (m * Cg + c) * KH * KW;
          for (let i = 0; i < KH; i++) {
            const [ohLo, ohHi] = rows[i]!;
            for (let j = 0; j < KW; j++) {
              const wv = w[wc + i * KW + j]!;
              const [owLo, owHi] = cols[j]!;
              const colOff = j * DW - PL;
              for (let oh = ohLo; oh < ohHi; oh++) {
                const xr = xc + (oh * SH + i * DH - PT) * W + colOff;
                const yr = yo + oh * OW;
                for (let ow = owLo; ow < owHi; ow++) y[yr + ow] = y[yr + ow]! + wv * x[xr + ow * SW]!;
              }
            }
          }
        }
        if (bias) {
          const b = bias[m]!;
          for (let p = 0; p < plane; p++) y[yo + p] = y[yo + p]! + b;
        }
      }
    }
    return y;
  };
}
