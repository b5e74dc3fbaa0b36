import type { ReduceKind } from './model-data.js';
import type { FSimple } from './float-net.js';

/** Data layers of the float network (float-net.ts), with the integer layers' semantics (model-data.ts). */
type Base = Omit<FSimple, 'op'>;

export interface FGather extends Base {
  op: 'gather';
  axis: number;
  indices: number[];
}

export interface FReduce extends Base {
  op: 'reduce';
  fn: ReduceKind;
  axes: number[];
  keepdims: boolean;
}

/** A constant tensor (the same for every sample) of `shape`, row-major float values. */
export interface FConstant extends Base {
  op: 'constant';
  values: Float64Array;
}

/** Constant-mode pad: r begin counts then r end counts; new positions hold `value` (a real number). */
export interface FPad extends Base {
  op: 'pad';
  pads: number[];
  value: number;
}

export type FData = FGather | FReduce | FConstant | FPad;
