/**
 * numpy broadcasting of a per-sample operand of shape `small` (same rank as
 * `shape`, each axis equal or 1) to `shape`, as the list of the operand's
 * flat index for every flat index of the full tensor: axes of size 1 in the
 * operand repeat its only entry. Written from the ONNX broadcasting rule
 * (multidirectional broadcasting, trailing axes aligned).
 */
export function broadcastSource(shape: readonly number[], small: readonly number[]): Uint32Array {
  const total = shape.reduce((a, d) => a * d, 1);
  const lead = shape.length - small.length;
  // stride of each full axis within the operand (0 where the operand repeats)
  const stride = shape.map(() => 0);
  let s = 1;
  for (let d = shape.length - 1; d >= lead; d--) {
    stride[d] = small[d - lead] === 1 ? 0 : s;
    s *= small[d - lead]!;
  }
  const out = new Uint32Array(total);
  const coord = shape.map(() => 0);
  for (let i = 0; i < total; i++) {
    out[i] = coord.reduce((a, c, d) => a + c * stride[d]!, 0);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++coord[d]! < shape[d]!) break;
      coord[d] = 0;
    }
  }
  return out;
}
