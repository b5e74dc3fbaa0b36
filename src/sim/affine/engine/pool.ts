import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import { windowOutput } from '../../../models/window.js';
import type { PoolLayer } from '../../model.js';
import type { AffineParams } from '../types.js';
import type { Kernel } from './kernel.js';
import { finish, makeRequant, type OutRange, type Requant } from './outstage.js';
import { dequantize } from './quantize.js';
import { remapTable } from './remap.js';

/*
 * Pools on int8/uint8 codes, per [C, H, W] plane. A window's taps are
 * rows hs + i*dh, columns ws + j*dw with hs = oy*sh - pad_top (likewise for
 * columns); taps outside the image are skipped (padding never wins a max and
 * adds nothing to a sum). The divisor of an average is the window area
 * clipped to the padded extent when countIncludePad, else the in-image taps.
 */

interface Win { C: number; H: number; W: number; OH: number; OW: number; l: PoolLayer }

function win(l: PoolLayer, x: readonly number[]): Win {
  const [C, H, W] = x as [number, number, number];
  const [pt, pl, pb, pr] = l.pads;
  return {
    C, H, W, l,
    OH: windowOutput(H, l.kernel[0], l.strides[0], pt, pb, l.dilations[0], l.ceilMode),
    OW: windowOutput(W, l.kernel[1], l.strides[1], pl, pr, l.dilations[1], l.ceilMode),
  };
}

/** Calls tap(row, col) for every in-image tap of window (oy, ox), rows outer; returns the divisor. */
function forWindow(w: Win, oy: number, ox: number, tap: (r: number, c: number) => void): number {
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
      tap(r, c);
      n++;
    }
  }
  if (!l.countIncludePad) return n;
  const he = Math.min(hs + l.kernel[0], w.H + l.pads[2]);
  const we = Math.min(ws + l.kernel[1], w.W + l.pads[3]);
  return (he - hs) * (we - ws);
}

function poolLoop(w: Win, batch: number, out: (plane: number, oy: number, ox: number) => number): Int32Array {
  const y = new Int32Array(batch * w.C * w.OH * w.OW);
  let o = 0;
  for (let p = 0; p < batch * w.C; p++) {
    for (let oy = 0; oy < w.OH; oy++) for (let ox = 0; ox < w.OW; ox++) y[o++] = out(p, oy, ox);
  }
  return y;
}

/**
 * onnxruntime's QLinearAveragePool computes a window that is the whole
 * unpadded plane with its global average pool kernel instead.
 */
function coversPlane(l: PoolLayer, w: Win): boolean {
  return l.kernel[0] === w.H && l.kernel[1] === w.W && l.pads.every((p) => p === 0);
}

const plainRange = (p: AffineParams): OutRange => ({ lo: p.qmin, hi: p.qmax, satLo: p.qmin, satHi: p.qmax });

/** Max of the codes (padding never wins), remapped to the output quant when it differs. */
export function maxPoolKernel(l: PoolLayer, x: readonly number[], inP: AffineParams, outP: AffineParams, scheme: RequantScheme): Kernel {
  const w = win(l, x);
  const table = remapTable(inP, outP, scheme);
  const range = plainRange(outP);
  const plane = w.H * w.W;
  return ([xs], batch, ev) => poolLoop(w, batch, (p, oy, ox) => {
    let m = -Infinity;
    forWindow(w, oy, ox, (r, c) => { const v = xs![p * plane + r * w.W + c]!; if (v > m) m = v; });
    return table ? finish(table[m & 0xff]!, range, ev) : m;
  });
}

/**
 * Average pool. onnxruntime (QLinearAveragePool): each tap dequantized in
 * float32, summed in float32 in window order, divided by the divisor in
 * float32, then code = clamp(rne(float32(float32(avg / s_out) + zp))); a
 * window covering the whole unpadded plane runs the global average pool.
 * Other schemes: S = sum of (x - zx) exactly, code = zp + requant(S) with
 * M = s_in / (s_out * divisor) (double) through the scheme.
 */
export function avgPoolKernel(l: PoolLayer, x: readonly number[], inP: AffineParams, outP: AffineParams, scheme: RequantScheme): Kernel {
  const w = win(l, x);
  if (scheme === 'onnxruntime' && coversPlane(l, w)) return globalAvgPoolKernel(x, inP, outP, scheme);
  const range = plainRange(outP);
  const plane = w.H * w.W;
  if (scheme === 'onnxruntime') {
    const dq = new Float64Array(256);
    for (let raw = 0; raw < 256; raw++) dq[raw] = dequantize(inP.type === 'int8' ? (raw << 24) >> 24 : raw, inP);
    return ([xs], batch, ev) => poolLoop(w, batch, (p, oy, ox) => {
      let s = 0;
      const n = forWindow(w, oy, ox, (r, c) => { s = Math.fround(s + dq[xs![p * plane + r * w.W + c]! & 0xff]!); });
      const v = Math.fround(Math.fround(Math.fround(s / n) / outP.scale) + outP.zeroPoint);
      return finish(roundDouble(v, 'RND_CONV'), range, ev);
    });
  }
  const byCount = new Map<number, Requant>();
  const rq = (n: number): Requant => {
    let f = byCount.get(n);
    if (!f) byCount.set(n, (f = makeRequant(inP.scale / (outP.scale * n), outP.zeroPoint, scheme)));
    return f;
  };
  return ([xs], batch, ev) => poolLoop(w, batch, (p, oy, ox) => {
    let s = 0;
    const n = forWindow(w, oy, ox, (r, c) => { s += xs![p * plane + r * w.W + c]! - inP.zeroPoint; });
    return finish(rq(n)(s), range, ev);
  });
}

/**
 * Global average pool: S = sum of the plane's codes minus zx * HW (exact), then
 * zp + requant(S). onnxruntime (MlasQLinearGlobalAveragePool):
 * M = float32(s_in / float32(s_out * float32(HW))) and the float32
 * requantization; other schemes M = s_in / (s_out * HW) in double.
 */
export function globalAvgPoolKernel(x: readonly number[], inP: AffineParams, outP: AffineParams, scheme: RequantScheme): Kernel {
  const [C, H, W] = x as [number, number, number];
  const n = H * W;
  const M = scheme === 'onnxruntime' ? Math.fround(inP.scale / Math.fround(outP.scale * n)) : inP.scale / (outP.scale * n);
  const rq = makeRequant(M, outP.zeroPoint, scheme);
  const range = plainRange(outP);
  return ([xs], batch, ev) => {
    const y = new Int32Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      let s = -inP.zeroPoint * n;
      for (let i = p * n, e = i + n; i < e; i++) s += xs![i]!;
      y[p] = finish(rq(s), range, ev);
    }
    return y;
  };
}
