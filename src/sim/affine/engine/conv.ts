import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { windowOutput } from '../../../models/window.js';
import type { ConvLayer, LayerEvents } from '../../model.js';
import type { AffineLayer, AffineParams } from '../types.js';
import { gemmNT } from './gemm.js';
import type { Kernel } from './kernel.js';
import { finish } from './outstage.js';
import { accStep, planLinear, type LinearPlan } from './stage.js';

/*
 * QLinearConv on int8/uint8 codes. The input minus its zero point is copied
 * into a zero-padded plane (ONNX pads with the zero point, i.e. with real 0),
 * so every tap is a product and out-of-image taps contribute 0. Each output
 * accumulates bias[m] + sum over (c, i, j) of (x - zx) * (w - zw[m]): on the
 * fast path as patches (im2col) times weight rows, exact in doubles;
 * otherwise every step passes through the accumulator's overflow mode in
 * (c, i, j) order.
 */

interface Geometry {
  C: number; H: number; W: number; M: number; cg: number; kh: number; kw: number;
  sh: number; sw: number; dh: number; dw: number; pt: number; pl: number;
  Hp: number; Wp: number; OH: number; OW: number; mPerGroup: number;
}

function geometry(l: ConvLayer, x: readonly number[]): Geometry {
  const [M, cg, kh, kw] = l.weights.shape as [number, number, number, number];
  const [C, H, W] = x as [number, number, number];
  const [pt, pl, pb, pr] = l.pads;
  return {
    C, H, W, M, cg, kh, kw, sh: l.strides[0], sw: l.strides[1], dh: l.dilations[0], dw: l.dilations[1], pt, pl,
    Hp: H + pt + pb, Wp: W + pl + pr, mPerGroup: M / l.group,
    OH: windowOutput(H, kh, l.strides[0], pt, pb, l.dilations[0], false),
    OW: windowOutput(W, kw, l.strides[1], pl, pr, l.dilations[1], false),
  };
}

function pad(x: Int32Array, off: number, g: Geometry, zx: number, xp: Int32Array): void {
  for (let c = 0; c < g.C; c++) {
    for (let i = 0; i < g.H; i++) {
      const src = off + (c * g.H + i) * g.W;
      const dst = (c * g.Hp + i + g.pt) * g.Wp + g.pl;
      for (let j = 0; j < g.W; j++) xp[dst + j] = x[src + j]! - zx;
    }
  }
}

/**
 * The patches of group g: row = output pixel (oy, ox), column = tap (c, i, j)
 * of the group's input channels, read from the zero-padded plane.
 */
function im2col(xp: Int32Array, g0: number, geo: Geometry, out: Int32Array): void {
  let o = 0;
  for (let oy = 0; oy < geo.OH; oy++) {
    for (let ox = 0; ox < geo.OW; ox++) {
      for (let c = 0; c < geo.cg; c++) {
        const plane = (g0 + c) * geo.Hp * geo.Wp;
        for (let i = 0; i < geo.kh; i++) {
          const row = plane + (oy * geo.sh + i * geo.dh) * geo.Wp + ox * geo.sw;
          for (let j = 0; j < geo.kw; j++) out[o++] = xp[row + j * geo.dw]!;
        }
      }
    }
  }
}

/** Accumulators of every output channel, [M, OH * OW]: per group, patches times the group's weight rows (gemm.ts). */
function accumulateFast(acc: Float64Array, xp: Int32Array, p: LinearPlan, geo: Geometry, patches: Int32Array): void {
  const cols = geo.cg * geo.kh * geo.kw;
  const pixels = geo.OH * geo.OW;
  const groups = geo.M / geo.mPerGroup;
  for (let g = 0; g < groups; g++) {
    im2col(xp, g * geo.cg, geo, patches);
    const m0 = g * geo.mPerGroup;
    gemmNT(patches, pixels, p.wz.subarray(m0 * cols, (m0 + geo.mPerGroup) * cols), geo.mPerGroup, cols,
      p.bias.subarray(m0, m0 + geo.mPerGroup), acc.subarray(m0 * pixels), 1, pixels);
  }
}

function channelSteps(acc: Float64Array, xp: Int32Array, m: number, p: LinearPlan, g: Geometry, ev: LayerEvents): void {
  const c0 = Math.floor(m / g.mPerGroup) * g.cg;
  for (let oy = 0; oy < g.OH; oy++) {
    for (let ox = 0; ox < g.OW; ox++) {
      let a = accStep(p.bias[m]!, p, ev);
      for (let c = 0; c < g.cg; c++) {
        for (let i = 0; i < g.kh; i++) {
          for (let j = 0; j < g.kw; j++) {
            const x = xp[((c0 + c) * g.Hp + oy * g.sh + i * g.dh) * g.Wp + ox * g.sw + j * g.dw]!;
            a = accStep(a + x * p.wz[((m * g.cg + c) * g.kh + i) * g.kw + j]!, p, ev);
          }
        }
      }
      acc[oy * g.OW + ox] = a;
    }
  }
}

export function convKernel(
  l: AffineLayer & ConvLayer, inShape: readonly number[], inP: AffineParams, outP: AffineParams, scheme: RequantScheme,
): Kernel {
  const p = planLinear(l, inP, outP, scheme);
  const g = geometry(l, inShape);
  const inSize = g.C * g.H * g.W;
  const plane = g.OH * g.OW;
  const xp = new Int32Array(g.C * g.Hp * g.Wp);
  const acc = new Float64Array(g.M * plane);
  const patches = new Int32Array(plane * g.cg * g.kh * g.kw);
  return ([x], batch, ev) => {
    const y = new Int32Array(batch * g.M * plane);
    for (let b = 0; b < batch; b++) {
      pad(x!, b * inSize, g, inP.zeroPoint, xp);
      if (p.exact) accumulateFast(acc, xp, p, g, patches);
      else for (let m = 0; m < g.M; m++) channelSteps(acc.subarray(m * plane), xp, m, p, g, ev);
      for (let m = 0; m < g.M; m++) {
        const rq = p.requant[m]!;
        const o = (b * g.M + m) * plane;
        for (let i = 0; i < plane; i++) y[o + i] = finish(rq(acc[m * plane + i]!), p.range, ev);
      }
    }
    return y;
  };
}
