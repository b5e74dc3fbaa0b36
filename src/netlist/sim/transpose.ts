/**
 * In-place transposition of a 32x32 bit matrix held in a[o .. o+31]:
 * afterwards bit j of a[o+i] is what bit i of a[o+j] was. It turns 32 vector
 * values (one per word) into 32 bit planes (bit j of plane i = bit i of vector
 * j) and back. Five rounds of block swaps (16, 8, 4, 2, 1 bits), 80 swaps.
 */
export function transpose32(a: Int32Array, o: number): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m ^= m << j) {
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const t = ((a[o + k] >>> j) ^ a[o + (k | j)]) & m;
      a[o + k] ^= t << j;
      a[o + (k | j)] ^= t;
    }
  }
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const TWO32 = 4294967296;

/**
 * Packs up to 32 raw values (numbers 0 .. 2^53-1) starting at values[start]
 * into bit planes: planes[p][w] bit j = bit p of values[start + j] (missing
 * vectors are 0). `scratch` is a 64-word work area.
 */
export function packWord(
  values: ArrayLike<number>,
  start: number,
  count: number,
  width: number,
  planes: readonly Int32Array[],
  w: number,
  scratch: Int32Array,
): void {
  const n = Math.min(32, count - start);
  for (let j = 0; j < 32; j++) {
    const v = j < n ? values[start + j] : 0;
    scratch[j] = v | 0;
    scratch[32 + j] = width > 32 ? Math.floor(v / TWO32) | 0 : 0;
  }
  transpose32(scratch, 0);
  for (let p = 0; p < width && p < 32; p++) planes[p][w] = scratch[p];
  if (width > 32) {
    transpose32(scratch, 32);
    for (let p = 32; p < width; p++) planes[p][w] = scratch[p];
  }
}

/**
 * Unpacks word w of `width` bit planes into up to 32 raw values written to
 * out[start ..] (the inverse of packWord).
 */
export function unpackWord(
  planes: readonly Int32Array[],
  w: number,
  width: number,
  out: Float64Array,
  start: number,
  count: number,
  scratch: Int32Array,
): void {
  for (let p = 0; p < 32; p++) scratch[p] = p < width ? planes[p][w] : 0;
  transpose32(scratch, 0);
  if (width > 32) {
    for (let p = 32; p < 64; p++) scratch[p] = p < width ? planes[p][w] : 0;
    transpose32(scratch, 32);
  }
  const n = Math.min(32, count - start);
  for (let j = 0; j < n; j++) {
    out[start + j] = (scratch[j] >>> 0) + (width > 32 ? (scratch[32 + j] >>> 0) * TWO32 : 0);
  }
}

/**
 * Straight-line source of transpose32 on 32 `let` variables (names[i] plays
 * a[o+i]), using a scratch variable `tmpName` that the caller declares. Used
 * inside generated kernels so the words stay in registers.
 */
export function transposeSource(names: readonly string[], tmpName: string): string {
  const lines: string[] = [];
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m ^= m << j) {
    for (let k = 0; k < 32; k = ((k | j) + 1) & ~j) {
      const a = names[k],
        b = names[k | j];
      lines.push(`${tmpName} = ((${a} >>> ${j}) ^ ${b}) & ${m | 0}; ${a} ^= ${tmpName} << ${j}; ${b} ^= ${tmpName};`);
    }
  }
  return lines.join('\n');
}
