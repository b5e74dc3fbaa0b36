/*
 * The convolution's tap matrix for one image and one group: for channel c of
 * `cin` (planes of `plane` float64 starting at x) and each of the `taps`
 * entries of the tap map (int32: the offset inside a channel plane that tap
 * reads at that output position, or -1 for the zero padding), in order,
 * out[c * taps + t] = x[c * plane + map[t]] or +0.
 */
export function gather_f64(x: usize, cin: i32, plane: i32, map: usize, taps: i32, out: usize): void {
  let o = out;
  for (let c = 0; c < cin; c++) {
    const from = x + (<usize>(c * plane) << 3);
    for (let t = 0; t < taps; t++) {
      const off = load<i32>(map + (<usize>t << 2));
      store<f64>(o, off < 0 ? 0.0 : load<f64>(from + (<usize>off << 3)));
      o += 8;
    }
  }
}
