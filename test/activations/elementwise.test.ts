// The elementwise units of imported networks (src/activations/elementwise.ts): each unit's
// function is the ONNX op's formula, written again here from the operator spec, and its table
// model, exact model and ROM circuit agree with the independent rational oracle on every input
// code of random formats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONST_KINDS, UNARY_KINDS, UNIT_BOUND } from '../../src/activations/elementwise.js';
import { activationFloat, activationToString, parseActivation, type ActivationSpec } from '../../src/activations/float.js';
import { getActivation } from '../../src/activations/registry.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../src/fixedpoint/types.js';
import { firstDisagreement } from './helpers.js';

/** The ONNX operator spec's formula of each op, in float64 (Erf: the tabulated values below). */
const FORMULAS: Record<string, (x: number, c: number) => number> = {
  neg: (x) => -x,
  abs: (x) => (x < 0 ? -x : x),
  sqrt: (x) => x ** 0.5,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  mish: (x) => x * Math.tanh(x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  softsign: (x) => x / (1 + Math.abs(x)),
  floor: (x) => Math.floor(x),
  trunc: (x) => (x < 0 ? Math.ceil(x) : Math.floor(x)),
  bool: (x) => (x === 0 ? 0 : 1),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  pow: (x, c) => x ** c,
  min: (x, c) => (x < c ? x : c),
  max: (x, c) => (x > c ? x : c),
  greater: (x, c) => Number(x > c),
  lessorequal: (x, c) => Number(x <= c),
};

describe('elementwise units: the op formula, NaN as 0, beyond +-2^24 saturated', () => {
  it('equal the ONNX formulas on random inputs (seed 31)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(FORMULAS)),
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.constantFrom(-1, 0, 0.5, 2, 3),
        (kind, x, c) => {
          const spec = parseActivation(CONST_KINDS.includes(kind as never) ? `${kind}:${c}` : kind);
          const v = FORMULAS[kind]!(x, c);
          const want = Number.isNaN(v) ? 0 : Math.max(-UNIT_BOUND, Math.min(UNIT_BOUND, v));
          expect(Math.abs(activationFloat(spec, x) - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -48);
        },
      ),
      { seed: 31, numRuns: 2000 },
    );
  });

  it('erf at tabulated points (Abramowitz and Stegun, table 7.1)', () => {
    const erf = (x: number) => activationFloat({ kind: 'erf' }, x);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 9);
    expect(erf(1)).toBeCloseTo(0.8427007929, 9);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 9);
  });

  it('undefined points and infinities', () => {
    expect(activationFloat({ kind: 'sqrt' }, -1)).toBe(0);
    expect(activationFloat({ kind: 'log' }, 0)).toBe(-UNIT_BOUND);
    expect(activationFloat({ kind: 'reciprocal' }, 0)).toBe(UNIT_BOUND);
    expect(activationFloat({ kind: 'exp' }, 100)).toBe(UNIT_BOUND);
  });

  it('texts round-trip; a constant kind needs its constant', () => {
    for (const t of ['softplus', 'pow:2', 'max:0.5', 'greaterorequal:-1', 'trunc']) expect(activationToString(parseActivation(t))).toBe(t);
    expect(() => parseActivation('pow')).toThrow(/pow takes one constant, 'pow:C'/);
  });
});

const arbFormat: fc.Arbitrary<FixedFormat> = fc
  .record({
    signed: fc.boolean(),
    width: fc.integer({ min: 2, max: 8 }),
    intBits: fc.integer({ min: -2, max: 6 }),
    rounding: fc.constantFrom(...ROUNDINGS),
    overflow: fc.constantFrom(...OVERFLOWS),
  })
  .map((f) => ({ ...f, intBits: Math.min(f.intBits, f.width + 2) }));

const arbSpec: fc.Arbitrary<ActivationSpec> = fc.oneof(
  fc.constantFrom(...UNARY_KINDS).map((kind) => parseActivation(kind)),
  fc.tuple(fc.constantFrom(...CONST_KINDS), fc.constantFrom(-1.5, -0.25, 0, 0.5, 2, 3)).map(([k, c]) => parseActivation(`${k}:${c}`)),
);

describe('elementwise units on random formats: circuit == table model == exact model == rational oracle', () => {
  it('on every input code (seed 20261203)', () => {
    fc.assert(
      fc.property(arbSpec, arbFormat, arbFormat, (spec, inFmt, outFmt) => {
        expect(firstDisagreement(getActivation(spec), inFmt, outFmt)).toBeUndefined();
      }),
      { seed: 20261203, numRuns: 150 },
    );
  });
});
