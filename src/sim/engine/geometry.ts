import type { ConvLayer, PoolLayer } from '../quantize/model.js';

/*
 * Window geometry shared by every scheme: convolution windows over a
 * zero-padded plane and im2col patches, pool windows with their divisors.
 * Tensors are per sample [C, H, W]; a window of output (oy, ox) starts at
 * (oy * sh - pad_top, ox * sw - pad_left) and tap (i, j) sits i * dh rows and
 * j * dw columns further.
 */

export interface ConvGeometry {
  C: number;
  H: number;
  W: number;
  M: number;
  cg: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
  Hp: number;
  Wp: number;
  OH: number;
  OW: number;
  mPerGroup: number;
}

export function convGeometry(l: ConvLayer, inShape: readonly number[]): ConvGeometry {
  const [M, cg, kh, kw] = l.weights.shape as [number, number, number, number];
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = l.shape as [number, number, number];
  const [pt, pl, pb, pr] = l.pads;
  return {
    C,
    H,
    W,
    M,
    cg,
    kh,
    kw,
    sh: l.strides[0],
    sw: l.strides[1],
    dh: l.dilations[0],
    dw: l.dilations[1],
    pt,
    pl,
    Hp: H + pt + pb,
    Wp: W + pl + pr,
    OH,
    OW,
    mPerGroup: M / l.group,
  };
}

/**
 * Sample `off` of x minus `offset` (the input zero point; 0 for pow2) into the
 * padded plane xp, whose padding holds 0: a padded tap then adds an exact 0
 * (ONNX pads with the zero point, i.e. with real 0).
 */
export function padPlane(x: Float64Array, off: number, g: ConvGeometry, offset: number, xp: Float64Array): void {
  for (let c = 0; c < g.C; c++) {
    for (let i = 0; i < g.H; i++) {
      const src = off + (c * g.H + i) * g.W;
      const dst = (c * g.Hp + i + g.pt) * g.Wp + g.pl;
      for (let j = 0; j < g.W; j++) xp[dst + j] = x[src + j]! - offset;
    }
  }
}

/** Patches of the group whose first input channel is c0: row = output pixel (oy, ox), column = tap (c, i, j). */
export function im2col(xp: Float64Array, c0: number, g: ConvGeometry, out: Float64Array): void {
  let o = 0;
  for (let oy = 0; oy < g.OH; oy++) {
    for (let ox = 0; ox < g.OW; ox++) {
      for (let c = 0; c < g.cg; c++) {
        const plane = (c0 + c) * g.Hp * g.Wp;
        for (let i = 0; i < g.kh; i++) {
          const row = plane + (oy * g.sh + i * g.dh) * g.Wp + ox * g.sw;
          for (let j = 0; j < g.kw; j++) out[o++] = xp[row + j * g.dw]!;
        }
      }
    }
  }
}

export interface PoolGeometry {
  C: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
  l: PoolLayer;
}

export function poolGeometry(l: PoolLayer, inShape: readonly number[]): PoolGeometry {
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = l.shape as [number, number, number];
  return { C, H, W, OH, OW, l };
}

/**
 * Calls tap(index within the plane) for every in-image tap of window (oy, ox),
 * rows outer, columns inner (padding taps are skipped: padding never wins a
 * max and adds nothing to a sum). Returns the divisor of an average: the
 * window area clipped to the padded extent when countIncludePad, else the
 * number of in-image taps.
 */
export function forWindow(w: PoolGeometry, oy: number, ox: number, tap: (at: number) => void): number {
  const { l } = w;
  const hs = oy * l.strides[0] - l.pads[0];
  const ws = ox * l.strides[1] - l.pads[1];
  let n = 0;
  for (let i = 0; i < l.kernel[0]; i++) {
    const r = hs + i * l.dilations[0];
    if (r < 0 || r >= w.H) continue;
    for (let j = 0; j < l.kernel[1]; j++) {
      const c = ws + j * l.dilations[1];
      if (c < 0 || c >= w.W) continue;
      tap(r * w.W + c);
      n++;
    }
  }
  if (!l.countIncludePad) return n;
  const he = Math.min(hs + l.kernel[0], w.H + l.pads[2]);
  const we = Math.min(ws + l.kernel[1], w.W + l.pads[3]);
  return (he - hs) * (we - ws);
}

/** y[plane, oy, ox] = out(plane offset in x, oy, ox) for every plane of the batch. */
export function poolLoop(w: PoolGeometry, batch: number, out: (base: number, oy: number, ox: number) => number): Float64Array {
  const y = new Float64Array(batch * w.C * w.OH * w.OW);
  const plane = w.H * w.W;
  let o = 0;
  for (let p = 0; p < batch * w.C; p++) {
    for (let oy = 0; oy < w.OH; oy++) for (let ox = 0; ox < w.OW; ox++) y[o++] = out(p * plane, oy, ox);
  }
  return y;
}
