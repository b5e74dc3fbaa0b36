import { roundHalfEven } from '../../activations/elementwise.js';
import { UserError } from '../../errors.js';
import { checkTensorSize } from '../../limits.js';
import type { Rgba } from './image-decode.js';
import type { Preprocess } from './preprocess.js';

/** A float image: c planes of h x w (channel-major). */
interface Planes {
  c: number;
  h: number;
  w: number;
  v: Float64Array;
}

function toPlanes(img: Rgba, channels: Preprocess['channels']): Planes {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const order = channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const c = channels === 'gray' ? 1 : 3;
  const v = new Float64Array(c * n);
  for (let i = 0; i < n; i++) {
    const r = data[4 * i]!,
      g = data[4 * i + 1]!,
      b = data[4 * i + 2]!;
    if (c === 1) v[i] = (r * 299 + g * 587 + b * 114) / 1000;
    else for (let k = 0; k < 3; k++) v[k * n + i] = data[4 * i + order[k]!]!;
  }
  return { c, h, w, v };
}

/** Source index pair and weight for bilinear sampling with half-pixel centres. */
function taps(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; f: Float64Array } {
  const i0 = new Int32Array(outSize),
    i1 = new Int32Array(outSize),
    f = new Float64Array(outSize);
  for (let d = 0; d < outSize; d++) {
    const s = Math.min(Math.max((d + 0.5) * (inSize / outSize) - 0.5, 0), inSize - 1);
    i0[d] = Math.floor(s);
    i1[d] = Math.min(i0[d]! + 1, inSize - 1);
    f[d] = s - i0[d]!;
  }
  return { i0, i1, f };
}

function resize(p: Planes, oh: number, ow: number): Planes {
  if (oh === p.h && ow === p.w) return p;
  checkTensorSize(`image resized to ${oh}x${ow}`, p.c * oh * ow);
  const ty = taps(p.h, oh),
    tx = taps(p.w, ow);
  const v = new Float64Array(p.c * oh * ow);
  for (let c = 0; c < p.c; c++) {
    const src = c * p.h * p.w;
    for (let y = 0; y < oh; y++) {
      const r0 = src + ty.i0[y]! * p.w,
        r1 = src + ty.i1[y]! * p.w,
        fy = ty.f[y]!;
      for (let x = 0; x < ow; x++) {
        const a = p.v[r0 + tx.i0[x]!]!,
          b = p.v[r0 + tx.i1[x]!]!,
          cc = p.v[r1 + tx.i0[x]!]!,
          d = p.v[r1 + tx.i1[x]!]!;
        const fx = tx.f[x]!;
        v[(c * oh + y) * ow + x] = (a * (1 - fx) + b * fx) * (1 - fy) + (cc * (1 - fx) + d * fx) * fy;
      }
    }
  }
  return { c: p.c, h: oh, w: ow, v };
}

function crop(p: Planes, ch: number, cw: number, what: string): Planes {
  if (ch > p.h || cw > p.w) throw new UserError(`${what}: crop ${ch}x${cw} is larger than the image (${p.h}x${p.w} after resizing)`);
  // Python's round(): half to even, as torchvision's CenterCrop computes the offsets.
  const top = roundHalfEven((p.h - ch) / 2),
    left = roundHalfEven((p.w - cw) / 2);
  const v = new Float64Array(p.c * ch * cw);
  for (let c = 0; c < p.c; c++) {
    for (let y = 0; y < ch; y++)
      v.set(p.v.subarray((c * p.h + top + y) * p.w + left, (c * p.h + top + y) * p.w + left + cw), (c * ch + y) * cw);
  }
  return { c: p.c, h: ch, w: cw, v };
}

function resizeTarget(p: Planes, r: NonNullable<Preprocess['resize']>): [number, number] {
  if (typeof r !== 'number') return [r[0], r[1]];
  return p.h <= p.w ? [r, Math.floor((r * p.w) / p.h)] : [Math.floor((r * p.h) / p.w), r];
}

/** One image through the preprocessing (see Preprocess): its per-sample shape and values. */
export function preprocessImage(img: Rgba, pre: Preprocess, what: string): { shape: number[]; values: Float64Array } {
  let p = toPlanes(img, pre.channels);
  if (pre.resize !== undefined) p = resize(p, ...resizeTarget(p, pre.resize));
  if (pre.crop !== undefined) p = crop(p, pre.crop[0], pre.crop[1], what);
  const n = p.h * p.w;
  for (let c = 0; c < p.c; c++) {
    const m = pre.mean?.[c] ?? 0,
      s = pre.std?.[c] ?? 1;
    for (let i = c * n; i < (c + 1) * n; i++) p.v[i] = (p.v[i]! * pre.scale - m) / s;
  }
  if (pre.layout === 'chw') return { shape: [p.c, p.h, p.w], values: p.v };
  const v = new Float64Array(p.v.length);
  for (let c = 0; c < p.c; c++) for (let i = 0; i < n; i++) v[i * p.c + c] = p.v[c * n + i]!;
  return { shape: [p.h, p.w, p.c], values: v };
}
