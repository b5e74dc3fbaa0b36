import type { ConvLayer } from '../../quantize/model.js';
import { convGeometry } from '../geometry.js';
import type { LinearOperands } from '../scheme.js';
import { kernels } from '../wasm/module.js';
import { paramsAt } from '../wasm/narrow.js';
import { residentAt } from '../wasm/packed.js';
import { outputStage, type ResidentKernel } from './steps.js';

/*
 * Conv without im2col (convd_i16_narrow, docs/kernels.md): for column stride
 * 1 (output rows computed in whole groups of 8 pixels), each image's group is copied once
 * into channel-pair-interleaved, zero-bordered planes minus the input zero
 * point (pairs_i16), and the GEMM reads its packed-B panels straight from
 * them. The same sums as the im2col route (residentConv), terms reordered.
 */

/** Bytes of int32 accumulators per pixel block (they stay in cache for the output stage). */
const ACC_BYTES = 64 * 1024;

const align = (n: number) => Math.ceil(n / 16) * 16;

/** Output rows computed as whole 8-pixel groups: ow rounded up to a multiple of 8. */
const groupWidth = (ow: number) => Math.ceil(ow / 8) * 8;

/**
 * Whether a conv layer takes the direct route: column stride 1 (eight outputs
 * of a row read eight contiguous pixels) and at most 1/7 of the computed
 * columns dropped (widths 7, 14, 15, ... and every multiple of 8); narrower
 * rows take im2col.
 */
export function directConvFits(l: ConvLayer): boolean {
  const ow = l.shape[2]!;
  return l.strides[1] === 1 && groupWidth(ow) * 7 <= ow * 8;
}

/**
 * The weights of one group reordered for the direct kernel: row co holds, for
 * p = (cp*kh + ki)*kw + kj, W[co, 2cp, ki, kj] then W[co, 2cp+1, ki, kj]
 * (0 past an odd channel count).
 */
function pairWeights(w: ArrayLike<number>, cout: number, cg: number, kh: number, kw: number): Int16Array {
  const cp = Math.ceil(cg / 2),
    taps = kh * kw,
    row = cp * taps * 2;
  const out = new Int16Array(cout * row);
  for (let co = 0; co < cout; co++)
    for (let c = 0; c < cg; c++)
      for (let t = 0; t < taps; t++) out[co * row + ((c >> 1) * taps + t) * 2 + (c & 1)] = w[(co * cg + c) * taps + t]!;
  return out;
}

export function residentDirectConv(l: ConvLayer, ops: LinearOperands, inShape: readonly number[]): ResidentKernel {
  const g = convGeometry(l, inShape);
  const cog = g.mPerGroup,
    cp = Math.ceil(g.cg / 2),
    pairs = cp * g.kh * g.kw,
    P = g.OH * g.OW,
    owp = groupWidth(g.OW);
  // the planes widened on the right so the extra columns of the last group read memory that is there (their sums are dropped)
  const Wp = g.Wp + owp - g.OW;
  const wgt = pairWeights(ops.w, g.M, g.cg, g.kh, g.kw);
  const bias = Int32Array.from(ops.bias);
  const offs = new Int32Array(pairs);
  for (let c = 0; c < cp; c++)
    for (let ki = 0; ki < g.kh; ki++)
      for (let kj = 0; kj < g.kw; kj++) offs[(c * g.kh + ki) * g.kw + kj] = ((c * g.Hp + ki * g.dh) * Wp + kj * g.dw) * 4;
  const { params, count } = outputStage(ops, true);
  // whole rows of owp pixels and whole 16-pixel panels
  const unit = owp % 16 === 0 ? owp : 2 * owp;
  const block = Math.max(unit, Math.floor(ACC_BYTES / (cog * 4 * unit)) * unit);
  const accBytes = align(cog * block * 4),
    planeBytes = align(cp * g.Hp * Wp * 4 + 64);
  return {
    scratch: () => accBytes + planeBytes,
    run(at, batch, ev) {
      const k = kernels(),
        p = paramsAt(params),
        wAt = residentAt(wgt),
        bAt = residentAt(bias),
        oAt = residentAt(offs);
      const planes = at.scratch + accBytes;
      let n = 0;
      for (let b = 0; b < batch; b++) {
        for (let grp = 0; grp < l.group; grp++) {
          const x = at.ins[0]! + (b * g.C + grp * g.cg) * g.H * g.W * 2;
          k.pairs_i16(x, g.cg, g.H, g.W, g.pt, g.pl, g.Hp - g.H - g.pt, Wp - g.W - g.pl, ops.xOffset, planes);
          n += k.convd_i16_narrow(
            planes,
            Wp,
            g.sh,
            g.OH,
            g.OW,
            owp,
            pairs,
            oAt,
            wAt + grp * cog * pairs * 4,
            cog,
            bAt + grp * cog * 4,
            block,
            at.scratch,
            at.out + (b * g.M + grp * cog) * P * 2,
            p.shifts + grp * cog * 4,
            p.q,
          );
        }
      }
      count(ev, n);
    },
  };
}
