import fc from 'fast-check';

/* Random convolution geometries for the reference's conv kernel tests (shrinkable; every window fits the padded input). */

export interface Geo {
  C: number;
  H: number;
  W: number;
  M: number;
  group: number;
  kh: number;
  kw: number;
  s: number;
  p: number;
  d: number;
  batch: number;
}

export const geometry = fc
  .record({
    g: fc.integer({ min: 1, max: 2 }),
    cpg: fc.integer({ min: 1, max: 3 }),
    mpg: fc.integer({ min: 1, max: 5 }),
    H: fc.integer({ min: 1, max: 7 }),
    W: fc.integer({ min: 1, max: 7 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    s: fc.integer({ min: 1, max: 2 }),
    p: fc.integer({ min: 0, max: 2 }),
    d: fc.integer({ min: 1, max: 2 }),
    batch: fc.integer({ min: 1, max: 3 }),
  })
  .map((r): Geo => ({
    C: r.g * r.cpg,
    H: r.H,
    W: r.W,
    M: r.g * r.mpg,
    group: r.g,
    kh: r.kh,
    kw: r.kw,
    s: r.s,
    p: r.p,
    d: r.d,
    batch: r.batch,
  }))
  .filter((g) => g.H + 2 * g.p >= (g.kh - 1) * g.d + 1 && g.W + 2 * g.p >= (g.kw - 1) * g.d + 1);

export const outSize = (n: number, k: number, g: Geo) => Math.floor((n + 2 * g.p - ((k - 1) * g.d + 1)) / g.s) + 1;
