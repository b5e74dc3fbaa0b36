import { UserError } from '../../errors.js';
import type { BinaryNode, Tensor } from '../../models/graph.js';
import { sizeOf } from '../../models/graph.js';
import type { FConv, FDense, FLayer } from './float-net.js';

/**
 * An elementwise affine map y = s * x + t over a per-sample shape (s and t
 * hold one value per element): what a chain of Add/Sub/Mul/Div by constants
 * and an inference BatchNorm compute. Folding it into a dense or conv layer is
 * exact in real arithmetic (the float weights change before quantization).
 */
export interface ElementAffine {
  s: Float64Array;
  t: Float64Array;
}

export function identityAffine(size: number): ElementAffine {
  return { s: new Float64Array(size).fill(1), t: new Float64Array(size) };
}

/** A constant broadcast (numpy rules, aligned from the right) to `shape`, row-major. */
export function broadcastTo(c: Tensor, shape: readonly number[]): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  const r = shape.length,
    cr = c.shape.length;
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let a = 0; a < cr; a++) {
      const d = c.shape[a]!;
      src = src * d + (d === 1 ? 0 : idx[r - cr + a]!);
    }
    out[o] = c.data[src]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/**
 * Composes a Binary node with one constant operand onto `a` (in place):
 * x + c, c + x, x - c: t += ±c; c - x: s = -s, t = c - t; x * c, c * x: s, t *= c;
 * x / c: s, t /= c. Returns false for c / x (not affine).
 */
export function composeBinary(a: ElementAffine, node: BinaryNode, shape: readonly number[]): boolean {
  const c = node.weights.B ?? node.weights.A;
  if (!c) return false;
  const v = broadcastTo(c, shape);
  const left = node.weights.A !== undefined;
  for (let i = 0; i < v.length; i++) {
    const k = v[i]!;
    switch (node.op) {
      case 'Add':
        a.t[i] = a.t[i]! + k;
        break;
      case 'Sub':
        if (left) {
          a.s[i] = -a.s[i]!;
          a.t[i] = k - a.t[i]!;
        } else a.t[i] = a.t[i]! - k;
        break;
      case 'Mul':
        a.s[i] = a.s[i]! * k;
        a.t[i] = a.t[i]! * k;
        break;
      case 'Div':
        if (left) return false;
        a.s[i] = a.s[i]! / k;
        a.t[i] = a.t[i]! / k;
    }
  }
  return true;
}

/** Per-channel values (axis 0) when v is constant over each channel's elements; null otherwise. */
export function perChannel(v: Float64Array, shape: readonly number[]): Float64Array | null {
  const C = shape[0]!;
  const per = v.length / C;
  const out = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    out[c] = v[c * per]!;
    for (let i = 1; i < per; i++) if (v[c * per + i] !== out[c]) return null;
  }
  return out;
}

/** Values per position of the last axis (length n) when v repeats them in every row; null otherwise. */
function perLastAxis(v: Float64Array, n: number): Float64Array | null {
  for (let i = n; i < v.length; i++) if (v[i] !== v[i % n]) return null;
  return v.slice(0, n);
}

export function isUniform(v: Float64Array): boolean {
  return v.every((x) => x === v[0]);
}

/**
 * Folds y = s * L(x) + t into the layer L (dense, whose channel is the last
 * axis, or conv, channel axis 0): per output channel m, W[m, ...] *= s[m] and b[m] = s[m] * b[m] + t[m].
 * Returns false when s or t varies within a channel.
 */
export function foldAfter(l: FDense | FConv, a: ElementAffine): boolean {
  // a dense layer's channel is its last axis (a [..., N] output: rows of N)
  const lastAxis = l.op === 'dense' && l.shape.length > 1;
  const s = lastAxis ? perLastAxis(a.s, l.N) : perChannel(a.s, l.shape),
    t = lastAxis ? perLastAxis(a.t, l.N) : perChannel(a.t, l.shape);
  if (!s || !t) return false;
  const per = l.W.length / s.length;
  for (let m = 0; m < s.length; m++) {
    for (let i = m * per; i < (m + 1) * per; i++) l.W[i] = l.W[i]! * s[m]!;
    l.b[m] = l.b[m]! * s[m]! + t[m]!;
  }
  return true;
}

/**
 * Folds x = s * raw + t (over the layer's input) into the layer: dense
 * W[n, k] *= s[k], b[n] += sum_k W[n, k] * t[k]; conv needs s and t constant per
 * input channel and, with zero padding, t = 0 (a padded zero of the
 * normalized input is not a zero of the raw one). Returns false when it does not apply.
 */
export function foldBefore(l: FLayer, a: ElementAffine, inShape: readonly number[]): boolean {
  if (l.op === 'dense' && inShape.length === 1) {
    for (let n = 0; n < l.N; n++) {
      let shift = 0;
      for (let k = 0; k < l.K; k++) {
        shift += l.W[n * l.K + k]! * a.t[k]!;
        l.W[n * l.K + k] = l.W[n * l.K + k]! * a.s[k]!;
      }
      l.b[n] = l.b[n]! + shift;
    }
    return true;
  }
  if (l.op !== 'conv') return false;
  const s = perChannel(a.s, inShape),
    t = perChannel(a.t, inShape);
  if (!s || !t || (l.pads.some((p) => p > 0) && t.some((v) => v !== 0))) return false;
  const [M, Cg, KH, KW] = l.wShape;
  const Mg = M / l.group;
  for (let m = 0; m < M; m++) {
    let shift = 0;
    for (let c = 0; c < Cg; c++) {
      const ch = Math.floor(m / Mg) * Cg + c;
      for (let k = 0; k < KH * KW; k++) {
        const i = (m * Cg + c) * KH * KW + k;
        shift += l.W[i]! * t[ch]!;
        l.W[i] = l.W[i]! * s[ch]!;
      }
    }
    l.b[m] = l.b[m]! + shift;
  }
  return true;
}

/**
 * An elementwise affine map as a layer of its own: a depthwise 1x1 conv for a
 * [C, H, W] tensor (s and t per channel), else a diagonal dense over the last
 * axis when s and t repeat in every row of it (a vector, a [T, D] sequence).
 */
export function scaleLayer(
  name: string,
  input: string,
  output: string,
  shape: readonly number[],
  a: ElementAffine,
  folded: string[],
): FLayer {
  const K = shape[shape.length - 1]!;
  const rowS = perLastAxis(a.s, K),
    rowT = perLastAxis(a.t, K);
  const s = perChannel(a.s, shape),
    t = perChannel(a.t, shape);
  if (rowS && rowT && (shape.length !== 3 || !s || !t)) {
    // the same map in every row of the last axis: a diagonal dense over that axis
    const W = new Float64Array(K * K);
    for (let k = 0; k < K; k++) W[k * K + k] = rowS[k]!;
    return { op: 'dense', name, inputs: [input], output, shape: [...shape], folded, W, N: K, K, b: rowT, perChannel: true };
  }
  if (shape.length !== 3 || !s || !t) {
    throw new UserError(
      `node '${name}': an elementwise scale/offset that varies within a channel of [${shape.join(',')}] cannot be folded or lowered; helu-sim supports per-channel constants`,
    );
  }
  const C = shape[0]!;
  return {
    op: 'conv',
    name,
    inputs: [input],
    output,
    shape: [...shape],
    folded,
    W: s,
    wShape: [C, 1, 1, 1],
    b: t,
    group: C,
    perChannel: true,
    kernel: [1, 1],
    strides: [1, 1],
    pads: [0, 0, 0, 0],
    dilations: [1, 1],
  };
}
