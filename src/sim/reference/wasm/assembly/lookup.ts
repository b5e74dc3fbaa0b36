/*
 * A table lookup in place, for activations tabulated over an input grid: each
 * value v at p becomes table[k] with k = v * scale - first when k is an
 * integer in [0, size); flags[k] (int32: bit 0 a saturation, bit 1 a wrap)
 * are counted into the two int32 at `events`. A value off the table is left
 * as it is and counted as a miss; returns the misses.
 */
export function lookup_f64(p: usize, n: i32, scale: f64, first: f64, size: i32, table: usize, flags: usize, events: usize): i32 {
  let misses = 0, sats = 0, wraps = 0;
  for (let i = 0; i < n; i++) {
    const at = p + (<usize>i << 3);
    const d = load<f64>(at) * scale - first;
    const k = <i32>d;
    if (<f64>k == d && k >= 0 && k < size) {
      store<f64>(at, load<f64>(table + (<usize>k << 3)));
      const f = load<i32>(flags + (<usize>k << 2));
      sats += f & 1;
      wraps += f >> 1;
    } else misses++;
  }
  store<i32>(events, sats);
  store<i32>(events, wraps, 4);
  return misses;
}
