/*
 * A table lookup, for activations tabulated over an input grid: each value v
 * at x yields, at the same index of y (y may be x), table[k] with
 * k = v * scale - first when k is an integer in [0, size); flags[k] (int32:
 * bit 0 a saturation, bit 1 a wrap) are counted into the two int32 at
 * `events`. A value off the table is counted as a miss (its y is left as it
 * is); returns the misses.
 */
export function lookup_f64(x: usize, y: usize, n: i32, scale: f64, first: f64, size: i32, table: usize, flags: usize, events: usize): i32 {
  let misses = 0, sats = 0, wraps = 0;
  for (let i = 0; i < n; i++) {
    const at = <usize>i << 3;
    const d = load<f64>(x + at) * scale - first;
    const k = i32(d);
    // Branch-free: a miss reads entry 0 (stored only when it is a hit).
    const hit = i32(<f64>k == d) & i32(<u32>k < <u32>size);
    const e = <usize><u32>(hit ? k : 0);
    const v = load<f64>(table + (e << 3));
    const f = load<i32>(flags + (e << 2)) & -hit;
    if (hit) store<f64>(y + at, v);
    misses += 1 - hit;
    sats += f & 1;
    wraps += f >> 1;
  }
  store<i32>(events, sats);
  store<i32>(events, wraps, 4);
  return misses;
}
