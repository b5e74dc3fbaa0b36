import { erf } from '../../activations/float.js';
import type { UnaryFn } from '../graph.js';
import type { Kernel } from './kernel.js';

/** ONNX Round: to the nearest integer, halves to even. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** log(1 + exp(x)) as max(x, 0) + log1p(exp(-|x|)): no overflow for large x. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const FNS: Record<UnaryFn, (x: number) => number> = {
  Neg: (x) => -x,
  Abs: Math.abs,
  Sqrt: Math.sqrt,
  Exp: Math.exp,
  Log: Math.log,
  Sin: Math.sin,
  Cos: Math.cos,
  Tan: Math.tan,
  Asin: Math.asin,
  Acos: Math.acos,
  Atan: Math.atan,
  Sinh: Math.sinh,
  Cosh: Math.cosh,
  Asinh: Math.asinh,
  Acosh: Math.acosh,
  Atanh: Math.atanh,
  Floor: Math.floor,
  Ceil: Math.ceil,
  Round: roundHalfEven,
  Sign: (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0),
  Reciprocal: (x) => 1 / x,
  Erf: erf,
  Softplus: softplus,
  Mish: (x) => x * Math.tanh(softplus(x)),
  Softsign: (x) => x / (1 + Math.abs(x)),
  Trunc: Math.trunc,
  Bool: (x) => (x !== 0 ? 1 : 0),
  Not: (x) => (x === 0 ? 1 : 0),
  IsNaN: (x) => (Number.isNaN(x) ? 1 : 0),
};

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
