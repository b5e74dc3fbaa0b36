/*
 * Independent oracles for the WebAssembly kernels: plain loops over unpacked
 * row-major matrices, in BigInt (exact, then reduced to the kernel's stated
 * width) or in doubles in the stated order.
 */

/** sum_k A[i,k] * B[k,j] (+ C0) exactly, A row-major M x K, B row-major K x N. */
export function gemmBig(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: number,
  K: number,
  N: number,
  c0?: ArrayLike<number | bigint>,
): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = c0 ? BigInt(c0[i * N + j]!) : 0n;
      for (let k = 0; k < K; k++) s += BigInt(a[i * K + k]!) * BigInt(b[k * N + j]!);
      out.push(s);
    }
  }
  return out;
}

/** Scalar float64 GEMM: s = C0 or 0; s = s + a*b for k increasing. */
export function gemmF64Scalar(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: number,
  K: number,
  N: number,
  c0?: ArrayLike<number>,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = c0 ? c0[i * N + j]! : 0;
      for (let k = 0; k < K; k++) s = s + a[i * K + k]! * b[k * N + j]!;
      out.push(s);
    }
  }
  return out;
}

export interface ConvCase {
  n: number;
  group: number;
  cig: number;
  cog: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  pb: number;
  pr: number;
  dh: number;
  dw: number;
  pad: number;
}

/**
 * Direct NCHW convolution: for each output, s = start(index) then
 * s = add(s, weight, value) over (ci, ki, kj) increasing, positions outside the
 * image reading `pad`. Returns [values, OH, OW].
 */
function convDirect<T>(
  x: ArrayLike<number>,
  wt: ArrayLike<number>,
  c: ConvCase,
  start: (i: number) => T,
  add: (s: T, w: number, v: number) => T,
): [T[], number, number] {
  const oh = Math.floor((c.h + c.pt + c.pb - c.dh * (c.kh - 1) - 1) / c.sh) + 1;
  const ow = Math.floor((c.w + c.pl + c.pr - c.dw * (c.kw - 1) - 1) / c.sw) + 1;
  const cin = c.cig * c.group,
    cout = c.cog * c.group;
  const out: T[] = [];
  for (let n = 0; n < c.n; n++) {
    for (let co = 0; co < cout; co++) {
      const g = Math.floor(co / c.cog);
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let s = start(out.length);
          for (let ci = 0; ci < c.cig; ci++) {
            for (let ki = 0; ki < c.kh; ki++) {
              for (let kj = 0; kj < c.kw; kj++) {
                const iy = oy * c.sh - c.pt + ki * c.dh,
                  ix = ox * c.sw - c.pl + kj * c.dw;
                const inside = iy >= 0 && iy < c.h && ix >= 0 && ix < c.w;
                const v = inside ? x[((n * cin + g * c.cig + ci) * c.h + iy) * c.w + ix]! : c.pad;
                s = add(s, wt[((co * c.cig + ci) * c.kh + ki) * c.kw + kj]!, v);
              }
            }
          }
          out.push(s);
        }
      }
    }
  }
  return [out, oh, ow];
}

/** Exact direct convolution (BigInt). Returns [values, OH, OW]. */
export function convBig(x: ArrayLike<number>, wt: ArrayLike<number>, c: ConvCase): [bigint[], number, number] {
  return convDirect(
    x,
    wt,
    c,
    () => 0n,
    (s, w, v) => s + BigInt(w) * BigInt(v),
  );
}

/** Direct convolution in doubles: s = +0 (or C0), then s = s + w * v over (ci, ki, kj) increasing, padded taps reading `pad`. */
export function convF64Scalar(x: ArrayLike<number>, wt: ArrayLike<number>, c: ConvCase, c0?: ArrayLike<number>): number[] {
  return convDirect(
    x,
    wt,
    c,
    (i) => (c0 ? c0[i]! : 0),
    (s, w, v) => s + w * v,
  )[0];
}

/** Two's-complement reduction of exact values to `bits` (the kernels' wrap semantics). */
export function wrap(xs: bigint[], bits: number): bigint[] {
  return xs.map((v) => BigInt.asIntN(bits, v));
}
