/*
 * An independent bigint oracle for the integer layers (not activations),
 * written from the model.ts semantics: exact products, the accumulator's
 * rounding of finer products and its overflow after the bias and every
 * addition, the output narrowing, pools' exact division, aligned adds and
 * concat conversions. Rounding and overflow are re-derived here.
 */
import { parseFormat } from '../../src/fixedpoint/format.js';
import type { FixedFormat, Rounding } from '../../src/fixedpoint/types.js';
import type { IntLayer, WeightQuant } from '../../src/sim/quantize/model.js';

export interface OracleEvents {
  saturations: number;
  wraps: number;
}

/** num / den (den > 0) rounded with mode. */
export function roundDiv(num: bigint, den: bigint, mode: Rounding): bigint {
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n; // floor
  const r = num - q * den;
  if (r === 0n) return q;
  const twice = 2n * r;
  const neg = q < 0n;
  const up = (() => {
    switch (mode) {
      case 'TRN':
        return false;
      case 'TRN_ZERO':
        return neg;
      case 'RND':
        return twice >= den;
      case 'RND_ZERO':
        return twice > den || (twice === den && neg);
      case 'RND_MIN_INF':
        return twice > den;
      case 'RND_INF':
        return twice > den || (twice === den && !neg);
      case 'RND_CONV':
        return twice > den || (twice === den && (q & 1n) === 1n);
    }
  })();
  return up ? q + 1n : q;
}

/** x at f's LSB through f's overflow mode; one event when out of range. */
export function overflow(x: bigint, f: FixedFormat, ev: OracleEvents): bigint {
  const W = BigInt(f.width);
  const hi = f.signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n;
  const lo = f.signed ? (f.overflow === 'SAT_SYM' ? -hi : -(1n << (W - 1n))) : 0n;
  if (x >= lo && x <= hi) return x;
  if (f.overflow === 'WRAP') {
    ev.wraps++;
    const m = 1n << W;
    let r = ((x % m) + m) % m;
    if (f.signed && r >= m / 2n) r -= m;
    return r;
  }
  ev.saturations++;
  if (f.overflow === 'SAT_ZERO') return 0n;
  return x < lo ? lo : hi;
}

const F = (f: FixedFormat) => f.width - f.intBits;

/** x at fraction bits `from` into f: shifted (rounded with f's mode) then f's overflow. */
export function narrow(x: bigint, from: number, f: FixedFormat, ev: OracleEvents): bigint {
  const s = from - F(f);
  const v = s > 0 ? roundDiv(x, 1n << BigInt(s), f.rounding) : x << BigInt(-s);
  return overflow(v, f, ev);
}

function weightFormat(q: WeightQuant, m: number): FixedFormat {
  if (q.kind === 'pow2') return parseFormat(q.format);
  if (q.kind === 'pow2-channel') return parseFormat(q.formats[m]!);
  throw new Error('oracle: pow2 only');
}

const fmtOf = (q: unknown) => parseFormat((q as { format: string }).format);
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** One accumulation: bias, then each (w, x) pair in order, then narrowing into out. */
function accumulate(
  pairs: [bigint, bigint][],
  bias: bigint,
  wf: FixedFormat,
  xf: FixedFormat,
  acc: FixedFormat,
  out: FixedFormat,
  ev: OracleEvents,
): bigint {
  let a = overflow(bias, acc, ev);
  const ps = F(wf) + F(xf) - F(acc);
  for (const [w, x] of pairs) {
    const p = w * x;
    a = overflow(a + (ps > 0 ? roundDiv(p, 1n << BigInt(ps), acc.rounding) : p << BigInt(-ps)), acc, ev);
  }
  return narrow(a, F(acc), out, ev);
}

function linear(
  l: Extract<IntLayer, { op: 'dense' | 'conv' }>,
  x: bigint[],
  xf: FixedFormat,
  inShape: readonly number[],
  ev: OracleEvents,
): bigint[] {
  const out = fmtOf(l.out);
  const M = l.weights.shape[0]!;
  const per = size(l.weights.shape) / M;
  const accs = (l.acc as { formats: string[] }).formats.map((t) => parseFormat(t));
  const acc = (m: number) => accs[accs.length === 1 ? 0 : m]!;
  const w = (m: number, k: number) => BigInt(l.weights.codes[m * per + k]!);
  const bias = (m: number) => BigInt(l.bias?.[m] ?? 0);
  const y: bigint[] = [];
  if (l.op === 'dense') {
    const K = per,
      rows = x.length / K;
    for (let r = 0; r < rows; r++)
      for (let m = 0; m < M; m++) {
        const pairs: [bigint, bigint][] = [];
        for (let k = 0; k < K; k++) pairs.push([w(m, k), x[r * K + k]!]);
        y.push(accumulate(pairs, bias(m), weightFormat(l.weights.quant, m), xf, acc(m), out, ev));
      }
    return y;
  }
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = l.shape as [number, number, number];
  const Cg = C / l.group,
    Mg = M / l.group;
  for (let m = 0; m < M; m++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const pairs: [bigint, bigint][] = [];
        for (let c = 0; c < Cg; c++)
          for (let i = 0; i < l.kernel[0]; i++)
            for (let j = 0; j < l.kernel[1]; j++) {
              const h = oh * l.strides[0] - l.pads[0] + i * l.dilations[0];
              const v = ow * l.strides[1] - l.pads[1] + j * l.dilations[1];
              if (h < 0 || h >= H || v < 0 || v >= W) continue;
              pairs.push([w(m, (c * l.kernel[0] + i) * l.kernel[1] + j), x[((Math.floor(m / Mg) * Cg + c) * H + h) * W + v]!]);
            }
        y.push(accumulate(pairs, bias(m), weightFormat(l.weights.quant, m), xf, acc(m), out, ev));
      }
  return y;
}

function pool(
  l: Extract<IntLayer, { op: 'maxpool' | 'avgpool' }>,
  x: bigint[],
  xf: FixedFormat,
  inShape: readonly number[],
  ev: OracleEvents,
): bigint[] {
  const [C, H, W] = inShape as [number, number, number];
  const [, OH, OW] = l.shape as [number, number, number];
  const out = fmtOf(l.out);
  const y: bigint[] = [];
  for (let c = 0; c < C; c++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const top = oh * l.strides[0] - l.pads[0],
          left = ow * l.strides[1] - l.pads[1];
        const vals: bigint[] = [];
        for (let i = 0; i < l.kernel[0]; i++)
          for (let j = 0; j < l.kernel[1]; j++) {
            const h = top + i * l.dilations[0],
              v = left + j * l.dilations[1];
            if (h >= 0 && h < H && v >= 0 && v < W) vals.push(x[(c * H + h) * W + v]!);
          }
        if (l.op === 'maxpool') y.push(vals.reduce((a, b) => (b > a ? b : a)));
        else {
          const area = (Math.min(top + l.kernel[0], H + l.pads[2]) - top) * (Math.min(left + l.kernel[1], W + l.pads[3]) - left);
          y.push(
            average(
              vals.reduce((a, b) => a + b, 0n),
              l.countIncludePad ? area : vals.length,
              xf,
              out,
              ev,
            ),
          );
        }
      }
  return y;
}

function average(sum: bigint, div: number, xf: FixedFormat, out: FixedFormat, ev: OracleEvents): bigint {
  const d = F(out) - F(xf);
  const num = d >= 0 ? sum << BigInt(d) : sum;
  const den = BigInt(div) << BigInt(Math.max(-d, 0));
  return overflow(roundDiv(num, den, out.rounding), out, ev);
}

/**
 * Output codes of one sample through layer l (activations excluded: undefined),
 * from the input codes of that sample.
 */
export function oracleLayer(
  l: IntLayer,
  ins: bigint[][],
  inFormats: FixedFormat[],
  inShapes: (readonly number[])[],
  ev: OracleEvents,
): bigint[] | undefined {
  const x = ins[0]!,
    xf = inFormats[0]!;
  switch (l.op) {
    case 'dense':
    case 'conv':
      return linear(l, x, xf, inShapes[0]!, ev);
    case 'maxpool':
    case 'avgpool':
      return pool(l, x, xf, inShapes[0]!, ev);
    case 'globalavgpool': {
      const [C, H, W] = inShapes[0] as [number, number, number];
      return Array.from({ length: C }, (_, c) =>
        average(
          x.slice(c * H * W, (c + 1) * H * W).reduce((a, b) => a + b, 0n),
          H * W,
          xf,
          fmtOf(l.out),
          ev,
        ),
      );
    }
    case 'flatten':
    case 'reshape':
      return [...x];
    case 'transpose': {
      const s = inShapes[0]!;
      const os = l.perm.map((a) => s[a]!);
      return Array.from({ length: x.length }, (_, o) => {
        const idx: number[] = [];
        let rest = o;
        for (let a = os.length - 1; a >= 0; a--) {
          idx[l.perm[a]!] = rest % os[a]!;
          rest = Math.floor(rest / os[a]!);
        }
        return x[idx.reduce((acc, v, a) => acc * s[a]! + v, 0)]!;
      });
    }
    case 'add': {
      const Fm = Math.max(F(inFormats[0]!), F(inFormats[1]!));
      return x.map((a, i) =>
        narrow((a << BigInt(Fm - F(inFormats[0]!))) + (ins[1]![i]! << BigInt(Fm - F(inFormats[1]!))), Fm, fmtOf(l.out), ev),
      );
    }
    case 'concat': {
      const outer = size(inShapes[0]!.slice(0, l.axis));
      const y: bigint[] = [];
      for (let r = 0; r < outer; r++)
        ins.forEach((t, k) => {
          const b = size(inShapes[k]!.slice(l.axis));
          for (let i = 0; i < b; i++) y.push(narrow(t[r * b + i]!, F(inFormats[k]!), fmtOf(l.out), ev));
        });
      return y;
    }
    case 'activation':
      return undefined;
  }
}
