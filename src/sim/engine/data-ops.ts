import { sizeOf } from '../../models/graph.js';
import type { TensorQuant } from '../quantize/model.js';
import type { ConstantLayer, DataLayer, GatherLayer, PadLayer, ReduceLayer } from '../quantize/model-data.js';
import type { Kernel } from './kernel.js';
import type { Scheme } from './scheme.js';

/*
 * Integer kernels of the data layers (quantize/model-data.ts states their
 * semantics). Gather, pad and constant move codes: exact by construction.
 * Reduce max/min select a code; sum/mean take the exact integer sum and the
 * scheme's averager, as the average pools do.
 */

/** Row-major strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let a = shape.length - 1, k = 1; a >= 0; a--) {
    s[a] = k;
    k *= shape[a]!;
  }
  return s;
}

/** Gather on one axis: for each outer index, the inner blocks of the chosen indices in order. */
function gatherKernel(l: GatherLayer, inShape: readonly number[]): Kernel {
  const outer = sizeOf(inShape.slice(0, l.axis)),
    inner = sizeOf(inShape.slice(l.axis + 1)),
    D = inShape[l.axis]!;
  const inSize = sizeOf(inShape),
    outSize = outer * l.indices.length * inner;
  return ([x], batch) => {
    const y = new Float64Array(batch * outSize);
    let o = 0;
    for (let r = 0; r < batch * outer; r++)
      for (const i of l.indices) {
        const src = Math.floor(r / outer) * inSize + (r % outer) * D * inner + i * inner;
        y.set(x!.subarray(src, src + inner), o);
        o += inner;
      }
    return y;
  };
}

/** Source offset of each output element of a pad (-1: a new position holding the pad value). */
function padSources(l: PadLayer, inShape: readonly number[]): Int32Array {
  const r = inShape.length,
    inStr = strides(inShape);
  const src = new Int32Array(sizeOf(l.shape));
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < src.length; o++) {
    let s = 0;
    for (let a = 0; a < r && s >= 0; a++) {
      const i = idx[a]! - l.pads[a]!;
      s = i >= 0 && i < inShape[a]! ? s + i * inStr[a]! : -1;
    }
    src[o] = s;
    for (let a = r - 1; a >= 0 && ++idx[a]! === l.shape[a]!; a--) idx[a] = 0;
  }
  return src;
}

function padKernel(l: PadLayer, inShape: readonly number[]): Kernel {
  const src = padSources(l, inShape),
    inSize = sizeOf(inShape);
  return ([x], batch) => {
    const y = new Float64Array(batch * src.length);
    for (let n = 0, o = 0; n < batch; n++)
      for (let k = 0; k < src.length; k++, o++) y[o] = src[k]! < 0 ? l.value : x![n * inSize + src[k]!]!;
    return y;
  };
}

function constantKernel(l: ConstantLayer): Kernel {
  const codes = Float64Array.from(l.codes);
  return (_ins, batch) => {
    const y = new Float64Array(batch * codes.length);
    for (let n = 0; n < batch; n++) y.set(codes, n * codes.length);
    return y;
  };
}

/**
 * Input offsets grouped by output element: group o (the reduced axes' n
 * elements of output element o, in increasing offset) is
 * order[o * n .. (o + 1) * n).
 */
export function reduceGroups(axes: readonly number[], inShape: readonly number[]): { order: Int32Array; n: number } {
  const kept = inShape.map((_, a) => a).filter((a) => !axes.includes(a));
  const str = strides(inShape);
  const keptShape = kept.map((a) => inShape[a]!),
    redShape = axes.map((a) => inShape[a]!);
  const n = sizeOf(redShape),
    groups = sizeOf(keptShape);
  const order = new Int32Array(groups * n);
  const offsets = (shape: readonly number[], ax: readonly number[]): number[] => {
    const out = [0];
    shape.forEach((d, k) => {
      const prev = out.splice(0);
      for (const p of prev) for (let i = 0; i < d; i++) out.push(p + i * str[ax[k]!]!);
    });
    return out;
  };
  const base = offsets(keptShape, kept),
    within = offsets(redShape, axes);
  base.forEach((b, g) => within.forEach((w, j) => (order[g * n + j] = b + w)));
  return { order, n };
}

function reduceKernel(l: ReduceLayer, inShape: readonly number[], inQ: TensorQuant, s: Scheme, path: string): Kernel {
  const { order, n } = reduceGroups(l.axes, inShape);
  const groups = order.length / n,
    inSize = sizeOf(inShape);
  const select = l.fn === 'max' || l.fn === 'min';
  const convert = select ? s.convert(inQ, l.out, path) : undefined;
  const avg = select ? undefined : s.averager(inQ, l.out);
  const divisor = l.fn === 'mean' ? n : 1;
  return ([x], batch, ev) => {
    const y = new Float64Array(batch * groups);
    for (let b = 0, o = 0; b < batch; b++)
      for (let g = 0; g < groups; g++, o++) {
        const at = b * inSize;
        let v = x![at + order[g * n]!]!;
        if (avg) {
          v -= avg.xOffset;
          for (let j = 1; j < n; j++) v += x![at + order[g * n + j]!]! - avg.xOffset;
          y[o] = avg.finish(v, divisor, ev);
          continue;
        }
        for (let j = 1; j < n; j++) {
          const c = x![at + order[g * n + j]!]!;
          if (l.fn === 'max' ? c > v : c < v) v = c;
        }
        y[o] = convert ? convert(v, ev) : v;
      }
    return y;
  };
}

/** The kernel of a data layer (plan.ts dispatches here). */
export function dataKernel(
  l: DataLayer,
  s: Scheme,
  shapes: readonly (readonly number[])[],
  ins: readonly TensorQuant[],
  path: string,
): Kernel {
  switch (l.op) {
    case 'gather':
      return gatherKernel(l, shapes[0]!);
    case 'pad':
      return padKernel(l, shapes[0]!);
    case 'constant':
      return constantKernel(l);
    case 'reduce':
      return reduceKernel(l, shapes[0]!, ins[0]!, s, path);
  }
}
