import type { ConvLayer, DenseLayer, Pow2ChannelQuant, WeightQuant } from '../../quantize/model.js';
import type { RefKernel } from '../kernel.js';
import { convF64, matmulF64 } from '../wasm/kernels.js';
import { countEvents, overflowReal, quantizeReal, realFormat, roundReal, type RealEvents, type RealFormat } from './real.js';

/**
 * Dense and conv in reals. Each weight is the real code * 2^-F_w of its
 * channel, each bias the real code * 2^-F_acc; products and sums are float64
 * operations on these reals, exact because every partial sum is a dyadic
 * rational of fewer than 53 significant bits.
 *
 * When the layer's accumulator might overflow or its LSB differs from the
 * products' (the reference decides this with its own bound: |b| + sum |w| *
 * max|x| against the accumulator's real range), every step follows the
 * accumulator's semantics: start at the bias through the overflow mode, round
 * each product onto the accumulator grid when that grid is coarser, add, then
 * the overflow mode; finally the sum is quantized into the output format.
 */
export interface LinearReal {
  w: Float64Array;
  b: Float64Array;
  acc: RealFormat[];
  out: RealFormat;
  checked: boolean[];
  /** Fraction bits of channel m's weights. */
  wF: number[];
  /** True when channel m's products are finer than its accumulator grid. */
  roundProducts: boolean[];
}

function weightFormats(q: WeightQuant, m: number): string[] {
  if (q.kind === 'pow2') return new Array<string>(m).fill(q.format);
  if (q.kind === 'pow2-channel') return (q as Pow2ChannelQuant).formats;
  throw new Error(`internal: reference needs pow2 weights, got ${q.kind}`);
}

export function linearReal(l: DenseLayer | ConvLayer, inF: RealFormat): LinearReal {
  const M = l.weights.shape[0]!;
  const per = l.weights.codes.length / M;
  const wf = weightFormats(l.weights.quant, M).map(realFormat);
  const accTexts = (l.acc as { formats: string[] }).formats;
  const acc = Array.from({ length: M }, (_, m) => realFormat(accTexts.length === 1 ? accTexts[0]! : accTexts[m]!));
  const w = new Float64Array(l.weights.codes.length);
  for (let i = 0; i < w.length; i++) w[i] = l.weights.codes[i]! * wf[Math.floor(i / per)]!.lsb;
  const b = Float64Array.from({ length: M }, (_, m) => (l.bias ? l.bias[m]! * acc[m]!.lsb : 0));
  const xMax = Math.max(-inF.wrapLo, inF.hi);
  const checked: boolean[] = [],
    roundProducts: boolean[] = [];
  for (let m = 0; m < M; m++) {
    let bound = Math.abs(b[m]!);
    for (let i = m * per; i < (m + 1) * per; i++) bound += Math.abs(w[i]!) * xMax;
    roundProducts.push(wf[m]!.F + inF.F > acc[m]!.F);
    checked.push(roundProducts[m]! || bound > acc[m]!.hi || -bound < acc[m]!.lo);
  }
  return { w, b, acc, out: realFormat((l.out as { format: string }).format), checked, wF: wf.map((f) => f.F), roundProducts };
}

function addStep(p: LinearReal, m: number, s: number, prod: number, ev: RealEvents): number {
  const a = p.acc[m]!;
  return overflowReal(s + (p.roundProducts[m] ? roundReal(prod, a) : prod), a, ev);
}

export function denseReal(l: DenseLayer, inF: RealFormat, inSize: number): RefKernel {
  const p = linearReal(l, inF);
  const [N, K] = l.weights.shape as [number, number];
  const rows = inSize / K;
  const wt = new Float64Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = p.w[n * K + k]!;
  const anyChecked = p.checked.includes(true);
  return (ins, batch, ev) => {
    const x = ins[0]!,
      R = batch * rows;
    const y = new Float64Array(R * N);
    for (let r = 0; r < R; r++) y.set(p.b, r * N);
    if (!anyChecked) {
      countEvents(ev, p.out, matmulF64(x, wt, y, R, K, N, p.out));
      return y;
    }
    matmulF64(x, wt, y, R, K, N);
    for (let r = 0; r < R; r++) {
      const xr = x.subarray(r * K, (r + 1) * K);
      for (let n = 0; n < N; n++) {
        if (!p.checked[n]) continue;
        let s = overflowReal(p.b[n]!, p.acc[n]!, ev);
        for (let k = 0; k < K; k++) s = addStep(p, n, s, p.w[n * K + k]! * xr[k]!, ev);
        y[r * N + n] = s;
      }
    }
    quantizeAll(y, p.out, ev);
    return y;
  };
}

/** Every element of y quantized into f in place (events counted). */
function quantizeAll(y: Float64Array, f: RealFormat, ev: RealEvents): void {
  for (let i = 0; i < y.length; i++) y[i] = quantizeReal(y[i]!, f, ev);
}

/**
 * Convolution in reals. Unchecked filters (see linearReal): bias plus the
 * taps' products in (c, i, j) order, padded taps adding w * 0, by the
 * reference's float64 kernels (wasm/kernels.ts; every partial sum is exact,
 * so the order is immaterial to the value). Checked filters follow the
 * accumulator's semantics step by step over the same taps, in JavaScript,
 * on `seen`: for every tap (c, i, j) and output position (oh, ow), the input
 * value that position reads (0 for the padding).
 */
export function convReal(l: ConvLayer, inF: RealFormat, inShape: readonly number[]): RefKernel {
  const p = linearReal(l, inF);
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = l.shape as [number, number, number];
  const cin = C / l.group,
    perGroup = M / l.group;
  const taps = cin * l.kernel[0] * l.kernel[1],
    P = OH * OW;
  const map = tapOffsets(l, H, W, OH, OW);
  const shape = { C, plane: H * W, M, group: l.group, P, map };
  const checked = p.checked.flatMap((c, m) => (c ? [m] : []));
  const seen = checked.length > 0 ? new Float64Array(taps * P) : new Float64Array(0);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * M * P);
    if (checked.length === 0) {
      countEvents(ev, p.out, convF64(x, batch, shape, p.w, p.b, y, p.out));
      return y;
    }
    convF64(x, batch, shape, p.w, p.b, y);
    for (let n = 0; n < batch; n++) {
      let grp = -1;
      for (const m of checked) {
        if (Math.floor(m / perGroup) !== grp) gather(map, x, (n * C + (grp = Math.floor(m / perGroup)) * cin) * H * W, cin, H * W, seen);
        checkedOutputs(p, m, p.w.subarray(m * taps, (m + 1) * taps), seen, y.subarray((n * M + m) * P, (n * M + m + 1) * P), ev);
      }
    }
    quantizeAll(y, p.out, ev);
    return y;
  };
}

function checkedOutputs(p: LinearReal, m: number, w: Float64Array, seen: Float64Array, out: Float64Array, ev: RealEvents): void {
  const P = out.length;
  for (let q = 0; q < P; q++) {
    let s = overflowReal(p.b[m]!, p.acc[m]!, ev);
    for (let t = 0; t < w.length; t++) s = addStep(p, m, s, w[t]! * seen[t * P + q]!, ev);
    out[q] = s;
  }
}

/**
 * For each kernel tap (i, j) and output position (oh, ow): the offset inside an
 * input channel plane that position reads, or -1 where it reads the padding.
 */
function tapOffsets(l: ConvLayer, H: number, W: number, OH: number, OW: number): Int32Array {
  const map = new Int32Array(l.kernel[0] * l.kernel[1] * OH * OW);
  let o = 0;
  for (let i = 0; i < l.kernel[0]; i++) {
    for (let j = 0; j < l.kernel[1]; j++) {
      for (let oh = 0; oh < OH; oh++) {
        const h = oh * l.strides[0] - l.pads[0] + i * l.dilations[0];
        for (let ow = 0; ow < OW; ow++) {
          const v = ow * l.strides[1] - l.pads[1] + j * l.dilations[1];
          map[o++] = h >= 0 && h < H && v >= 0 && v < W ? h * W + v : -1;
        }
      }
    }
  }
  return map;
}

/** seen[(c, i, j) row][(oh, ow)] for the `cin` channels starting at offset `base` of x. */
function gather(map: Int32Array, x: Float64Array, base: number, cin: number, plane: number, seen: Float64Array): void {
  let o = 0;
  for (let c = 0; c < cin; c++) {
    const from = base + c * plane;
    for (let k = 0; k < map.length; k++) {
      const off = map[k]!;
      seen[o++] = off < 0 ? 0 : x[from + off]!;
    }
  }
}
