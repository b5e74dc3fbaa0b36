import fc from 'fast-check';

/** Integers in [min, max], weighted towards the ends and small values (where wrap and sign bugs show). */
export function edgyInt(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(min, min + 1, max, max - 1, 0, 1, -1) },
    { weight: 3, arbitrary: fc.integer({ min, max }) },
  );
}

/** Dimensions M, K, N, biased to tile edges (1, 2, odd, 15..17) and past them. */
export const dims = fc.tuple(
  fc.oneof(fc.constantFrom(1, 2, 3), fc.integer({ min: 1, max: 9 })),
  fc.oneof(fc.constantFrom(1, 2, 3), fc.integer({ min: 1, max: 41 })),
  fc.oneof(fc.constantFrom(1, 7, 8, 9, 15, 16, 17), fc.integer({ min: 1, max: 40 })),
);

/** A matrix case: dims and row-major A (M x K), B (K x N) drawn from `elem`. */
export function gemmCase(elem: fc.Arbitrary<number>) {
  return dims.chain(([M, K, N]) =>
    fc.record({
      M: fc.constant(M),
      K: fc.constant(K),
      N: fc.constant(N),
      a: fc.array(elem, { minLength: M * K, maxLength: M * K }),
      b: fc.array(elem, { minLength: K * N, maxLength: K * N }),
      c0: fc.array(elem, { minLength: M * N, maxLength: M * N }),
    }),
  );
}

/** B (K x N, row-major) transposed to N x K. */
export function transpose(b: readonly number[], K: number, N: number): number[] {
  const t: number[] = [];
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) t.push(b[k * N + n]!);
  return t;
}
