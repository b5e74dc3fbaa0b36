/**
 * A labelled data set, with samples exactly as the source stores them (raw
 * pixel values 0..16 for digits, 0..255 for IDX images): any normalization is
 * part of a model's graph, never of the data.
 */
export interface DataSplit {
  /** count x size(inputShape) values, row-major, sample-major. Uint8 sources are kept as Uint8Array. */
  readonly x: Float64Array | Float32Array | Uint8Array;
  /** count labels in 0 .. numClasses-1. */
  readonly y: Int32Array;
  readonly count: number;
}

export interface Dataset {
  /** 'digits', 'fashion-mnist', or the path given. */
  readonly name: string;
  /** Where the data came from (file or directory). */
  readonly source: string;
  /** Per-sample shape: [1, 8, 8] for digits, [1, 28, 28] for IDX images, [features] for CSV. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Class names when the source has them (CSV string labels), else '0', '1', ... */
  readonly classNames: readonly string[];
  /** Largest |value| in the training split: trained models scale their input by 1/inputScale. */
  readonly inputScale: number;
  readonly train: DataSplit;
  readonly test: DataSplit;
  /** false when the set has no labels (every label -1): accuracy refuses it. Absent means labelled. */
  readonly labelled?: boolean;
}

export type SplitName = 'train' | 'test' | 'all';

/** The samples of one split, or both concatenated (train first) for 'all' (one set serving both splits is not repeated). */
export function splitOf(ds: Dataset, split: SplitName): DataSplit {
  if (split === 'train') return ds.train;
  if (split === 'test' || ds.train === ds.test) return ds.test;
  const a = ds.train,
    b = ds.test;
  const x = new (a.x.constructor as Float64ArrayConstructor)(a.x.length + b.x.length);
  x.set(a.x);
  x.set(b.x, a.x.length);
  const y = new Int32Array(a.count + b.count);
  y.set(a.y);
  y.set(b.y, a.count);
  return { x, y, count: a.count + b.count };
}

/** Samples [start, start+count) of a split as a Float64Array (the float engines' input). */
export function batchOf(split: DataSplit, perSample: number, start: number, count: number): Float64Array {
  return Float64Array.from(split.x.subarray(start * perSample, (start + count) * perSample));
}

/** Largest absolute value of an array (0 for an empty one). */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}
