import { activationFloat, type ActivationSpec } from '../../activations/float.js';
import type { BinaryNode } from '../graph.js';
import { sizeOf } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';

/** Strides of `shape` read through broadcasting into `out` (0 on broadcast axes), right-aligned. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = out.length - shape.length + i;
    strides[o] = shape[i] === 1 && out[o] !== 1 ? 0 : s;
    s *= shape[i]!;
  }
  return strides;
}

type BinOp = 'Add' | 'Sub' | 'Mul' | 'Div';

/** Applies op along one row: y[yo + t] = a[ao + t*sa] op b[bo + t*sb] for t < n. */
function row(
  op: BinOp,
  a: Float64Array,
  ao: number,
  sa: number,
  b: Float64Array,
  bo: number,
  sb: number,
  y: Float64Array,
  yo: number,
  n: number,
): void {
  switch (op) {
    case 'Add':
      for (let t = 0; t < n; t++) y[yo + t] = a[ao + t * sa]! + b[bo + t * sb]!;
      break;
    case 'Sub':
      for (let t = 0; t < n; t++) y[yo + t] = a[ao + t * sa]! - b[bo + t * sb]!;
      break;
    case 'Mul':
      for (let t = 0; t < n; t++) y[yo + t] = a[ao + t * sa]! * b[bo + t * sb]!;
      break;
    case 'Div':
      for (let t = 0; t < n; t++) y[yo + t] = a[ao + t * sa]! / b[bo + t * sb]!;
      break;
  }
}

/**
 * Elementwise Add/Sub/Mul/Div with numpy broadcasting per sample; one IEEE
 * operation per output element. A constant operand is shared by every sample;
 * a runtime operand advances by its per-sample size.
 */
export function binaryKernel(node: BinaryNode, inShapes: readonly (readonly number[])[], outShape: readonly number[], prep: Prep): Kernel {
  const { A, B } = node.weights;
  const aShape = A ? A.shape : inShapes[0]!;
  const bShape = B ? B.shape : A ? inShapes[0]! : inShapes[1]!;
  const out = outShape.length === 0 ? [1] : outShape;
  const sa = broadcastStrides(aShape, out);
  const sb = broadcastStrides(bShape, out);
  const aConst = A ? prep.weight(A) : undefined;
  const bConst = B ? prep.weight(B) : undefined;
  const aBatch = A ? 0 : sizeOf(aShape);
  const bBatch = B ? 0 : sizeOf(bShape);
  const size = sizeOf(out);
  const last = out.length - 1;
  const n = out[last]!;
  const outer = size / n;
  const op = node.op;
  return (ins, batch) => {
    const a = aConst ?? ins[0]!;
    const b = bConst ?? (A ? ins[0]! : ins[1]!);
    const y = new Float64Array(batch * size);
    const idx = new Array<number>(out.length).fill(0);
    for (let s = 0; s < batch; s++) {
      idx.fill(0);
      for (let r = 0; r < outer; r++) {
        let ao = s * aBatch,
          bo = s * bBatch;
        for (let d = 0; d < last; d++) {
          ao += idx[d]! * sa[d]!;
          bo += idx[d]! * sb[d]!;
        }
        row(op, a, ao, sa[last]!, b, bo, sb[last]!, y, s * size + r * n, n);
        for (let d = last - 1; d >= 0; d--) {
          if (++idx[d]! < out[d]!) break;
          idx[d] = 0;
        }
      }
    }
    return y;
  };
}

/** Elementwise activation, activationFloat's exact semantics (ReLU and HeLU inlined). */
export function activationKernel(spec: ActivationSpec): Kernel {
  if (spec.kind === 'relu' || spec.kind === 'helu') {
    return (ins) => {
      const x = ins[0]!;
      const y = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i]!;
        y[i] = v > 0 ? v : 0;
      }
      return y;
    };
  }
  return (ins) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = activationFloat(spec, x[i]!);
    return y;
  };
}
