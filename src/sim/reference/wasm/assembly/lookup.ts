/*
 * A table lookup, for activations tabulated over an input grid: each value v
 * at x yields, at the same index of y (y may be x), table[k] with
 * k = v * scale - first when k is an integer in [0, size); flags[k] (int32:
 * bit 0 a saturation, bit 1 a wrap) are counted into the two int32 at
 * `events`. A value off the table is counted as a miss (its y is left as it
 * is); returns the misses. Two values at a time: both indices converted and
 * checked in one f64x2 step (the conversion back is exact for the integers
 * in range), the entries read one by one; a pair with a miss, and the last
 * odd value, take the scalar form. flags = 0 (no table entry has an event):
 * the flags are not read.
 */
export function lookup_f64(x: usize, y: usize, n: i32, scale: f64, first: f64, size: i32, table: usize, flags: usize, events: usize): i32 {
  let misses = 0, sats = 0, wraps = 0;
  const vs = f64x2.splat(scale), vf = f64x2.splat(first), top = f64x2.splat(<f64>size), zero = f64x2.splat(0);
  let i = 0;
  // Two values at a time: both indices exact integers in [0, size), else the pair takes the scalar loop below.
  for (; i + 1 < n; i += 2) {
    const at = <usize>i << 3;
    const d = f64x2.sub(f64x2.mul(v128.load(x + at), vs), vf);
    const k = i32x4.trunc_sat_f64x2_s_zero(d);
    const hit = v128.and(f64x2.eq(f64x2.convert_low_i32x4_s(k), d), v128.and(f64x2.ge(d, zero), f64x2.lt(d, top)));
    if (!v128.all_true<i64>(hit)) {
      misses += lookup_scalar(x + at, y + at, 2, scale, first, size, table, flags, events);
      sats += load<i32>(events);
      wraps += load<i32>(events, 4);
      continue;
    }
    const k0 = <usize><u32>i32x4.extract_lane(k, 0), k1 = <usize><u32>i32x4.extract_lane(k, 1);
    v128.store(y + at, f64x2.replace_lane(f64x2.splat(load<f64>(table + (k0 << 3))), 1, load<f64>(table + (k1 << 3))));
    if (flags == 0) continue;
    const f0 = load<i32>(flags + (k0 << 2)), f1 = load<i32>(flags + (k1 << 2));
    sats += (f0 & 1) + (f1 & 1);
    wraps += (f0 >> 1) + (f1 >> 1);
  }
  misses += lookup_scalar(x + (<usize>i << 3), y + (<usize>i << 3), n - i, scale, first, size, table, flags, events);
  store<i32>(events, sats + load<i32>(events));
  store<i32>(events, wraps + load<i32>(events, 4), 4);
  return misses;
}

/** The lookup one value at a time (events stored at `events`, not added). */
function lookup_scalar(x: usize, y: usize, n: i32, scale: f64, first: f64, size: i32, table: usize, flags: usize, events: usize): i32 {
  let misses = 0, sats = 0, wraps = 0;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const d = load<f64>(x + at) * scale - first;
    const k = <i32>d;
    if (<f64>k == d && k >= 0 && k < size) {
      store<f64>(y + at, load<f64>(table + (<usize>k << 3)));
      const f = flags == 0 ? 0 : load<i32>(flags + (<usize>k << 2));
      sats += f & 1;
      wraps += f >> 1;
    } else misses++;
  }
  store<i32>(events, sats);
  store<i32>(events, wraps, 4);
  return misses;
}
