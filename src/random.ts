/**
 * Seeded pseudo-random numbers (mulberry32: 32-bit state advanced by a Weyl
 * step, period 2^32): weight initialization, shuffling, random test vectors.
 * Every use takes an explicit seed so runs replay exactly. (The bit-parallel
 * simulator's stimulus has its own wider-state generator, VectorRng.)
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  next32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1), a multiple of 2^-32. */
  next(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [-limit, limit). */
  uniform(limit: number): number {
    return (2 * this.next() - 1) * limit;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(a: Int32Array): Int32Array {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }
}
