import { makeKernel, type Bit, type Netlist } from '../netlist/index.js';

/** Widest enumerated front (both operands together): 2^24 operand pairs. */
export const FRONT_MAX_BITS = 24;
const BLOCK_WORDS = 4096;

/**
 * How one frontier net reads a number V(a, b) of the two front operands:
 * bit `bit` of V's two's complement, inverted when `invert`; or a constant
 * (bit -1, the constant's value in `invert`).
 */
export interface BitMap {
  readonly bit: number;
  readonly invert: boolean;
}

export interface FrontMapping {
  /** For frontier net k, how it reads V; undefined when some net reads no bit of V. */
  readonly map?: readonly BitMap[];
  /** The first operand pair (a + 2^Wa * b) at which the first unmapped net left its last candidate. */
  readonly firstMiss?: number;
  /** Smallest and largest V over every operand pair. */
  readonly min: number;
  readonly max: number;
  readonly vectors: number;
}

/**
 * Enumerates every pair of the front ports' values (`a` the low index bits,
 * `b` the high ones, registers transparent), simulating the frontier nets
 * bit-parallel, and finds for each net the bit of V(a, b) it equals for every
 * pair (or that it is constant). `value` returns V as an exact integer
 * (|V| < 2^53). This is the exhaustive half of a decomposed proof: when every
 * frontier net is mapped, the frontier carries exactly V (or bits of it) to
 * the rest of the circuit.
 */
export function mapFront(
  net: Netlist,
  ports: readonly [string, string],
  frontier: readonly Bit[],
  value: (a: number, b: number) => number,
): FrontMapping {
  const aBits = net.port(ports[0]).bits,
    bBits = net.port(ports[1]).bits;
  const n = aBits.length + bBits.length;
  if (n > FRONT_MAX_BITS || n < 5) throw new Error(`internal: front of ${n} bits`);
  const words = 2 ** (n - 5),
    block = Math.min(words, BLOCK_WORDS);
  const kernel = makeKernel(
    net,
    { mode: 'transparent', inputs: [], outputs: frontier, counterBits: [...aBits, ...bBits], maxWords: block },
    words,
  );
  const out = new Int32Array(frontier.length * block);
  const aMask = (1 << aBits.length) - 1;
  const valueAt = (i: number): number => value(i & aMask, Math.floor(i / (aMask + 1)));
  let min = Infinity,
    max = -Infinity,
    firstMiss: number | undefined;
  for (let i = 0; i < words * 32; i++) {
    const v = valueAt(i);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Bits nb and above of every V are copies of its sign bit nb - 1: candidates are bits 0..nb-1 and the constant.
  const nb = Math.max(signedBitsOf(min), signedBitsOf(max)),
    CANDIDATES = nb + 1;
  // alive[k]: candidate (bit, polarity) pairs still consistent for net k, 2 * CANDIDATES entries.
  const alive = frontier.map(() => new Uint8Array(2 * CANDIDATES).fill(1));
  const cols = new Int32Array(nb * block);
  for (let w0 = 0; w0 < words; w0 += block) {
    const nw = Math.min(block, words - w0);
    kernel.run(new Int32Array(0), out, nw, w0);
    cols.fill(0);
    for (let w = 0; w < nw; w++) {
      for (let j = 0; j < 32; j++) {
        const v = valueAt((w0 + w) * 32 + j);
        const lo = v | 0,
          hi = Math.floor(v / 4294967296) | 0;
        for (let t = 0; t < nb; t++) cols[t * block + w] |= ((t < 32 ? lo >>> t : hi >>> (t - 32)) & 1) << j;
      }
    }
    for (let k = 0; k < frontier.length; k++) {
      const al = alive[k]!;
      for (let c = 0; c < 2 * CANDIDATES; c++) {
        if (!al[c]) continue;
        const cand = c >> 1,
          inv = c & 1 ? -1 : 0;
        for (let w = 0; w < nw; w++) {
          const ref = cand < nb ? cols[cand * block + w]! ^ inv : inv;
          if (out[k * block + w] !== ref) {
            al[c] = 0;
            break;
          }
        }
      }
      if (firstMiss === undefined && !al.includes(1)) firstMiss = w0 * 32;
    }
  }
  const map: BitMap[] = [];
  for (const al of alive) {
    const c = al.indexOf(1);
    if (c < 0) return { min, max, vectors: words * 32, firstMiss };
    map.push({ bit: c >> 1 < nb ? c >> 1 : -1, invert: (c & 1) === 1 });
  }
  return { map, min, max, vectors: words * 32 };
}

/** Two's complement bits that hold v (an integer of magnitude below 2^52). */
function signedBitsOf(v: number): number {
  let b = 1;
  while (v < -(2 ** (b - 1)) || v > 2 ** (b - 1) - 1) b++;
  return b;
}
