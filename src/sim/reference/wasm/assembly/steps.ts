/*
 * The per-element steps of the float reference that run on tensors resident
 * in this module's memory (byte offsets; float64 tensors, batch-major).
 * Each is the reference's float64 definition written out element by element,
 * in the order stated at each function; sums start at +0 and add one value at
 * a time, every sum rounded to the nearest double.
 */
import { gather_f64 } from './gather';
import { matmul_f64 } from './matmul';

/** out[r * n + j] = values[j] for each of `rows` rows: each output starts at its bias. */
export function fill_rows_f64(out: usize, rows: i32, values: usize, n: i32): void {
  const bytes = <usize>n << 3;
  for (let r = 0; r < rows; r++) memory.copy(out + <usize>r * bytes, values, bytes);
}

/**
 * A convolution for `batch` samples: out[s, m, q] = bias[m] + the taps' products
 * (matmul_f64's order over the tap matrix gather_f64 builds in `seen`, per
 * sample and group). Input: C planes of `plane` values per sample; M filters
 * in `group` groups, P output positions; map: the tap map (mapLen int32).
 */
export function conv_f64(
  x: usize, batch: i32, C: i32, plane: i32, M: i32, group: i32, P: i32,
  map: usize, mapLen: i32, w: usize, bias: usize, seen: usize, out: usize,
): void {
  const cin = C / group, per = M / group, taps = cin * (mapLen / P);
  const row = <usize>P << 3;
  for (let r = 0; r < batch * M; r++) {
    const v = load<f64>(bias + (<usize>(r % M) << 3));
    const o = out + <usize>r * row;
    for (let q = 0; q < P; q++) store<f64>(o + (<usize>q << 3), v);
  }
  for (let s = 0; s < batch; s++) {
    for (let g = 0; g < group; g++) {
      gather_f64(x + (<usize>((s * C + g * cin) * plane) << 3), cin, plane, map, mapLen, seen);
      matmul_f64(w + (<usize>(g * per * taps) << 3), taps, seen, P, out + <usize>(s * M + g * per) * row, P, per, taps, P);
    }
  }
}

/**
 * Pools over `planes` planes of `plane` values: output q of a plane reads the
 * in-plane offsets offsets[start[q] .. start[q + 1]) (int32) in order; max
 * (isMax != 0): m = -inf, then m = max(m, v) (f64.max: +0 over -0, NaN wins);
 * else the sum s = +0, then s = s + v.
 */
export function pool_f64(x: usize, planes: i32, plane: i32, offsets: usize, start: usize, Q: i32, out: usize, isMax: i32): void {
  let o = out;
  for (let p = 0; p < planes; p++) {
    const base = x + (<usize>(p * plane) << 3);
    for (let q = 0; q < Q; q++) {
      const t0 = load<i32>(start + (<usize>q << 2)), t1 = load<i32>(start + (<usize>(q + 1) << 2));
      let acc: f64 = isMax ? -Infinity : 0.0;
      for (let t = t0; t < t1; t++) {
        const v = load<f64>(base + (<usize>load<i32>(offsets + (<usize>t << 2)) << 3));
        acc = isMax ? max<f64>(acc, v) : acc + v;
      }
      store<f64>(o, acc);
      o += 8;
    }
  }
}

/** out[i] = a[i] + b[i] for n values (rounded to nearest). */
export function add_f64(a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const at = <usize>i << 3;
    v128.store(out + at, f64x2.add(v128.load(a + at), v128.load(b + at)));
  }
  if (i < n) store<f64>(out + (<usize>i << 3), load<f64>(a + (<usize>i << 3)) + load<f64>(b + (<usize>i << 3)));
}
