import { sizeOf } from '../../../models/graph.js';
import type { LayerEvents } from '../../quantize/model.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { broadcastSource } from '../broadcast.js';
import { mul, ratOf } from './exact.js';
import { rne } from './f32.js';
import { codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/**
 * QLinearMul: c = QuantizeLinear(DequantizeLinear(a) * DequantizeLinear(b)),
 * b broadcast to a's shape. 'real': the exact product rounded half to even.
 * 'float32': the definition in float32 operations, vA = f(sA (a - zA)),
 * vB = f(sB (b - zB)), c = rne(f(f(vA vB) / sC)) + zC, saturated.
 */
function mulOne(
  a: number,
  b: number,
  pa: AffineParams,
  pb: AffineParams,
  pc: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): number {
  const ka = a - pa.zeroPoint,
    kb = b - pb.zeroPoint;
  if (arithmetic === 'real') {
    const y = { approx: ka * pa.scale * kb * pb.scale, exact: () => mul(mul(ratOf(ka), ratOf(pa.scale)), mul(ratOf(kb), ratOf(pb.scale))) };
    return saturate(codeOfReal(y, pc), pc, ev);
  }
  const f = Math.fround;
  return saturate(rne(f(f(f(pa.scale * ka) * f(pb.scale * kb)) / pc.scale)) + pc.zeroPoint, pc, ev);
}

export function referenceMul(
  shape: readonly number[],
  bShape: readonly number[],
  xs: Float64Array[],
  batch: number,
  ins: AffineParams[],
  outP: AffineParams,
  arithmetic: Arithmetic,
  ev: LayerEvents,
): Float64Array {
  const src = broadcastSource(shape, bShape);
  const n = sizeOf(shape),
    nb = sizeOf(bShape);
  const y = new Float64Array(batch * n);
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < n; i++)
      y[s * n + i] = mulOne(xs[0]![s * n + i]!, xs[1]![s * nb + src[i]!]!, ins[0]!, ins[1]!, outP, arithmetic, ev);
  }
  return y;
}
