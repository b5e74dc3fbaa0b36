import type { LayerEvents } from '../quantize/model.js';
import { broadcastSource } from './broadcast.js';
import type { RefKernel } from './kernel.js';

/**
 * A reference kernel of an elementwise layer whose operands broadcast to
 * `shape` (numpy, equal ranks): y[i] = f(each operand at its source of i),
 * every operand advancing by its own per-sample size.
 */
export function broadcastRef(
  shape: readonly number[],
  shapes: readonly (readonly number[])[],
  f: (v: number[], ev: LayerEvents) => number,
): RefKernel {
  const srcs = shapes.map((s) => broadcastSource(shape, s));
  const n = srcs[0]!.length;
  const sizes = shapes.map((s) => s.reduce((p, d) => p * d, 1));
  return (xs, batch, ev) => {
    const y = new Float64Array(batch * n);
    for (let s = 0; s < batch; s++)
      for (let i = 0; i < n; i++)
        y[s * n + i] = f(
          xs.map((x, k) => x[s * sizes[k]! + srcs[k]![i]!]!),
          ev,
        );
    return y;
  };
}

/**
 * A reference kernel of A [..., M, K] times B [..., K, N] per sample: for
 * every output element s = 0, then s = step(s + term(a, b)) for k increasing,
 * the output stage(s).
 */
export function matMulRef(
  a: readonly number[],
  b: readonly number[],
  term: (x: number, y: number) => number,
  step: (s: number, ev: LayerEvents) => number,
  stage: (s: number, ev: LayerEvents) => number,
): RefKernel {
  const r = a.length;
  const [M, K, N] = [a[r - 2]!, a[r - 1]!, b[r - 1]!];
  const mats = a.slice(0, -2).reduce((p, d) => p * d, 1);
  return ([A, B], batch, ev) => {
    const y = new Float64Array(batch * mats * M * N);
    for (let t = 0; t < batch * mats; t++)
      for (let m = 0; m < M; m++)
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s = step(s + term(A![t * M * K + m * K + k]!, B![t * K * N + k * N + j]!), ev);
          y[t * M * N + m * N + j] = stage(s, ev);
        }
    return y;
  };
}
