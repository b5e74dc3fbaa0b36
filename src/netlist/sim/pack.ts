import { packWord, transposeSource, unpackWord } from './transpose.js';

/**
 * Generated packers between raw values and bit planes, one per port width:
 * 32 values are loaded into local variables, transposed in registers
 * (transposeSource) and stored as `width` plane words, so no per-bit loop runs.
 * Partial words (past `count`) take the generic packWord/unpackWord path.
 */
export type Packer = (
  values: ArrayLike<number>,
  count: number,
  planes: readonly Int32Array[],
  w0: number,
  n: number,
  scratch: Int32Array,
) => void;
export type Unpacker = (
  planes: readonly Int32Array[],
  out: Float64Array,
  count: number,
  w0: number,
  n: number,
  scratch: Int32Array,
) => void;

const packers = new Map<number, Packer>();
const unpackers = new Map<number, Unpacker>();

function names(prefix: string): string[] {
  return Array.from({ length: 32 }, (_, j) => `${prefix}${j}`);
}

/** Packer for a port of `width` bits (1..53): words w0 .. w0+n-1 of the values into planes[.][0 .. n-1]. */
export function packerFor(width: number): Packer {
  let p = packers.get(width);
  if (p) return p;
  const lo = names('a'),
    hi = names('h');
  const src = [
    `"use strict"; return function pack${width}(V, count, P, w0, n, S) {`,
    Array.from({ length: width }, (_, i) => `const p${i} = P[${i}];`).join('\n'),
    'let tq = 0;',
    'for (let w = 0; w < n; w++) {',
    'const s = (w0 + w) * 32;',
    `if (s + 32 > count) { packWord(V, s, count, ${width}, P, w, S); continue; }`,
    `let ${lo.map((a, j) => `${a} = V[s + ${j}] | 0`).join(', ')};`,
    transposeSource(lo, 'tq'),
    ...(width > 32 ? [`let ${hi.map((a, j) => `${a} = (V[s + ${j}] / 4294967296) | 0`).join(', ')};`, transposeSource(hi, 'tq')] : []),
    Array.from({ length: width }, (_, i) => `p${i}[w] = ${i < 32 ? lo[i] : hi[i - 32]};`).join('\n'),
    '}',
    '};',
  ].join('\n');
  p = new Function('packWord', src)(packWord) as Packer;
  packers.set(width, p);
  return p;
}

/** Unpacker for a port of `width` bits: planes[.][0 .. n-1] into out[32*w0 ..]. */
export function unpackerFor(width: number): Unpacker {
  let u = unpackers.get(width);
  if (u) return u;
  const lo = names('a'),
    hi = names('h');
  const value = (j: number): string => (width > 32 ? `(${lo[j]} >>> 0) + (${hi[j]} >>> 0) * 4294967296` : `${lo[j]} >>> 0`);
  const src = [
    `"use strict"; return function unpack${width}(P, O, count, w0, n, S) {`,
    Array.from({ length: width }, (_, i) => `const p${i} = P[${i}];`).join('\n'),
    'let tq = 0;',
    'for (let w = 0; w < n; w++) {',
    'const s = (w0 + w) * 32;',
    `if (s + 32 > count) { unpackWord(P, w, ${width}, O, s, count, S); continue; }`,
    `let ${lo.map((a, j) => `${a} = ${j < width ? `p${j}[w]` : 0}`).join(', ')};`,
    transposeSource(lo, 'tq'),
    ...(width > 32
      ? [`let ${hi.map((a, j) => `${a} = ${32 + j < width ? `p${32 + j}[w]` : 0}`).join(', ')};`, transposeSource(hi, 'tq')]
      : []),
    Array.from({ length: 32 }, (_, j) => `O[s + ${j}] = ${value(j)};`).join('\n'),
    '}',
    '};',
  ].join('\n');
  u = new Function('unpackWord', src)(unpackWord) as Unpacker;
  unpackers.set(width, u);
  return u;
}
