import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getActivation, normalizeActivation, type ActivationSpec } from '../../src/activations/index.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../src/fixedpoint/types.js';
import { firstDisagreement } from './helpers.js';

/** Random formats: widths 1..12 (2..12 signed), I from -4 to W + 4, any modes. */
const arbFormat: fc.Arbitrary<FixedFormat> = fc
  .record({
    signed: fc.boolean(),
    width: fc.integer({ min: 1, max: 12 }),
    iOffset: fc.integer({ min: -4, max: 4 }),
    iFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    rounding: fc.constantFrom(...ROUNDINGS),
    overflow: fc.constantFrom(...OVERFLOWS),
  })
  .map(({ signed, width, iOffset, iFrac, rounding, overflow }) => {
    const w = signed ? Math.max(width, 2) : width;
    return { signed, width: w, intBits: Math.floor(iFrac * w) + iOffset, rounding, overflow };
  });

const arbSlope = fc.oneof(
  fc.integer({ min: 0, max: 8 }).map((k) => 2 ** -k),
  fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }),
);
const arbBound = fc.double({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });

const arbSpec: fc.Arbitrary<ActivationSpec> = fc.oneof(
  fc
    .constantFrom<ActivationSpec['kind']>('helu', 'relu', 'relu6', 'hardsigmoid', 'hardswish', 'gelu', 'silu', 'sigmoid', 'tanh')
    .map((kind) => normalizeActivation({ kind })),
  arbSlope.map((alpha) => ({ kind: 'leakyrelu' as const, alpha })),
  fc.double({ min: 0.05, max: 3, noNaN: true }).map((alpha) => ({ kind: 'elu' as const, alpha })),
  fc
    .tuple(arbBound, arbBound)
    .filter(([a, b]) => a < b)
    .map(([min, max]) => ({ kind: 'clamp' as const, min, max })),
);

describe('random formats: circuit == functional == independent oracle, on every input code', () => {
  it('holds for random activations and format pairs (seed 20241115)', () => {
    fc.assert(
      fc.property(arbSpec, arbFormat, fc.option(arbFormat, { nil: undefined }), (spec, inFmt, out) => {
        const def = getActivation(spec);
        const outFmt = out ?? def.defaultOutput(inFmt);
        expect(firstDisagreement(def, inFmt, outFmt)).toBeUndefined();
      }),
      { seed: 20241115, numRuns: 250 },
    );
  });
});
