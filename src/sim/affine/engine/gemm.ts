/*
 * The integer product kernel shared by dense and conv: for rows i of A and
 * rows j of B (both row-major with K columns),
 *   out[i * si + j * sj] = bias[j] + sum_k A[i, k] * B[j, k],
 * k increasing within each of the four running sums below. Inputs are
 * zero-point-corrected codes (|.| <= 255), so every product is below 2^16 and
 * every partial sum is an exact integer in a double as long as the caller has
 * checked that the worst case fits (the fast path). Rows are taken two by two
 * on both sides (a 2x2 register block: each loaded value feeds two products).
 */
export function gemmNT(
  A: Int32Array, rows: number, B: Int32Array, cols: number, K: number, bias: Float64Array,
  out: Float64Array, si: number, sj: number,
): void {
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const a0 = i * K, a1 = a0 + K;
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      const b0 = j * K, b1 = b0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k]!, x1 = A[a1 + k]!, w0 = B[b0 + k]!, w1 = B[b1 + k]!;
        s00 += x0 * w0; s01 += x0 * w1; s10 += x1 * w0; s11 += x1 * w1;
      }
      out[i * si + j * sj] = s00 + bias[j]!;
      out[i * si + (j + 1) * sj] = s01 + bias[j + 1]!;
      out[(i + 1) * si + j * sj] = s10 + bias[j]!;
      out[(i + 1) * si + (j + 1) * sj] = s11 + bias[j + 1]!;
    }
    if (j < cols) {
      out[i * si + j * sj] = dot(A, a0, B, j * K, K) + bias[j]!;
      out[(i + 1) * si + j * sj] = dot(A, a1, B, j * K, K) + bias[j]!;
    }
  }
  if (i < rows) for (let j = 0; j < cols; j++) out[i * si + j * sj] = dot(A, i * K, B, j * K, K) + bias[j]!;
}

function dot(A: Int32Array, a: number, B: Int32Array, b: number, K: number): number {
  let s0 = 0, s1 = 0;
  let k = 0;
  for (; k + 1 < K; k += 2) {
    s0 += A[a + k]! * B[b + k]!;
    s1 += A[a + k + 1]! * B[b + k + 1]!;
  }
  if (k < K) s0 += A[a + k]! * B[b + k]!;
  return s0 + s1;
}
