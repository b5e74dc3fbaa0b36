import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import type { PoolLayer } from '../../quantize/model.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { forWindow, poolGeometry, poolLoop } from '../geometry.js';
import type { Kernel } from '../kernel.js';
import type { Averager } from '../scheme.js';
import { finish, makeRequant, type OutRange, type Requant } from './outstage.js';
import { pytorchAverage } from './pytorch.js';
import { dequantize } from './quantize.js';

/*
 * Average pools of affine models. The shared pool kernels (engine/pool.ts)
 * sum S = sum of (x - zx) exactly and call the averager: code = zp + requant(S)
 * with M = s_in / (s_out * divisor) (double) through the scheme; pytorch:
 * qnnpack's average (pytorch.ts). onnxruntime
 * computes both pools with its own float32 arithmetic (poolOverride below).
 */

export const plainRange = (p: AffineParams): OutRange => ({ lo: p.qmin, hi: p.qmax, satLo: p.qmin, satHi: p.qmax });

export function affineAverager(inP: AffineParams, outP: AffineParams, scheme: RequantScheme): Averager {
  const byCount = new Map<number, Requant>();
  const range = plainRange(outP);
  return {
    xOffset: inP.zeroPoint,
    finish: (sum, n, ev) => {
      let rq = byCount.get(n);
      if (!rq)
        byCount.set(
          n,
          (rq = scheme === 'pytorch' ? pytorchAverage(inP, outP, n) : makeRequant(inP.scale / (outP.scale * n), outP.zeroPoint, scheme)),
        );
      return finish(rq(sum), range, ev);
    },
  };
}

/**
 * onnxruntime's global average pool (MlasQLinearGlobalAveragePool):
 * S = sum of the plane's codes minus zx * HW (exact), then zp + requant(S)
 * with M = float32(s_in / float32(s_out * float32(HW))) and its float32
 * requantization.
 */
function ortGlobalAvgPool(inShape: readonly number[], inP: AffineParams, outP: AffineParams): Kernel {
  const [C, H, W] = inShape as [number, number, number];
  const n = H * W;
  const rq = makeRequant(Math.fround(inP.scale / Math.fround(outP.scale * n)), outP.zeroPoint, 'onnxruntime');
  const range = plainRange(outP);
  return ([xs], batch, ev) => {
    const y = new Float64Array(batch * C);
    for (let p = 0; p < batch * C; p++) {
      let s = -inP.zeroPoint * n;
      for (let i = p * n, e = i + n; i < e; i++) s += xs![i]!;
      y[p] = finish(rq(s), range, ev);
    }
    return y;
  };
}

/**
 * onnxruntime's QLinearAveragePool: each tap dequantized in float32, summed in
 * float32 in window order, divided by the divisor in float32, then
 * code = clamp(rne(float32(float32(avg / s_out) + zp))). A window covering
 * the whole unpadded plane runs its global average pool kernel instead.
 */
export function ortPool(l: PoolLayer | { op: 'globalavgpool' }, inShape: readonly number[], inP: AffineParams, outP: AffineParams): Kernel {
  const [, H, W] = inShape as [number, number, number];
  if (l.op === 'globalavgpool') return ortGlobalAvgPool(inShape, inP, outP);
  if (l.kernel[0] === H && l.kernel[1] === W && l.pads.every((p) => p === 0)) return ortGlobalAvgPool(inShape, inP, outP);
  const w = poolGeometry(l, inShape);
  const range = plainRange(outP);
  const dq = new Float64Array(256);
  for (let raw = 0; raw < 256; raw++) dq[raw] = dequantize(inP.type === 'int8' ? (raw << 24) >> 24 : raw, inP);
  return ([xs], batch, ev) =>
    poolLoop(w, batch, (base, oy, ox) => {
      let s = 0;
      const n = forWindow(w, oy, ox, (at) => {
        s = Math.fround(s + dq[xs![base + at]! & 0xff]!);
      });
      const v = Math.fround(Math.fround(Math.fround(s / n) / outP.scale) + outP.zeroPoint);
      return finish(roundDouble(v, 'RND_CONV'), range, ev);
    });
}
