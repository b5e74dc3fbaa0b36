import type { LayerEvents } from '../quantize/model.js';
import type { GatherLayer, PadLayer, ReduceLayer } from '../quantize/model-data.js';
import type { RefKernel } from './kernel.js';

/*
 * The data layers by their ONNX definitions, on whatever a scheme's tensors
 * hold (pow2: real values; affine: codes): every output element is found from
 * its own multi-index (mixed-radix digits), independently of the engine's
 * stride walks.
 */

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** The digits of flat index i in `shape` (row-major). */
function digits(i: number, shape: readonly number[]): number[] {
  const d = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    d[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return d;
}

const flat = (d: readonly number[], shape: readonly number[]) => d.reduce((s, v, a) => s * shape[a]! + v, 0);

/** ONNX Gather on data (and Slice, Split, nearest Resize): output digit `axis` = k reads input digit indices[k]. */
export function gatherRef(l: GatherLayer, inShape: readonly number[]): RefKernel {
  const n = size(inShape),
    m = size(l.shape);
  return ([x], batch) => {
    const y = new Float64Array(batch * m);
    for (let b = 0; b < batch; b++)
      for (let o = 0; o < m; o++) {
        const d = digits(o, l.shape);
        d[l.axis] = l.indices[d[l.axis]!]!;
        y[b * m + o] = x![b * n + flat(d, inShape)]!;
      }
    return y;
  };
}

/** ONNX Pad (constant mode): output digit a = k reads input digit k - pads[a]; outside the input, `fill`. */
export function padRef(l: PadLayer, inShape: readonly number[], fill: number): RefKernel {
  const n = size(inShape),
    m = size(l.shape);
  return ([x], batch) => {
    const y = new Float64Array(batch * m);
    for (let b = 0; b < batch; b++)
      for (let o = 0; o < m; o++) {
        const d = digits(o, l.shape).map((k, a) => k - l.pads[a]!);
        y[b * m + o] = d.every((k, a) => k >= 0 && k < inShape[a]!) ? x![b * n + flat(d, inShape)]! : fill;
      }
    return y;
  };
}

/** The same values for every sample. */
export function constantRef(values: Float64Array): RefKernel {
  return (_ins, batch) => {
    const y = new Float64Array(batch * values.length);
    for (let b = 0; b < batch; b++) y.set(values, b * values.length);
    return y;
  };
}

/**
 * ONNX Reduce*: each output element combines the input elements whose digits
 * off the reduced axes equal its own (with keepdims, the reduced digits are 0;
 * without, they are absent), in increasing input index; combine gets the
 * group's values and returns the output value.
 */
export function reduceRef(l: ReduceLayer, inShape: readonly number[], combine: (values: number[], ev: LayerEvents) => number): RefKernel {
  const n = size(inShape),
    m = size(l.shape);
  const kept = inShape.map((_, a) => a).filter((a) => !l.axes.includes(a));
  const members: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    const d = digits(i, inShape);
    const od = l.keepdims ? d.map((v, a) => (l.axes.includes(a) ? 0 : v)) : kept.map((a) => d[a]!);
    members[flat(od, l.shape)]!.push(i);
  }
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * m);
    for (let b = 0; b < batch; b++)
      for (let o = 0; o < m; o++)
        y[b * m + o] = combine(
          members[o]!.map((i) => x![b * n + i]!),
          ev,
        );
    return y;
  };
}
