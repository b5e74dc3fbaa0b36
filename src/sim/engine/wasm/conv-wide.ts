import { alloc, i32View, release } from './heap.js';
import { kernels } from './module.js';
import { residentAt } from './packed.js';
import { NR_WIDE } from './pack-wide.js';
import { rowBlock } from './gemm-i16.js';
import { readI64, writeI64 } from './gemm-wide.js';
import { COL_BYTES } from './conv-i16.js';
import { convArgs, convPlan, eachImageGroup, type ConvGeometry, type ConvWeightsI32 } from './conv-weights.js';

/**
 * The wide convolution: as convI16 (same geometry and sum, no bias: use
 * `accumulate` with a prefilled `out`) on int32 input and weights, in int64
 * modulo 2^64. `out` a BigInt64Array: the int64 results; a Float64Array:
 * exact when every |result| <= 2^53, else a RangeError after writing the
 * nearest doubles (as gemmWide). x's values must be integers in int32
 * (converted as ToInt32).
 */
export function convWide(
  x: ArrayLike<number>,
  shape: readonly number[],
  w: ConvWeightsI32,
  g: ConvGeometry,
  out: BigInt64Array | Float64Array,
  padValue = 0,
  accumulate = false,
): void {
  const p = convPlan('convWide', x, shape, w, g, out.length);
  const k = kernels(),
    wAt = residentAt(w.data);
  const block = Math.max(NR_WIDE, Math.floor(COL_BYTES / (p.K * 4 * NR_WIDE)) * NR_WIDE);
  const colOff = Math.ceil((x.length * 4) / 16) * 16,
    outOff = colOff + block * p.K * 4;
  const blk = alloc(outOff + out.length * 8, false);
  i32View(blk.at, x.length).set(x);
  if (accumulate) writeI64(out, blk.at + outOff);
  eachImageGroup(p, w.group, { x: blk.at, w: wAt, out: blk.at + outOff }, { x: 4, w: 4, out: 8 }, (xAt, wgAt, outAt) =>
    k.conv_i64(...convArgs(p, { x: xAt, w: wgAt, out: outAt, col: blk.at + colOff }, padValue, block, rowBlock(p.K * 4), accumulate)),
  );
  const over = readI64(blk.at + outOff, out);
  release(blk);
  if (over > 0) throw new RangeError(`convWide: ${over} results exceed 2^53 in magnitude; use a BigInt64Array output`);
}
