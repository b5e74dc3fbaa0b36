/**
 * Output length of a sliding window along one axis (Conv and pools):
 * span = d*(k-1)+1, out = floor((n + padBegin + padEnd - span)/s) + 1, or with
 * ceilMode the ceiling instead, dropping a last window that would start inside
 * the end padding (at or beyond n + padBegin), as PyTorch and ONNX Runtime do.
 * Returns 0 or less when no window fits.
 */
export function windowOutput(n: number, k: number, s: number, padBegin: number, padEnd: number, d: number, ceilMode: boolean): number {
  const span = d * (k - 1) + 1;
  const room = n + padBegin + padEnd - span;
  if (room < 0) return 0;
  if (!ceilMode) return Math.floor(room / s) + 1;
  let out = Math.ceil(room / s) + 1;
  if ((out - 1) * s >= n + padBegin) out--;
  return out;
}

/**
 * TensorFlow/Keras 'same' padding along one axis: out = ceil(n/s), total pad
 * max((out-1)*s + span - n, 0), the smaller half at the beginning (ONNX
 * auto_pad SAME_UPPER). SAME_LOWER puts the larger half at the beginning.
 */
export function samePads(n: number, k: number, s: number, d: number, lower = false): [number, number] {
  const span = d * (k - 1) + 1;
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + span - n, 0);
  const small = Math.floor(total / 2);
  return lower ? [total - small, small] : [small, total - small];
}
