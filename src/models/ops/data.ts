import type { GatherNode, PadNode, ReduceFn, ReduceNode, Tensor } from '../graph.js';
import { sizeOf } from '../graph.js';
import type { Kernel, Prep } from './kernel.js';

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let i = shape.length - 1, m = 1; i >= 0; i--) {
    s[i] = m;
    m *= shape[i]!;
  }
  return s;
}

/**
 * For every output position of a per-sample data movement, the input offset
 * it reads (-1 for "no input": a pad value). `source(axis, i)` maps an output
 * index on an axis to an input index or -1.
 */
function movementMap(inShape: readonly number[], outShape: readonly number[], source: (axis: number, i: number) => number): Int32Array {
  const inStr = stridesOf(inShape);
  const map = new Int32Array(sizeOf(outShape));
  const idx = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < map.length; o++) {
    let off = 0;
    for (let d = 0; d < outShape.length && off >= 0; d++) {
      const i = source(d, idx[d]!);
      off = i < 0 ? -1 : off + i * inStr[d]!;
    }
    map[o] = off;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return map;
}

function movementKernel(inShape: readonly number[], map: Int32Array, fill: number): Kernel {
  const inSize = sizeOf(inShape),
    outSize = map.length;
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * outSize);
    for (let s = 0; s < batch; s++) {
      const xo = s * inSize,
        yo = s * outSize;
      for (let o = 0; o < outSize; o++) {
        const m = map[o]!;
        y[yo + o] = m < 0 ? fill : x[xo + m]!;
      }
    }
    return y;
  };
}

/** The input offset each output position of a Pad reads (-1 for the pad value). */
export function padMap(node: PadNode, inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const p = node.attrs.pads;
  return movementMap(inShape, outShape, (d, i) => {
    const j = i - p[d]!;
    return j >= 0 && j < inShape[d]! ? j : -1;
  });
}

/** The input offset each output position of a Gather reads. */
export function gatherMap(node: GatherNode, inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const { axis, indices } = node.attrs;
  return movementMap(inShape, outShape, (d, i) => (d === axis ? indices[i]! : i));
}

export function padKernel(node: PadNode, inShape: readonly number[], outShape: readonly number[], prep: Prep): Kernel {
  return movementKernel(inShape, padMap(node, inShape, outShape), prep.weight({ shape: [], data: Float64Array.of(node.attrs.value) })[0]!);
}

export function gatherKernel(node: GatherNode, inShape: readonly number[], outShape: readonly number[]): Kernel {
  return movementKernel(inShape, gatherMap(node, inShape, outShape), 0);
}

/** A constant per-sample tensor repeated for every sample of the batch. */
export function constantKernel(value: Tensor, prep: Prep): Kernel {
  const v = prep.weight(value);
  return (_ins, batch) => {
    const y = new Float64Array(batch * v.length);
    for (let s = 0; s < batch; s++) y.set(v, s * v.length);
    return y;
  };
}

interface Fold {
  init: (x: number) => number;
  step: (acc: number, x: number) => number;
  end: (acc: number, n: number) => number;
}

const SUM: Fold = { init: (x) => x, step: (a, x) => a + x, end: (a) => a };
const FOLDS: Record<ReduceFn, Fold> = {
  Sum: SUM,
  Mean: { ...SUM, end: (a, n) => a / n },
  Max: { init: (x) => x, step: (a, x) => (Number.isNaN(a) || x > a ? x : a), end: (a) => a },
  Min: { init: (x) => x, step: (a, x) => (Number.isNaN(a) || x < a ? x : a), end: (a) => a },
  Prod: { init: (x) => x, step: (a, x) => a * x, end: (a) => a },
  SumSquare: { init: (x) => x * x, step: (a, x) => a + x * x, end: (a) => a },
  L1: { init: Math.abs, step: (a, x) => a + Math.abs(x), end: (a) => a },
  L2: { init: (x) => x * x, step: (a, x) => a + x * x, end: Math.sqrt },
  LogSum: { ...SUM, end: Math.log },
  LogSumExp: { init: Math.exp, step: (a, x) => a + Math.exp(x), end: Math.log },
};

/** Reduction over per-sample axes; each output combines its elements in increasing input offset. */
export function reduceKernel(node: ReduceNode, inShape: readonly number[], outShape: readonly number[]): Kernel {
  const { fn, axes } = node.attrs;
  const f = FOLDS[fn];
  const kept = inShape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keptStr = stridesOf(kept);
  const inSize = sizeOf(inShape),
    outSize = sizeOf(outShape),
    n = inSize / outSize;
  // target[i]: the output element input offset i contributes to (kept shape's row-major order = output order).
  const target = new Int32Array(inSize);
  const idx = new Array<number>(inShape.length).fill(0);
  for (let i = 0; i < inSize; i++) {
    let t = 0;
    for (let d = 0; d < inShape.length; d++) if (!axes.includes(d)) t += idx[d]! * keptStr[d]!;
    target[i] = t;
    for (let d = inShape.length - 1; d >= 0; d--) {
      if (++idx[d]! < inShape[d]!) break;
      idx[d] = 0;
    }
  }
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * outSize);
    const seen = new Uint8Array(outSize);
    for (let s = 0; s < batch; s++) {
      seen.fill(0);
      const xo = s * inSize,
        yo = s * outSize;
      for (let i = 0; i < inSize; i++) {
        const t = yo + target[i]!,
          v = x[xo + i]!;
        if (seen[target[i]!]) y[t] = f.step(y[t]!, v);
        else {
          y[t] = f.init(v);
          seen[target[i]!] = 1;
        }
      }
      for (let o = 0; o < outSize; o++) y[yo + o] = f.end(y[yo + o]!, n);
    }
    return y;
  };
}
