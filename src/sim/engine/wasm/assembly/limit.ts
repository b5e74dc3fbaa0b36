/*
 * The runtime's ceiling for the int16 GEMM's inner loop: the same eight
 * `i32x4.dot_i16x8_s` and eight `i32x4.add` per step as the 2 x 16 register
 * tile (gemm-i16.ts), on operands held in registers, with no memory traffic.
 * 64 multiply-accumulates per step; the benchmarks divide by its time to
 * give the GMAC/s these instructions reach on the machine at hand.
 */

/** n steps from operands derived from `seed`; returns a lane sum so nothing is optimized away. */
export function dot_limit_i16(n: i32, seed: i32): i32 {
  const x0 = i32x4.splat(seed), x1 = i32x4.splat(seed + 1);
  const b0 = i32x4.splat(seed + 2), b1 = i32x4.splat(seed + 3), b2 = i32x4.splat(seed + 4), b3 = i32x4.splat(seed + 5);
  let c00 = i32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  for (let p = 0; p < n; p++) {
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x0, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x0, b1));
    c02 = i32x4.add(c02, i32x4.dot_i16x8_s(x0, b2));
    c03 = i32x4.add(c03, i32x4.dot_i16x8_s(x0, b3));
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x1, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x1, b1));
    c12 = i32x4.add(c12, i32x4.dot_i16x8_s(x1, b2));
    c13 = i32x4.add(c13, i32x4.dot_i16x8_s(x1, b3));
  }
  const s = i32x4.add(i32x4.add(i32x4.add(c00, c01), i32x4.add(c02, c03)), i32x4.add(i32x4.add(c10, c11), i32x4.add(c12, c13)));
  return i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
}
