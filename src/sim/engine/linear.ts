import { sizeOf } from '../../models/graph.js';
import type { ConvLayer, LayerEvents } from '../quantize/model.js';
import { accAdd, accStep } from './accumulate.js';
import { convGeometry, im2col, padPlane, type ConvGeometry } from './geometry.js';
import { gemmNT } from './gemm.js';
import type { Kernel } from './kernel.js';
import { convAccumulator, denseAccumulator, type LinearPath } from './kernels.js';
import type { LinearOperands } from './scheme.js';

/*
 * Dense and conv for every scheme: acc[m] = bias[m] + sum_k w[m, k] * x'[k]
 * with x' = x - xOffset, then the scheme's output stage. When no partial sum
 * can overflow (accumulate.ts, noOverflowPossible) the sums are exact in any
 * order and go through a GEMM kernel (kernels.ts: WebAssembly or the
 * JavaScript one); otherwise ('checked') every step, bias first and
 * the products in the layer's documented order (dense: k increasing; conv:
 * (c, i, j)), passes through the accumulator's semantics.
 */

function checkedDot(p: LinearOperands, x: Float64Array, xo: number, m: number, K: number, ev: LayerEvents): number {
  const a = p.acc[m]!;
  let acc = accStep(p.bias[m]!, a, ev);
  for (let k = 0, wo = m * K; k < K; k++) acc = accAdd(acc, p.w[wo + k]! * x[xo + k]!, a, ev);
  return acc;
}

/** Dense over the last axis: each row of K inputs, each output n. */
export function denseKernel(p: LinearOperands, inShape: readonly number[], path: LinearPath): Kernel {
  const N = p.bias.length,
    K = p.w.length / N;
  const rowsPerSample = sizeOf(inShape) / K;
  const wasm = path === 'i16' || path === 'wide' ? denseAccumulator(p, path) : undefined;
  return ([x], batch, ev) => {
    const rows = rowsPerSample * batch;
    let xs = x!;
    if (p.xOffset !== 0) {
      xs = new Float64Array(x!.length);
      for (let i = 0; i < xs.length; i++) xs[i] = x![i]! - p.xOffset;
    }
    const acc = new Float64Array(rows * N);
    if (wasm) wasm(xs, rows, acc);
    else if (path === 'js') gemmNT(xs, rows, p.w, N, K, p.bias, acc, N, 1);
    else for (let r = 0; r < rows; r++) for (let n = 0; n < N; n++) acc[r * N + n] = checkedDot(p, xs, r * K, n, K, ev);
    const y = new Float64Array(acc.length);
    p.interleaved(acc, y, ev);
    return y;
  };
}

/** Per group, patches (pixels x taps) times the group's weight rows into acc [M, pixels]. */
function exactConv(acc: Float64Array, xp: Float64Array, p: LinearOperands, g: ConvGeometry, patches: Float64Array): void {
  const taps = g.cg * g.kh * g.kw,
    pixels = g.OH * g.OW;
  for (let grp = 0; grp < g.M / g.mPerGroup; grp++) {
    im2col(xp, grp * g.cg, g, patches);
    const m0 = grp * g.mPerGroup,
      m1 = m0 + g.mPerGroup;
    gemmNT(
      patches,
      pixels,
      p.w.subarray(m0 * taps, m1 * taps),
      g.mPerGroup,
      taps,
      p.bias.subarray(m0, m1),
      acc.subarray(m0 * pixels),
      1,
      pixels,
    );
  }
}

/** Channel m, every pixel, taps in (c, i, j) order through the accumulator (padding taps add an exact 0). */
function checkedChannel(acc: Float64Array, xp: Float64Array, m: number, p: LinearOperands, g: ConvGeometry, ev: LayerEvents): void {
  const c0 = Math.floor(m / g.mPerGroup) * g.cg,
    a = p.acc[m]!;
  for (let oy = 0; oy < g.OH; oy++) {
    for (let ox = 0; ox < g.OW; ox++) {
      let s = accStep(p.bias[m]!, a, ev);
      for (let c = 0; c < g.cg; c++) {
        for (let i = 0; i < g.kh; i++) {
          const xr = ((c0 + c) * g.Hp + oy * g.sh + i * g.dh) * g.Wp + ox * g.sw;
          const wr = ((m * g.cg + c) * g.kh + i) * g.kw;
          for (let j = 0; j < g.kw; j++) s = accAdd(s, xp[xr + j * g.dw]! * p.w[wr + j]!, a, ev);
        }
      }
      acc[m * g.OH * g.OW + oy * g.OW + ox] = s;
    }
  }
}

export function convKernel(l: ConvLayer, p: LinearOperands, inShape: readonly number[], path: LinearPath): Kernel {
  const g = convGeometry(l, inShape);
  if (path === 'i16' || path === 'wide') return wasmConv(l, p, inShape, path, g);
  const exact = path === 'js';
  const inSize = g.C * g.H * g.W,
    plane = g.OH * g.OW;
  const xp = new Float64Array(g.C * g.Hp * g.Wp);
  const acc = new Float64Array(g.M * plane);
  const patches = new Float64Array(exact ? plane * g.cg * g.kh * g.kw : 0);
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * g.M * plane);
    for (let b = 0; b < batch; b++) {
      padPlane(x!, b * inSize, g, p.xOffset, xp);
      if (exact) exactConv(acc, xp, p, g, patches);
      else for (let m = 0; m < g.M; m++) checkedChannel(acc, xp, m, p, g, ev);
      for (let m = 0; m < g.M; m++) p.channelRun(m, acc, m * plane, y, (b * g.M + m) * plane, plane, ev);
    }
    return y;
  };
}

/** The whole batch's accumulators from a WebAssembly kernel, then each channel's output stage. */
function wasmConv(l: ConvLayer, p: LinearOperands, inShape: readonly number[], path: 'i16' | 'wide', g: ConvGeometry): Kernel {
  const run = convAccumulator(l, p, inShape, path);
  const plane = g.OH * g.OW;
  return ([x], batch, ev) => {
    const acc = new Float64Array(batch * g.M * plane);
    run(x!, batch, acc);
    const y = new Float64Array(acc.length);
    for (let b = 0; b < batch; b++)
      for (let m = 0; m < g.M; m++) p.channelRun(m, acc, (b * g.M + m) * plane, y, (b * g.M + m) * plane, plane, ev);
    return y;
  };
}
