/*
 * The float32 steps of the float reference on tensors resident in this
 * module's memory (float64 tensors, batch-major; byte offsets), for layers
 * whose products and partial sums are all exact in float32 (the host checks
 * a worst-case bound first: src/sim/reference/pow2/exact-f32.ts). Inputs are
 * converted to float32 (exact: the host checked every input value fits),
 * products summed by matmul_f32 in matmul_f64's order, and the sums
 * converted back to float64 (exact), so each output equals conv_f64's and
 * the dense matmul_f64's value.
 */
import { demote_f64, promote_f32 } from './convert';
import { G_C, G_GROUP, G_H, G_KK, G_M, G_OH, G_OW, G_W, gather_rows, geo } from './steps';
import { matmul_f32 } from './matmul';

/** out[r * n + j] = values[j] (float32) for each of `rows` rows. */
function fill_rows_f32(out: usize, rows: i32, values: usize, n: i32): void {
  const bytes = <usize>n << 2;
  for (let r = 0; r < rows; r++) memory.copy(out + <usize>r * bytes, values, bytes);
}

/**
 * Dense: y (rows x n, float64) = bias + x (rows x k, float64) * wt (k x n,
 * float32); `work` holds rows * k + rows * n float32 (x converted, the sums).
 */
export function dense_f32(x: usize, rows: i32, k: i32, wt: usize, bias: usize, n: i32, work: usize, y: usize): void {
  const xs = work, acc = work + ((<usize>(rows * k) << 2) + 15 & ~15);
  demote_f64(x, xs, rows * k);
  fill_rows_f32(acc, rows, bias, n);
  matmul_f32(xs, k, wt, n, acc, n, rows, k, n);
  promote_f32(acc, y, rows * n);
}

/**
 * conv_f64 in float32 (same geometry, order and result): w and bias float32,
 * pad a float32 padded plane, `seen` scratch for the tap matrix and one
 * group's sums (taps * P + per * P float32, the first part 16-byte aligned).
 */
export function conv_f32(x: usize, batch: i32, g: usize, w: usize, bias: usize, pad: usize, seen: usize, out: usize): void {
  const C = geo(g, G_C), M = geo(g, G_M), group = geo(g, G_GROUP), P = geo(g, G_OH) * geo(g, G_OW);
  const plane = geo(g, G_H) * geo(g, G_W);
  const cin = C / group, per = M / group, taps = cin * geo(g, G_KK);
  const acc = seen + ((<usize>(taps * P) << 2) + 15 & ~15);
  for (let s = 0; s < batch; s++) {
    for (let k = 0; k < group; k++) {
      gather_rows<f32>(x + (<usize>((s * C + k * cin) * plane) << 3), cin, g, pad, seen);
      for (let m = 0; m < per; m++) {
        const v = f32x4.splat(load<f32>(bias + (<usize>(k * per + m) << 2)));
        const o = acc + (<usize>(m * P) << 2);
        let q = 0;
        for (; q + 3 < P; q += 4) v128.store(o + (<usize>q << 2), v);
        for (; q < P; q++) store<f32>(o + (<usize>q << 2), f32x4.extract_lane(v, 0));
      }
      matmul_f32(w + (<usize>(k * per * taps) << 2), taps, seen, P, acc, P, per, taps, P);
      promote_f32(acc, out + (<usize>((s * M + k * per) * P) << 3), per * P);
    }
  }
}
