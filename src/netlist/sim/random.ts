/**
 * A small seeded generator (xorshift128+ style on 32-bit halves would need
 * 64-bit math; this is sfc32, 128-bit state, period >= 2^32, passes PractRand
 * to 2^40+). Used for random test vectors so every run can be replayed.
 */
export class VectorRng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed | 0;
    for (let i = 0; i < 16; i++) this.next32();
  }

  /** Uniform 32-bit unsigned integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, 2^bits), bits <= 53. */
  bits(bits: number): number {
    if (bits <= 32) return bits === 32 ? this.next32() : this.next32() & (2 ** bits - 1);
    const hi = this.next32() & (2 ** (bits - 32) - 1);
    return hi * 4294967296 + this.next32();
  }
}
