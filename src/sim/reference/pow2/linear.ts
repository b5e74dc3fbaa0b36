import type { ConvLayer, DenseLayer, Pow2ChannelQuant, WeightQuant } from '../../quantize/model.js';
import type { RefKernel } from '../kernel.js';
import { overflowReal, quantizeReal, realFormat, roundReal, type RealEvents, type RealFormat } from './real.js';


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
interface LinearReal {
  w: Float64Array;
  b: Float64Array;
  acc: RealFormat[];
  out: RealFormat;
  checked: boolean[];
  /** True when channel m's products are finer than its accumulator grid. */
  roundProducts: boolean[];
}

function weightFormats(q: WeightQuant, m: number): string[] {
  if (q.kind === 'pow2') return new Array<string>(m).fill(q.format);
  if (q.kind === 'pow2-channel') return (q as Pow2ChannelQuant).formats;
  throw new Error(`internal: reference needs pow2 weights, got ${q.kind}`);
}

function linearReal(l: DenseLayer | ConvLayer, inF: RealFormat): LinearReal {
  const M = l.weights.shape[0]!;
  const per = l.weights.codes.length / M;
  const wf = weightFormats(l.weights.quant, M).map(realFormat);
  const accTexts = (l.acc as { formats: string[] }).formats;
  const acc = Array.from({ length: M }, (_, m) => realFormat(accTexts.length === 1 ? accTexts[0]! : accTexts[m]!));
  const w = new Float64Array(l.weights.codes.length);
  for (let i = 0; i < w.length; i++) w[i] = l.weights.codes[i]! * wf[Math.floor(i / per)]!.lsb;
  const b = Float64Array.from({ length: M }, (_, m) => (l.bias ? l.bias[m]! * acc[m]!.lsb : 0));
  const xMax = Math.max(-inF.wrapLo, inF.hi);
  const checked: boolean[] = [], roundProducts: boolean[] = [];
  for (let m = 0; m < M; m++) {
    let bound = Math.abs(b[m]!);
    for (let i = m * per; i < (m + 1) * per; i++) bound += Math.abs(w[i]!) * xMax;
    roundProducts.push(wf[m]!.F + inF.F > acc[m]!.F);
    checked.push(roundProducts[m]! || bound > acc[m]!.hi || -bound < acc[m]!.lo);
  }
  return { w, b, acc, out: realFormat((l.out as { format: string }).format), checked, roundProducts };
}

function addStep(p: LinearReal, m: number, s: number, prod: number, ev: RealEvents): number {
  const a = p.acc[m]!;
  return overflowReal(s + (p.roundProducts[m] ? roundReal(prod, a) : prod), a, ev);
}

export function denseReal(l: DenseLayer, inF: RealFormat, inSize: number): RefKernel {
  const p = linearReal(l, inF);
  const [N, K] = l.weights.shape as [number, number];
  const rows = inSize / K;
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * rows * N);
    for (let r = 0; r < batch * rows; r++) {
      const xr = x.subarray(r * K, (r + 1) * K);
      for (let n = 0; n < N; n++) {
        const w = p.w.subarray(n * K, (n + 1) * K);
        let s: number;
        if (!p.checked[n]) {
          s = p.b[n]!;
          for (let k = 0; k < K; k++) s += w[k]! * xr[k]!;
        } else {
          s = overflowReal(p.b[n]!, p.acc[n]!, ev);
          for (let k = 0; k < K; k++) s = addStep(p, n, s, w[k]! * xr[k]!, ev);
        }
        y[r * N + n] = quantizeReal(s, p.out, ev);
      }
    }
    return y;
  };
}

/**
 * Convolution in reals. For each sample and group, `seen` holds, for every
 * tap (c, i, j) and output position (oh, ow), the input value that position
 * reads through that tap (0 where it reads the zero padding). Each output is
 * the bias plus w * seen over the taps in (c, i, j) order; a padded tap adds 0,
 * which changes no sum and, in the checked path, triggers no event (the
 * running value is already in range).
 */
export function convReal(l: ConvLayer, inF: RealFormat, inShape: readonly number[]): RefKernel {
  const p = linearReal(l, inF);
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = l.shape as [number, number, number];
  const cin = C / l.group, perGroup = M / l.group;
  const taps = cin * l.kernel[0] * l.kernel[1], P = OH * OW;
  const seen = new Float64Array(taps * P);
  const map = tapOffsets(l, H, W, OH, OW);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * M * P);
    for (let n = 0; n < batch; n++) {
      for (let grp = 0; grp < l.group; grp++) {
        gather(map, x, (n * C + grp * cin) * H * W, cin, H * W, seen);
        const first = grp * perGroup, last = (grp + 1) * perGroup;
        const outOf = (m: number) => y.subarray((n * M + m) * P, (n * M + m + 1) * P);
        const wOf = (m: number) => p.w.subarray(m * taps, (m + 1) * taps);
        for (let m = first; m < last; m++) {
          if (!p.checked[m] && m + 1 < last && !p.checked[m + 1]) {
            uncheckedPair(p.b[m]!, p.b[m + 1]!, wOf(m), wOf(m + 1), seen, outOf(m), outOf(m + 1));
            m++;
          } else if (p.checked[m]) checkedOutputs(p, m, wOf(m), seen, outOf(m), ev);
          else uncheckedOutputs(p.b[m]!, wOf(m), seen, outOf(m));
        }
        for (let m = first; m < last; m++) {
          const out = outOf(m);
          for (let q = 0; q < P; q++) out[q] = quantizeReal(out[q]!, p.out, ev);
        }
      }
    }
    return y;
  };
}

/**
 * bias + sum over taps of w * seen, three taps per pass over the plane (every
 * partial sum is exact: see linearReal, so the grouping is immaterial).
 */
function uncheckedOutputs(bias: number, w: Float64Array, seen: Float64Array, out: Float64Array): void {
  const P = out.length, taps = w.length;
  out.fill(bias);
  let t = 0;
  for (; t + 2 < taps; t += 3) {
    const a = w[t]!, b = w[t + 1]!, c = w[t + 2]!;
    const ia = t * P, ib = ia + P, ic = ib + P;
    for (let q = 0; q < P; q++) out[q] = out[q]! + (a * seen[ia + q]! + b * seen[ib + q]! + c * seen[ic + q]!);
  }
  for (; t < taps; t++) {
    const a = w[t]!, ia = t * P;
    for (let q = 0; q < P; q++) out[q] = out[q]! + a * seen[ia + q]!;
  }
}

/** Two filters over the same taps (uncheckedOutputs for each, sharing the loads of `seen`). */
function uncheckedPair(b0: number, b1: number, w0: Float64Array, w1: Float64Array, seen: Float64Array, o0: Float64Array, o1: Float64Array): void {
  const P = o0.length, taps = w0.length;
  o0.fill(b0);
  o1.fill(b1);
  let t = 0;
  for (; t + 2 < taps; t += 3) {
    const a0 = w0[t]!, a1 = w0[t + 1]!, a2 = w0[t + 2]!, c0 = w1[t]!, c1 = w1[t + 1]!, c2 = w1[t + 2]!;
    const i0 = t * P, i1 = i0 + P, i2 = i1 + P;
    for (let q = 0; q < P; q++) {
      const s0 = seen[i0 + q]!, s1 = seen[i1 + q]!, s2 = seen[i2 + q]!;
      o0[q] = o0[q]! + (a0 * s0 + a1 * s1 + a2 * s2);
      o1[q] = o1[q]! + (c0 * s0 + c1 * s1 + c2 * s2);
    }
  }
  for (; t < taps; t++) {
    const a = w0[t]!, c = w1[t]!, i = t * P;
    for (let q = 0; q < P; q++) {
      o0[q] = o0[q]! + a * seen[i + q]!;
      o1[q] = o1[q]! + c * seen[i + q]!;
    }
  }
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
