import type { BinaryFn, BinaryFnNode, PReluNode, Tensor, WhereNode } from '../graph.js';
import { sizeOf } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';
import { broadcastStrides } from './elementwise.js';

/** An operand of a broadcast kernel: a constant, or the next runtime input. */
type Operand = { shape: readonly number[]; constant?: Tensor };

/**
 * Elementwise kernel over any number of operands with numpy broadcasting per
 * sample: y[i] = f(operand values at i). Constants are shared by every sample;
 * runtime operands advance by their per-sample size.
 */
function broadcastKernel(operands: readonly Operand[], outShape: readonly number[], prep: Prep, f: (v: number[]) => number): Kernel {
  const out = outShape.length === 0 ? [1] : outShape;
  const strides = operands.map((o) => broadcastStrides(o.shape, out));
  const consts = operands.map((o) => (o.constant ? prep.weight(o.constant) : undefined));
  const per = operands.map((o) => (o.constant ? 0 : sizeOf(o.shape)));
  const size = sizeOf(out);
  const r = out.length;
  return (ins, batch) => {
    let k = 0;
    const data = consts.map((c) => c ?? ins[k++]!);
    const y = new Float64Array(batch * size);
    const idx = new Array<number>(r).fill(0);
    const vals = new Array<number>(operands.length).fill(0);
    for (let s = 0; s < batch; s++) {
      idx.fill(0);
      for (let i = 0; i < size; i++) {
        for (let o = 0; o < operands.length; o++) {
          let off = s * per[o]!;
          const st = strides[o]!;
          for (let d = 0; d < r; d++) off += idx[d]! * st[d]!;
          vals[o] = data[o]![off]!;
        }
        y[s * size + i] = f(vals);
        for (let d = r - 1; d >= 0; d--) {
          if (++idx[d]! < out[d]!) break;
          idx[d] = 0;
        }
      }
    }
    return y;
  };
}

const bool = (c: boolean): number => (c ? 1 : 0);

const BINARY: Record<BinaryFn, (a: number, b: number) => number> = {
  Min: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  Max: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  Pow: Math.pow,
  Mod: (a, b) => a % b,
  Equal: (a, b) => bool(a === b),
  Greater: (a, b) => bool(a > b),
  Less: (a, b) => bool(a < b),
  GreaterOrEqual: (a, b) => bool(a >= b),
  LessOrEqual: (a, b) => bool(a <= b),
  And: (a, b) => bool(a !== 0 && b !== 0),
  Or: (a, b) => bool(a !== 0 || b !== 0),
  Xor: (a, b) => bool((a !== 0) !== (b !== 0)),
};

/** The float64 function of a Binary node. */
export function binaryFn(fn: BinaryFn): (a: number, b: number) => number {
  return BINARY[fn];
}

/** Operands in operand order: each slot a constant, or the next runtime input's shape. */
function slots(consts: readonly (Tensor | undefined)[], inShapes: readonly (readonly number[])[]): Operand[] {
  let k = 0;
  return consts.map((c) => (c ? { shape: c.shape, constant: c } : { shape: inShapes[k++]! }));
}

export function binaryFnKernel(
  node: BinaryFnNode,
  inShapes: readonly (readonly number[])[],
  outShape: readonly number[],
  prep: Prep,
): Kernel {
  const f = BINARY[node.attrs.fn];
  return broadcastKernel(slots([node.weights.A, node.weights.B], inShapes), outShape, prep, (v) => f(v[0]!, v[1]!));
}

export function whereKernel(node: WhereNode, inShapes: readonly (readonly number[])[], outShape: readonly number[], prep: Prep): Kernel {
  const w = node.weights;
  return broadcastKernel(slots([w.cond, w.X, w.Y], inShapes), outShape, prep, (v) => (v[0] !== 0 ? v[1]! : v[2]!));
}

export function preluKernel(node: PReluNode, inShape: readonly number[], prep: Prep): Kernel {
  return broadcastKernel([{ shape: inShape }, { shape: node.weights.slope.shape, constant: node.weights.slope }], inShape, prep, (v) =>
    v[0]! < 0 ? v[1]! * v[0]! : v[0]!,
  );
}
