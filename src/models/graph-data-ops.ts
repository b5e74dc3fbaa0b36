import type { NodeBase, Tensor } from './graph.js';

/**
 * Graph nodes for the general tensor operations of imported networks (the
 * conventions of graph.ts apply: per-sample shapes, one output per node).
 * Each node's exact float semantics is stated here; ops/ implements them.
 */

/**
 * Elementwise function of one operand, in IEEE float64:
 * Neg -x; Abs |x|; Sqrt, Exp, Log, Sin, Cos, Tan, Asin, Acos, Atan, Sinh,
 * Cosh, Asinh, Acosh, Atanh, Floor, Ceil as JavaScript's Math functions;
 * Round: half to even (ONNX Round); Sign: -1, 0 or 1 (NaN stays NaN);
 * Reciprocal 1/x; Erf: the error function; Softplus log(1 + exp(x)), computed
 * as max(x, 0) + log1p(exp(-|x|)) (equal in exact arithmetic, no overflow);
 * Mish x * tanh(softplus(x)); Softsign x / (1 + |x|); Trunc: toward zero
 * (Cast of a float to an integer type); Bool: 1 when x != 0 else 0 (Cast to
 * bool); Not: 1 when x == 0 else 0; IsNaN: 1 or 0.
 */
export type UnaryFn =
  | 'Neg'
  | 'Abs'
  | 'Sqrt'
  | 'Exp'
  | 'Log'
  | 'Sin'
  | 'Cos'
  | 'Tan'
  | 'Asin'
  | 'Acos'
  | 'Atan'
  | 'Sinh'
  | 'Cosh'
  | 'Asinh'
  | 'Acosh'
  | 'Atanh'
  | 'Floor'
  | 'Ceil'
  | 'Round'
  | 'Sign'
  | 'Reciprocal'
  | 'Erf'
  | 'Softplus'
  | 'Mish'
  | 'Softsign'
  | 'Trunc'
  | 'Bool'
  | 'Not'
  | 'IsNaN';

export const UNARY_FNS: readonly UnaryFn[] = [
  'Neg',
  'Abs',
  'Sqrt',
  'Exp',
  'Log',
  'Sin',
  'Cos',
  'Tan',
  'Asin',
  'Acos',
  'Atan',
  'Sinh',
  'Cosh',
  'Asinh',
  'Acosh',
  'Atanh',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
  'Reciprocal',
  'Erf',
  'Softplus',
  'Mish',
  'Softsign',
  'Trunc',
  'Bool',
  'Not',
  'IsNaN',
];

export interface UnaryNode extends NodeBase {
  readonly op: 'Unary';
  readonly attrs: { readonly fn: UnaryFn };
}

/**
 * Elementwise function of two operands with numpy broadcasting (as BinaryNode:
 * two runtime inputs, or one runtime input and constant weights.A (left) or
 * weights.B (right)). Min, Max (NaN if either is NaN), Pow (Math.pow), Mod
 * (fmod: sign of the dividend, ONNX Mod with fmod = 1), comparisons Equal,
 * Greater, Less, GreaterOrEqual, LessOrEqual and logic And, Or, Xor (operands
 * non-zero = true) give 1 or 0.
 */
export type BinaryFn =
  'Min' | 'Max' | 'Pow' | 'Mod' | 'Equal' | 'Greater' | 'Less' | 'GreaterOrEqual' | 'LessOrEqual' | 'And' | 'Or' | 'Xor';

export interface BinaryFnNode extends NodeBase {
  readonly op: 'Binary';
  readonly attrs: { readonly fn: BinaryFn };
  readonly weights: { readonly A?: Tensor; readonly B?: Tensor };
}

/**
 * ONNX Where(cond, X, Y): X where cond != 0, else Y, all three broadcast
 * together. An operand is a runtime input or a constant weight (cond, X, Y);
 * `inputs` lists the runtime operands in operand order.
 */
export interface WhereNode extends NodeBase {
  readonly op: 'Where';
  readonly weights: { readonly cond?: Tensor; readonly X?: Tensor; readonly Y?: Tensor };
}

/**
 * PRelu: x when x >= 0, else slope * x, the slope broadcast to the input
 * (right-aligned, as ONNX's unidirectional broadcasting).
 */
export interface PReluNode extends NodeBase {
  readonly op: 'PRelu';
  readonly weights: { readonly slope: Tensor };
}

/**
 * Constant-mode Pad of a per-sample tensor of rank r: attrs.pads holds r
 * begin counts then r end counts (negative counts crop); new positions hold
 * attrs.value.
 */
export interface PadNode extends NodeBase {
  readonly op: 'Pad';
  readonly attrs: { readonly pads: readonly number[]; readonly value: number };
}

/**
 * Selection along one per-sample axis: output index i on `axis` reads input
 * index indices[i] (each in range, repeats allowed), other axes unchanged.
 * Slice (one Gather per sliced axis), Split (one per part), Gather on data
 * and nearest-neighbour Resize (one per resized axis) are all this node.
 */
export interface GatherNode extends NodeBase {
  readonly op: 'Gather';
  readonly attrs: { readonly axis: number; readonly indices: readonly number[] };
}

/**
 * Reduction over per-sample axes (sorted, distinct), keeping them as size 1
 * when keepdims. Elements are combined in increasing row-major index order
 * from the first: Sum, Mean (the Sum divided by the count), Max, Min, Prod,
 * SumSquare (sum of x*x), L1 (sum of |x|), L2 (sqrt of SumSquare), LogSum
 * (log of Sum), LogSumExp (log of the sum of exp(x)).
 */
export type ReduceFn = 'Sum' | 'Mean' | 'Max' | 'Min' | 'Prod' | 'SumSquare' | 'L1' | 'L2' | 'LogSum' | 'LogSumExp';

export interface ReduceNode extends NodeBase {
  readonly op: 'Reduce';
  readonly attrs: { readonly fn: ReduceFn; readonly axes: readonly number[]; readonly keepdims: boolean };
}

/** A constant per-sample tensor (the same for every sample): an operand of Concat and friends. No inputs. */
export interface ConstantNode extends NodeBase {
  readonly op: 'Constant';
  readonly weights: { readonly value: Tensor };
}

export type DataOpNode = UnaryNode | BinaryFnNode | WhereNode | PReluNode | PadNode | GatherNode | ReduceNode | ConstantNode;
