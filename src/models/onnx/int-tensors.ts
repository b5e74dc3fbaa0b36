import type { Tensor } from '../graph.js';

/*
 * Constant tensors of an integer ONNX type (int8 ... int64, bool), and the
 * shape arithmetic folded from them, as the ONNX type rules carry the type
 * through: Shape gives int64, Cast gives its `to` type, every other folded
 * op keeps its operands' type. Division differs by type: ONNX Div of
 * integers truncates toward zero (torch.chunk's split points (C + 1) / 2).
 */
const INTEGER = new WeakSet<Tensor>();

export function markInteger<T extends Tensor>(t: T): T {
  INTEGER.add(t);
  return t;
}

export const isInteger = (t: Tensor | undefined): boolean => t !== undefined && INTEGER.has(t);

/**
 * The folded result of `op` is of an integer type: by the op's rule (Shape;
 * Cast by `to`; ConstantOfShape by its value's type, float without one),
 * else when every operand is.
 */
export function foldedInteger(op: string, ins: readonly (Tensor | undefined)[], castTo: number | undefined, value: unknown): boolean {
  if (op === 'Shape') return true;
  if (op === 'ConstantOfShape') return isInteger(value as Tensor | undefined);
  if (op === 'Cast') return castTo !== 1 && castTo !== 10 && castTo !== 11 && castTo !== 16;
  const present = ins.filter((i) => i !== undefined);
  return present.length > 0 && present.every(isInteger);
}
