import { activationFloat, parseActivation } from '../../../activations/float.js';
import { sizeOf } from '../../../models/graph.js';
import type { ActivationLayer, AddLayer, LayerEvents } from '../../quantize/model.js';
import { AFFINE_RANGE, type AffineLayer, type AffineParams, type FusedActivation } from '../../quantize/affine/types.js';
import { add, mul, ratOf } from './exact.js';
import { dequantize32, fmaF32, quantize32, rne } from './f32.js';
import { activateReal, codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/**
 * QLinearAdd: c = QuantizeLinear(DequantizeLinear(a) + DequantizeLinear(b)).
 * 'real': exact. 'float32': onnxruntime's x86-64 AVX2 kernel,
 * rA = f(sA/sC), rB = f(sB/sC), fixed = f(zC - fma(rA, zA, f(rB*zB))),
 * c = rne(fma(a, rA, fma(b, rB, fixed))) — or, when one operand is one value
 * over the innermost span, that operand folded into fixed first by an fma.
 */
function addOne(
  a: number,
  b: number,
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  act: FusedActivation | undefined,
  arithmetic: Arithmetic,
  scalar: 'none' | 'A' | 'B',
  ev: LayerEvents,
): number {
  if (arithmetic === 'real') {
    const ka = a - pa.zeroPoint,
      kb = b - pb.zeroPoint;
    const y = {
      approx: ka * pa.scale + kb * pb.scale,
      exact: () => add(mul(ratOf(ka), ratOf(pa.scale)), mul(ratOf(kb), ratOf(pb.scale))),
    };
    return saturate(codeOfReal(activateReal(y, act), pc), pc, ev);
  }
  const f = Math.fround;
  const rA = f(pa.scale / pc.scale),
    rB = f(pb.scale / pc.scale);
  const fixed = f(pc.zeroPoint - fmaF32(rA, pa.zeroPoint, f(rB * pb.zeroPoint)));
  const t = scalar === 'A' ? fmaF32(b, rB, fmaF32(a, rA, fixed)) : fmaF32(a, rA, fmaF32(b, rB, fixed));
  let code = rne(t);
  if (act !== undefined && code < pc.zeroPoint) code = pc.zeroPoint;
  if (act === 'relu6') code = Math.min(code, quantize32(6, pc));
  return saturate(code, pc, ev);
}

/** Element i's index into a constant of shape cshape broadcast (numpy, right-aligned) to shape. */
function constIndex(i: number, shape: readonly number[], cshape: readonly number[]): number {
  const coords: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    coords.unshift(i % shape[d]!);
    i = Math.floor(i / shape[d]!);
  }
  let idx = 0;
  const off = shape.length - cshape.length;
  for (let d = 0; d < cshape.length; d++) idx = idx * cshape[d]! + (cshape[d] === 1 ? 0 : coords[d + off]!);
  return idx;
}

export function referenceAdd(
  l: AffineLayer & AddLayer,
  shape: readonly number[],
  xs: Float64Array[],
  batch: number,
  ins: AffineParams[],
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): Float64Array {
  const n = sizeOf(shape);
  const act = l.activation as FusedActivation | undefined;
  const y = new Float64Array(batch * n);
  const k = l.constant;
  if (!k) {
    for (let i = 0; i < y.length; i++) y[i] = addOne(xs[0]![i]!, xs[1]![i]!, ins[0]!, ins[1]!, outP, act, arithmetic, 'none', ev);
    return y;
  }
  const [qmin, qmax] = AFFINE_RANGE[k.quant.type];
  const pk: AffineParams = { type: k.quant.type as 'int8', scale: k.quant.scale[0]!, zeroPoint: k.quant.zeroPoint[0]!, qmin, qmax };
  // one constant value over the innermost axis of size > 1: onnxruntime's scalar kernel
  let d = shape.length - 1;
  while (d > 0 && shape[d] === 1) d--;
  const cd = d - (shape.length - k.shape.length);
  const spans = sizeOf(k.shape) === 1 || cd < 0 || k.shape[cd] === 1;
  for (let i = 0; i < y.length; i++) {
    const c = k.codes[constIndex(i % n, shape, k.shape)]!;
    const x = xs[0]![i]!;
    y[i] = k.first
      ? addOne(c, x, pk, ins[0]!, outP, act, arithmetic, spans ? 'A' : 'none', ev)
      : addOne(x, c, ins[0]!, pk, outP, act, arithmetic, spans ? 'B' : 'none', ev);
  }
  return y;
}

/**
 * Activation on dequantized values: 'real' y = f((q - zp) * scale) in float64
 * (exact input; f as the activation library defines it), quantized exactly;
 * 'float32' quantize32(float32(f(dequantize32(q)))), onnxruntime's lookup-table rule.
 */
export function referenceActivation(
  l: ActivationLayer,
  x: Float64Array,
  inP: AffineParams,
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): Float64Array {
  const spec = parseActivation(l.activation);
  return x.map((q) => {
    if (arithmetic === 'float32') return saturate(quantize32(Math.fround(activationFloat(spec, dequantize32(q, inP))), outP), outP, ev);
    const v = activationFloat(spec, (q - inP.zeroPoint) * inP.scale);
    return saturate(codeOfReal({ approx: v, exact: () => ratOf(v) }, outP), outP, ev);
  });
}
