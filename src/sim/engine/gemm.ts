/*
 * The integer product kernel shared by dense and conv: for rows i of A and
 * rows j of B (both row-major with K columns),
 *   out[i * si + j * sj] = bias[j] + sum_k A[i, k] * B[j, k],
 * exact integer codes (zero points already subtracted). Called only when
 * the worst case |bias| + sum |A| |B| lies inside the accumulator (and below
 * 2^53): every partial sum is then an exact integer in a double, so the order
 * of the additions changes nothing. Rows are taken two by two
 * on both sides (a 2x2 register block: each loaded value feeds two products).
 */
export function gemmNT(
  A: Float64Array,
  rows: number,
  B: Float64Array,
  cols: number,
  K: number,
  bias: Float64Array,
  out: Float64Array,
  si: number,
  sj: number,
): void {
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const a0 = i * K,
      a1 = a0 + K;
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      const b0 = j * K,
        b1 = b0 + K;
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k]!,
          x1 = A[a1 + k]!,
          w0 = B[b0 + k]!,
          w1 = B[b1 + k]!;
        s00 += x0 * w0;
        s01 += x0 * w1;
        s10 += x1 * w0;
        s11 += x1 * w1;
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

function dot(A: Float64Array, a: number, B: Float64Array, b: number, K: number): number {
  let s0 = 0,
    s1 = 0;
  let k = 0;
  for (; k + 1 < K; k += 2) {
    s0 += A[a + k]! * B[b + k]!;
    s1 += A[a + k + 1]! * B[b + k + 1]!;
  }
  if (k < K) s0 += A[a + k]! * B[b + k]!;
  return s0 + s1;
}
