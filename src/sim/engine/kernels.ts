import type { ConvLayer } from '../quantize/model.js';
import { noOverflowPossible } from './accumulate.js';
import { convGeometry, im2col, padPlane } from './geometry.js';
import type { LinearOperands } from './scheme.js';
import { convI16, exactGemmPath, gemmI16, gemmWide, packWeightsI16, packWeightsI32, prepareConvI16 } from './wasm/index.js';

/*
 * Which kernel computes a dense or conv layer's accumulators. The choice
 * changes speed, never a code:
 * - 'checked': some partial sum could leave its accumulator, or a product
 *   needs rounding onto the accumulator grid: every step in the layer's order
 *   through the accumulator's semantics (JavaScript). A narrowed accumulator
 *   that saturates or wraps is order-dependent, so it always stays here.
 * - otherwise the sum is an exact integer whatever the order, and the
 *   WebAssembly kernels may compute it: 'i16' (int16 operands, int32
 *   accumulation) when the operands fit int16 and the layer's worst-case
 *   bound |bias| + sum |w| max|x| fits int32; 'wide' (int32 operands, int64
 *   accumulation, exact below 2^53) when they fit int32; else 'js' (the blocked
 *   JavaScript GEMM in doubles, exact below 2^53).
 * `kernels: 'js'` keeps every exact layer on the JavaScript GEMM (the
 * reference the WebAssembly paths are tested against).
 */

export type KernelChoice = 'wasm' | 'js';
export type LinearPath = 'i16' | 'wide' | 'js' | 'checked';

export function linearPath(p: LinearOperands, use: KernelChoice): LinearPath {
  if (!noOverflowPossible(p.bounds, p.acc)) return 'checked';
  if (use === 'js') return 'js';
  let lo = 0,
    hi = 0,
    bound = 0;
  for (let i = 0; i < p.w.length; i++) {
    const v = p.w[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (let m = 0; m < p.bounds.length; m++) bound = Math.max(bound, p.bounds[m]!);
  const e = exactGemmPath(bound, [-p.maxX, p.maxX], [lo, hi]);
  return e === 'none' ? 'js' : e;
}

/** acc[r, n] = bias[n] + sum_k x'[r, k] w[n, k] for `rows` rows of K (x' offset already subtracted), exact. */
export function denseAccumulator(p: LinearOperands, path: 'i16' | 'wide'): (xs: Float64Array, rows: number, acc: Float64Array) => void {
  const N = p.bias.length,
    K = p.w.length / N;
  if (path === 'i16') {
    const packed = packWeightsI16(p.w, K, N, { layout: 'nk', bias: p.bias });
    return (xs, rows, acc) => {
      if (rows > 0) gemmI16(xs, rows, K, packed, acc);
    };
  }
  const packed = packWeightsI32(p.w, K, N, { layout: 'nk' });
  return (xs, rows, acc) => {
    if (rows === 0) return;
    for (let r = 0; r < rows; r++) acc.set(p.bias, r * N);
    gemmWide(xs, rows, K, packed, acc, true);
  };
}

/** acc[b, m, pixel] of a whole batch (codes x, offset subtracted here; padding reads 0), exact. */
export function convAccumulator(
  l: ConvLayer,
  p: LinearOperands,
  inShape: readonly number[],
  path: 'i16' | 'wide',
): (x: Float64Array, batch: number, acc: Float64Array) => void {
  const g = convGeometry(l, inShape);
  const [M, cg, kh, kw] = l.weights.shape as [number, number, number, number];
  if (path === 'i16') {
    const cw = prepareConvI16(p.w, [M, cg, kh, kw], l.group, p.bias);
    const geo = { strides: l.strides, pads: l.pads, dilations: l.dilations };
    return (x, batch, acc) => {
      if (batch === 0) return;
      const xs = p.xOffset === 0 ? x : x.map((v) => v - p.xOffset);
      convI16(xs, [batch, g.C, g.H, g.W], cw, geo, acc, 0);
    };
  }
  const taps = cg * kh * kw,
    pixels = g.OH * g.OW,
    groups = M / g.mPerGroup;
  const packed = Array.from({ length: groups }, (_, grp) =>
    packWeightsI32(p.w.subarray(grp * g.mPerGroup * taps, (grp + 1) * g.mPerGroup * taps), taps, g.mPerGroup, { layout: 'nk' }),
  );
  const xp = new Float64Array(g.C * g.Hp * g.Wp),
    patches = new Float64Array(pixels * taps),
    tmp = new Float64Array(pixels * g.mPerGroup);
  return (x, batch, acc) => {
    for (let b = 0; b < batch; b++) {
      padPlane(x, b * g.C * g.H * g.W, g, p.xOffset, xp);
      for (let grp = 0; grp < groups; grp++) {
        im2col(xp, grp * g.cg, g, patches);
        const m0 = grp * g.mPerGroup;
        for (let q = 0; q < pixels; q++) tmp.set(p.bias.subarray(m0, m0 + g.mPerGroup), q * g.mPerGroup);
        gemmWide(patches, pixels, taps, packed[grp]!, tmp, true);
        // [pixel, channel] -> [channel, pixel]
        for (let j = 0; j < g.mPerGroup; j++) {
          const o = (b * M + m0 + j) * pixels;
          for (let q = 0; q < pixels; q++) acc[o + q] = tmp[q * g.mPerGroup + j]!;
        }
      }
    }
  };
}
