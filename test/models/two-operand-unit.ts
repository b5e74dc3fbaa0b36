// Property check of a two-operand pow2 unit circuit (a residual adder, an elementwise
// multiplier): on random format triples and random operand codes, the simulated circuit's output
// equals the exact integer result (computed by the caller's bigint formula) narrowed into the
// output format by the independent oracle of test/sim/oracle.ts.
import fc from 'fast-check';
import { expect } from 'vitest';
import { formatToString } from '../../src/fixedpoint/format.js';
import type { FixedFormat } from '../../src/fixedpoint/types.js';
import type { Netlist } from '../../src/netlist/ir.js';
import { simulateVectors } from '../../src/netlist/index.js';
import { Rng } from '../../src/random.js';
import { narrow } from '../sim/oracle.js';

/** The exact result of codes a and b: an integer at `frac` fraction bits. */
export type ExactOf = (a: bigint, b: bigint, fa: FixedFormat, fb: FixedFormat) => { value: bigint; frac: number };

export const fracOf = (f: FixedFormat): number => f.width - f.intBits;

export function checkTwoOperandUnit(
  build: (fa: FixedFormat, fb: FixedFormat, fo: FixedFormat) => Netlist,
  exact: ExactOf,
  seed: number,
  maxWidth: number,
  op: string,
): void {
  const fmt: fc.Arbitrary<FixedFormat> = fc.record({
    width: fc.integer({ min: 2, max: maxWidth }),
    intBits: fc.integer({ min: -2, max: 8 }),
    signed: fc.boolean(),
    rounding: fc.constantFrom('TRN' as const, 'RND_CONV' as const, 'RND' as const),
    overflow: fc.constantFrom('SAT' as const, 'WRAP' as const),
  });
  fc.assert(
    fc.property(fmt, fmt, fmt, fc.integer({ min: 0, max: 2 ** 30 }), (fa, fb, fo, s) => {
      const net = build(fa, fb, fo);
      const r = new Rng(s);
      const n = 64;
      const ra = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fa.width));
      const rb = Float64Array.from({ length: n }, () => Math.floor(r.next() * 2 ** fb.width));
      const y = simulateVectors(net, { a: ra, b: rb }, n).outputs.y!;
      const code = (raw: number, f: FixedFormat) => (f.signed ? BigInt.asIntN(f.width, BigInt(raw)) : BigInt(raw));
      for (let k = 0; k < n; k++) {
        const e = exact(code(ra[k]!, fa), code(rb[k]!, fb), fa, fb);
        const want = narrow(e.value, e.frac, fo, { saturations: 0, wraps: 0 });
        expect(code(y[k]!, fo), `${formatToString(fa)} ${op} ${formatToString(fb)} -> ${formatToString(fo)}`).toBe(want);
      }
    }),
    { seed, numRuns: 60 },
  );
}
