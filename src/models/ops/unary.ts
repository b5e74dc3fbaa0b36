import { UNARY_FORMULAS, type UnaryKind } from '../../activations/elementwise.js';
import { UNARY_FNS, type UnaryFn } from '../graph-data-ops.js';
import type { Kernel } from './kernel.js';

/** The formulas of elementwise units, by ONNX op name (Trunc and Bool: Cast to an integer type, to bool). */
const FNS = Object.fromEntries(UNARY_FNS.map((fn) => [fn, UNARY_FORMULAS[unaryKind(fn)]])) as Record<UnaryFn, (x: number) => number>;

/** The float64 function of a Unary node (graph-data-ops.ts states each). */
export function unaryFn(fn: UnaryFn): (x: number) => number {
  return FNS[fn];
}

export function unaryKernel(fn: UnaryFn): Kernel {
  const f = FNS[fn];
  return (ins) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
    return y;
  };
}

/** The activation unit of a Unary node: its op name in lower case. */
export function unaryKind(fn: UnaryFn): UnaryKind {
  return fn.toLowerCase() as UnaryKind;
}
