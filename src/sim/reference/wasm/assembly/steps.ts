/*
 * The per-element steps of the float reference that run on tensors resident
 * in this module's memory (byte offsets; float64 tensors, batch-major).
 * Each is the reference's float64 definition written out element by element,
 * in the order stated at each function; sums start at +0 and add one value at
 * a time, every sum rounded to the nearest double.
 */
import { demote_f64 } from './convert';
import { matmul_f64 } from './matmul';

/** out[r * n + j] = values[j] for each of `rows` rows: each output starts at its bias. */
export function fill_rows_f64(out: usize, rows: i32, values: usize, n: i32): void {
  const bytes = <usize>n << 3;
  for (let r = 0; r < rows; r++) memory.copy(out + <usize>r * bytes, values, bytes);
}

/*
 * A convolution's geometry, int32 at `geo`: C, H, W (input), M, group, OH, OW
 * (output), KK (kernel taps per channel), PH, PW (the zero-padded plane),
 * top, left (where the input plane sits in it), stride (along a row), then
 * KK * OH row starts: for kernel tap t and output row oh, the offset in the
 * padded plane that output (oh, 0) reads; output (oh, ow) reads start + ow * stride.
 */
export const G_C = 0, G_H = 1, G_W = 2, G_M = 3, G_GROUP = 4, G_OH = 5, G_OW = 6, G_KK = 7, G_PH = 8, G_PW = 9, G_TOP = 10, G_LEFT = 11,
  G_STRIDE = 12, G_STARTS = 13;

// @ts-ignore: decorator
@inline export function geo(g: usize, k: i32): i32 {
  return load<i32>(g + (<usize>k << 2));
}

/**
 * The tap matrix of `cin` channels (float64 planes of H x W at x), of type T
 * (f64, or f32 for the float32 layers: the values converted, exactly for
 * the values the host sends): row (c, t) holds the values output positions
 * (oh, ow) read for kernel tap t, +0 in the padding. Each plane is first
 * copied into the interior of `pad` (PH x PW of T, whose border the host
 * zeroed once and nothing else writes).
 */
export function gather_rows<T>(x: usize, cin: i32, g: usize, pad: usize, seen: usize): void {
  const H = geo(g, G_H), W = geo(g, G_W), OH = geo(g, G_OH), OW = geo(g, G_OW), KK = geo(g, G_KK), PW = geo(g, G_PW);
  const e = sizeof<T>(), lanes = <i32>(16 / <i32>e);
  const stride = geo(g, G_STRIDE), inner = pad + <usize>(geo(g, G_TOP) * PW + geo(g, G_LEFT)) * e;
  let o = seen;
  for (let c = 0; c < cin; c++) {
    const plane = x + (<usize>(c * H * W) << 3);
    for (let h = 0; h < H; h++) {
      const from = plane + (<usize>(h * W) << 3), to = inner + <usize>(h * PW) * e;
      if (e == 8) memory.copy(to, from, <usize>W << 3);
      else demote_f64(from, to, W);
    }
    for (let r = 0; r < KK * OH; r++) {
      const from = pad + <usize>load<i32>(g + (<usize>(G_STARTS + r) << 2)) * e;
      if (stride == 1) {
        let ow = 0;
        for (; ow + lanes - 1 < OW; ow += lanes) v128.store(o + <usize>ow * e, v128.load(from + <usize>ow * e));
        for (; ow < OW; ow++) store<T>(o + <usize>ow * e, load<T>(from + <usize>ow * e));
      } else {
        for (let ow = 0; ow < OW; ow++) store<T>(o + <usize>ow * e, load<T>(from + <usize>(ow * stride) * e));
      }
      o += <usize>OW * e;
    }
  }
}

/**
 * A convolution for `batch` samples (geometry at geo, above):
 * out[s, m, q] = bias[m] + the taps' products, in matmul_f64's order over
 * the tap matrix (rows (c, t), columns q = oh * OW + ow), per sample and
 * group; w: filters x (cin * KK) row-major.
 */
export function conv_f64(x: usize, batch: i32, g: usize, w: usize, bias: usize, pad: usize, seen: usize, out: usize): void {
  const C = geo(g, G_C), M = geo(g, G_M), group = geo(g, G_GROUP), P = geo(g, G_OH) * geo(g, G_OW);
  const plane = geo(g, G_H) * geo(g, G_W);
  const cin = C / group, per = M / group, taps = cin * geo(g, G_KK);
  const row = <usize>P << 3;
  for (let r = 0; r < batch * M; r++) {
    const v = f64x2.splat(load<f64>(bias + (<usize>(r % M) << 3)));
    const o = out + <usize>r * row;
    let q = 0;
    for (; q + 1 < P; q += 2) v128.store(o + (<usize>q << 3), v);
    if (q < P) store<f64>(o + (<usize>q << 3), f64x2.extract_lane(v, 0));
  }
  for (let s = 0; s < batch; s++) {
    for (let k = 0; k < group; k++) {
      gather_rows<f64>(x + (<usize>((s * C + k * cin) * plane) << 3), cin, g, pad, seen);
      matmul_f64(w + (<usize>(k * per * taps) << 3), taps, seen, P, out + <usize>(s * M + k * per) * row, P, per, taps, P);
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
  if (isMax) pool_windows(x, planes, plane, offsets, start, Q, out, true);
  else pool_windows(x, planes, plane, offsets, start, Q, out, false);
}

/**
 * Two planes at a time: lane 0 holds plane p's window, lane 1 plane p + 1's
 * (f64x2.max and f64x2.add are f64.max and + lane by lane), then a last odd
 * plane alone.
 */
// @ts-ignore: decorator
@inline function pool_windows(x: usize, planes: i32, plane: i32, offsets: usize, start: usize, Q: i32, out: usize, isMax: bool): void {
  const first = f64x2.splat(isMax ? -Infinity : 0.0);
  const pb = <usize>plane << 3, qb = <usize>Q << 3;
  let p = 0;
  for (; p + 1 < planes; p += 2) {
    const b0 = x + <usize>p * pb, o0 = out + <usize>p * qb;
    for (let q = 0; q < Q; q++) {
      const t0 = load<i32>(start + (<usize>q << 2)), t1 = load<i32>(start + (<usize>(q + 1) << 2));
      let acc = first;
      for (let t = t0; t < t1; t++) {
        const at = b0 + (<usize>load<i32>(offsets + (<usize>t << 2)) << 3);
        const v = f64x2.replace_lane(f64x2.splat(load<f64>(at)), 1, load<f64>(at + pb));
        acc = isMax ? f64x2.max(acc, v) : f64x2.add(acc, v);
      }
      store<f64>(o0 + (<usize>q << 3), f64x2.extract_lane(acc, 0));
      store<f64>(o0 + qb + (<usize>q << 3), f64x2.extract_lane(acc, 1));
    }
  }
  if (p < planes) {
    const b0 = x + <usize>p * pb, o0 = out + <usize>p * qb;
    for (let q = 0; q < Q; q++) {
      const t0 = load<i32>(start + (<usize>q << 2)), t1 = load<i32>(start + (<usize>(q + 1) << 2));
      let acc: f64 = isMax ? -Infinity : 0.0;
      for (let t = t0; t < t1; t++) {
        const v = load<f64>(b0 + (<usize>load<i32>(offsets + (<usize>t << 2)) << 3));
        acc = isMax ? max<f64>(acc, v) : acc + v;
      }
      store<f64>(o0 + (<usize>q << 3), acc);
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
