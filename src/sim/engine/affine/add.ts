import { multiplyByQuantizedMultiplier } from '../../../fixedpoint/gemmlowp.js';
import { quantizeMultiplier } from '../../../fixedpoint/multiplier.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { roundDouble } from '../../../fixedpoint/rounding.js';
import { sizeOf } from '../../../models/graph.js';
import type { AddLayer } from '../../quantize/model.js';
import {
  AFFINE_RANGE,
  channelScale,
  channelZeroPoint,
  tensorParams,
  type Affine8,
  type AffineLayer,
  type AffineParams,
  type FusedActivation,
} from '../../quantize/affine/types.js';
import { fma32 } from './fma.js';
import type { Kernel } from '../kernel.js';
import { finish, fusedRange } from './outstage.js';
import { pytorchAdd } from './pytorch.js';

/*
 * Quantized addition C = A + B of two 8-bit affine tensors (QLinearAdd
 * semantics: real c = real a + real b, requantized to C's quant), B either a
 * runtime tensor of A's shape or a constant broadcast to it.
 */

/** (a, b) codes -> unclamped output code. */
type AddFn = (a: number, b: number) => number;

/**
 * onnxruntime on x86-64 with AVX2 (MlasQLinearAddKernelAvx2Helper, as the
 * shipped binary computes it — the compiler contracts its multiply-adds into
 * FMAs; checked against onnxruntime-node on every pair of codes):
 * rA = float32(sA / sC), rB = float32(sB / sC),
 * fixed = float32(zpC - fma(rA, zpA, float32(rB * zpB))),
 * c = rne(fma(a, rA, fma(b, rB, fixed))) on the raw codes. When one operand
 * is a single value per call (a scalar span) it is folded first,
 * fixed' = fma(s, r_s, fixed), and c = rne(fma(x, r_x, fixed')). No clamp
 * before the conversion; the pack instructions saturate after it.
 * Arguments are in ONNX order (A first).
 */
function ortAdd(pa: AffineParams, pb: AffineParams, pc: AffineParams, scalar: 'none' | 'A' | 'B'): AddFn {
  const rA = Math.fround(pa.scale / pc.scale);
  const rB = Math.fround(pb.scale / pc.scale);
  const fixed = Math.fround(pc.zeroPoint - fma32(rA, pa.zeroPoint, Math.fround(rB * pb.zeroPoint)));
  if (scalar === 'B') return (a, b) => roundDouble(fma32(a, rA, fma32(b, rB, fixed)), 'RND_CONV');
  if (scalar === 'A') return (a, b) => roundDouble(fma32(b, rB, fma32(a, rA, fixed)), 'RND_CONV');
  return (a, b) => roundDouble(fma32(a, rA, fma32(b, rB, fixed)), 'RND_CONV');
}

/**
 * TFLite's integer Add (gemmlowp / single-rounding): left shift 20, both inputs
 * scaled to twice the larger input scale, summed, scaled to the output:
 * c = zpC + MBQM(MBQM((a - zpA) << 20, mA) + MBQM((b - zpB) << 20, mB), mOut)
 * with MBQM = MultiplyByQuantizedMultiplier of the scheme and the multipliers
 * sA / (2 max), sB / (2 max), 2 max / (2^20 sC) (double) quantized.
 */
function tfliteAdd(pa: AffineParams, pb: AffineParams, pc: AffineParams, scheme: 'gemmlowp' | 'single-rounding'): AddFn {
  const twiceMax = 2 * Math.max(pa.scale, pb.scale);
  const qa = quantizeMultiplier(pa.scale / twiceMax, scheme);
  const qb = quantizeMultiplier(pb.scale / twiceMax, scheme);
  const qo = quantizeMultiplier(twiceMax / (2 ** 20 * pc.scale), scheme);
  return (a, b) => {
    const sa = multiplyByQuantizedMultiplier((a - pa.zeroPoint) * 2 ** 20, qa.multiplier, qa.shift, scheme);
    const sb = multiplyByQuantizedMultiplier((b - pb.zeroPoint) * 2 ** 20, qb.multiplier, qb.shift, scheme);
    return pc.zeroPoint + multiplyByQuantizedMultiplier(sa + sb, qo.multiplier, qo.shift, scheme);
  };
}

/** tflite-float: zpC + round_half_away((sA (a - zpA) + sB (b - zpB)) / sC) in double. */
function floatAdd(pa: AffineParams, pb: AffineParams, pc: AffineParams): AddFn {
  return (a, b) => pc.zeroPoint + roundDouble((pa.scale * (a - pa.zeroPoint) + pb.scale * (b - pb.zeroPoint)) / pc.scale, 'RND_INF');
}

export function addFn(pa: AffineParams, pb: AffineParams, pc: AffineParams, scheme: RequantScheme, scalar: 'none' | 'A' | 'B'): AddFn {
  switch (scheme) {
    case 'onnxruntime':
      return ortAdd(pa, pb, pc, scalar);
    case 'tflite-float':
      return floatAdd(pa, pb, pc);
    case 'pytorch':
      return pytorchAdd(pa, pb, pc);
    default:
      return tfliteAdd(pa, pb, pc, scheme);
  }
}

/** For each element of a per-sample tensor of `shape`, the index of the broadcast constant of `cshape` (numpy rules). */
export function broadcastIndex(shape: readonly number[], cshape: readonly number[]): Int32Array {
  const n = sizeOf(shape);
  const idx = new Int32Array(n);
  const off = shape.length - cshape.length;
  for (let i = 0; i < n; i++) {
    let rem = i,
      ci = 0,
      cstride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
      const cd = d - off;
      if (cd >= 0) {
        if (cshape[cd]! !== 1) ci += coord * cstride;
        cstride *= cshape[cd]!;
      }
    }
    idx[i] = ci;
  }
  return idx;
}

/** True when the constant is one value along the innermost non-trivial axis (onnxruntime then calls its scalar-B kernel per span). */
export function scalarSpans(shape: readonly number[], cshape: readonly number[]): boolean {
  if (sizeOf(cshape) === 1) return true;
  let d = shape.length - 1;
  while (d > 0 && shape[d] === 1) d--;
  const cd = d - (shape.length - cshape.length);
  return cd < 0 || cshape[cd] === 1;
}

export function addKernel(l: AffineLayer & AddLayer, shape: readonly number[], ins: AffineParams[], scheme: RequantScheme): Kernel {
  const pc = tensorParams(l.out, `layer '${l.name}' out`);
  const range = fusedRange(l.activation as FusedActivation | undefined, pc, scheme);
  const n = sizeOf(shape);
  if (!l.constant) {
    const f = addFn(ins[0]!, ins[1]!, pc, scheme, 'none');
    return ([a, b], batch, ev) => {
      const y = new Float64Array(batch * n);
      for (let i = 0; i < y.length; i++) y[i] = finish(f(a![i]!, b![i]!), range, ev);
      return y;
    };
  }
  const cq = l.constant.quant;
  const [qmin, qmax] = AFFINE_RANGE[cq.type];
  const pk: AffineParams = { type: cq.type as Affine8, scale: channelScale(cq, 0), zeroPoint: channelZeroPoint(cq, 0), qmin, qmax };
  const first = l.constant.first === true;
  const scalar = scalarSpans(shape, l.constant.shape) ? (first ? 'A' : 'B') : 'none';
  const g = first ? addFn(pk, ins[0]!, pc, scheme, scalar) : addFn(ins[0]!, pk, pc, scheme, scalar);
  const idx = broadcastIndex(shape, l.constant.shape);
  const codes = l.constant.codes;
  return ([a], batch, ev) => {
    const y = new Float64Array(batch * n);
    if (first) for (let i = 0; i < y.length; i++) y[i] = finish(g(codes[idx[i % n]!]!, a![i]!), range, ev);
    else for (let i = 0; i < y.length; i++) y[i] = finish(g(a![i]!, codes[idx[i % n]!]!), range, ev);
    return y;
  };
}
