import { sizeOf } from '../../models/graph.js';
import type { LayerEvents } from '../quantize/model.js';
import { accStep, type AccChannel } from './accumulate.js';
import { broadcastIndex } from './affine/add.js';
import type { Kernel } from './kernel.js';

/*
 * The scheme-independent loops of the arithmetic layers of two or three
 * computed tensors (quantize/model-arith.ts): numpy broadcasting of the
 * operands, and the batched matrix product with its accumulator. The schemes
 * supply the per-value arithmetic.
 */

/**
 * y[i] = f(operand values at i) over the output shape, each operand
 * broadcast to it (equal ranks, axes equal or 1) and advancing by its own
 * per-sample size.
 */
export function broadcastKernel(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
  f: (v: readonly number[], ev: LayerEvents) => number,
): Kernel {
  const n = sizeOf(outShape);
  const sizes = inShapes.map(sizeOf);
  const idx = inShapes.map((s, k) => (sizes[k] === n ? undefined : broadcastIndex(outShape, s)));
  return (xs, batch, ev) => {
    const y = new Float64Array(batch * n);
    const v = new Array<number>(xs.length).fill(0);
    for (let s = 0; s < batch; s++) {
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < xs.length; k++) {
          const ix = idx[k];
          v[k] = xs[k]![s * sizes[k]! + (ix ? ix[i]! : i)]!;
        }
        y[s * n + i] = f(v, ev);
      }
    }
    return y;
  };
}

/** The integer matrix product's numbers: operand offsets (zero points; pow2 0), the accumulator, the output stage. */
export interface MatMulOperands {
  readonly za: number;
  readonly zb: number;
  readonly acc: AccChannel;
  out(acc: number, ev: LayerEvents): number;
}

/**
 * A [..., M, K] times B [..., K, N] per sample: for every output element,
 * acc = 0 then acc = overflow(acc + (a - za)(b - zb)) for k increasing, the
 * output stage of acc. Products and partial sums are exact integers below
 * 2^53 (the model validator's bound).
 */
export function matMulKernel(aShape: readonly number[], bShape: readonly number[], o: MatMulOperands): Kernel {
  const r = aShape.length;
  const [M, K, N] = [aShape[r - 2]!, aShape[r - 1]!, bShape[r - 1]!];
  const mats = sizeOf(aShape.slice(0, -2));
  const [na, nb, ny] = [M * K, K * N, M * N];
  return ([a, b], batch, ev) => {
    const y = new Float64Array(batch * mats * ny);
    for (let t = 0; t < batch * mats; t++) {
      const [oa, ob, oy] = [t * na, t * nb, t * ny];
      for (let m = 0; m < M; m++) {
        for (let j = 0; j < N; j++) {
          let acc = 0;
          for (let k = 0; k < K; k++) acc = accStep(acc + (a![oa + m * K + k]! - o.za) * (b![ob + k * N + j]! - o.zb), o.acc, ev);
          y[oy + m * N + j] = o.out(acc, ev);
        }
      }
    }
    return y;
  };
}
