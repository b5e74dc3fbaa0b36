import { UserError } from '../../errors.js';

/** Largest number of classes a data set may have (class-index labels are 0 .. MAX_CLASSES-1). */
export const MAX_CLASSES = 65536;

/**
 * Class-index labels: every value an integer in 0 .. MAX_CLASSES-1 (a larger
 * one is refused rather than wrapped or expanded into millions of empty
 * classes). Returns the labels and the class count (largest label + 1).
 */
export function classLabels(values: ArrayLike<number>, what: string): { y: Int32Array; numClasses: number } {
  const y = new Int32Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < MAX_CLASSES))
      throw new UserError(`${what}: label ${v} at index ${i} is not a class index (an integer 0..${MAX_CLASSES - 1})`);
    y[i] = v;
    if (v + 1 > k) k = v + 1;
  }
  return { y, numClasses: k };
}

/** Labels of an unlabelled set: -1 marks "no label"; accuracy refuses such a split. */
export function noLabels(count: number): Int32Array {
  return new Int32Array(count).fill(-1);
}
