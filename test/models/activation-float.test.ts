// activations/float.ts against independent formulas: erf by its Maclaurin
// series, derivatives by central differences, HeLU's gradient by the paper's rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_KINDS,
  activationFloat,
  activationGrad,
  activationToString,
  parseActivation,
  type ActivationSpec,
} from '../../src/activations/float.js';
import { UserError } from '../../src/errors.js';

/** erf by its Maclaurin series, accurate to ~1e-13 for |x| <= 3. */
function erfSeries(x: number): number {
  let term = x,
    sum = x;
  for (let n = 1; n < 120; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const relu6 = (x: number) => Math.min(Math.max(x, 0), 6);
const oracle: Record<string, (s: ActivationSpec, x: number) => number> = {
  helu: (_, x) => Math.max(x, 0),
  relu: (_, x) => Math.max(x, 0),
  leakyrelu: (s, x) => (x < 0 ? s.alpha! * x : x),
  relu6: (_, x) => relu6(x),
  clamp: (s, x) => Math.min(Math.max(x, s.min!), s.max!),
  hardsigmoid: (_, x) => relu6(x + 3) / 6,
  hardswish: (_, x) => (x * relu6(x + 3)) / 6,
  gelu: (_, x) => 0.5 * x * (1 + erfSeries(x / Math.SQRT2)),
  silu: (_, x) => x * (1 / (1 + Math.exp(-x))),
  sigmoid: (_, x) => 1 / (1 + Math.exp(-x)),
  tanh: (_, x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
  elu: (s, x) => (x > 0 ? x : s.alpha! * (Math.exp(x) - 1)),
};

const SPECS = [
  'helu',
  'relu',
  'leakyrelu:0.01',
  'leakyrelu',
  'relu6',
  'clamp:-1.5:2',
  'hardsigmoid',
  'hardswish',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'elu',
  'elu:0.5',
].map(parseActivation);

describe('activationFloat', () => {
  it('matches independent formulas on [-4, 4]', () => {
    for (const s of SPECS) {
      for (let x = -4; x <= 4; x += 1 / 64) {
        const want = oracle[s.kind]!(s, x);
        expect(Math.abs(activationFloat(s, x) - want), `${activationToString(s)} at ${x}`).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(want)),
        );
      }
    }
  });

  it('HeLU forward is ReLU exactly, every double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => Object.is(activationFloat({ kind: 'helu', alpha: 0.05 }, x), x > 0 ? x : 0)),
      { seed: 5, numRuns: 2000 },
    );
  });
});

describe('activationGrad', () => {
  it('HeLU: 1 exactly where x > -alpha, else 0 (the hysteresis rule)', () => {
    for (const alpha of [0.05, 0.001, 0.5]) {
      for (const x of [-1, -alpha - 1e-9, -alpha, -alpha + 1e-9, -alpha / 2, 0, 1e-12, 3]) {
        expect(activationGrad({ kind: 'helu', alpha }, x)).toBe(x > -alpha ? 1 : 0);
      }
    }
  });

  it('equals the central difference away from kinks', () => {
    const kinks = (s: ActivationSpec) => [0, 6, -3, 3, s.min ?? 99, s.max ?? 99];
    for (const s of SPECS.filter((s) => s.kind !== 'helu')) {
      for (let x = -4.05; x <= 4; x += 0.1) {
        if (kinks(s).some((k) => Math.abs(x - k) < 1e-3)) continue;
        const h = 1e-6;
        const num = (oracle[s.kind]!(s, x + h) - oracle[s.kind]!(s, x - h)) / (2 * h);
        expect(Math.abs(activationGrad(s, x) - num), `${activationToString(s)} at ${x}`).toBeLessThan(1e-6);
      }
    }
  });
});

describe('parseActivation / activationToString', () => {
  it('fills defaults: helu alpha 0.05, leakyrelu 2^-3, elu 1, clamp [-1, 1]', () => {
    expect(parseActivation('helu')).toEqual({ kind: 'helu', alpha: 0.05 });
    expect(parseActivation('HeLU:0.001')).toEqual({ kind: 'helu', alpha: 0.001 });
    expect(parseActivation('leakyrelu')).toEqual({ kind: 'leakyrelu', alpha: 0.125 });
    expect(parseActivation('elu')).toEqual({ kind: 'elu', alpha: 1 });
    expect(parseActivation('clamp')).toEqual({ kind: 'clamp', min: -1, max: 1 });
    expect(parseActivation('swish')).toEqual({ kind: 'silu' });
  });

  it('round-trips every kind with random parameters', () => {
    const spec = fc.oneof(
      fc.constantFrom(...ACTIVATION_KINDS).map((k) => parseActivation(k)),
      fc
        .tuple(fc.constantFrom('helu', 'leakyrelu', 'elu'), fc.double({ min: 0, max: 4, noNaN: true }))
        .map(([k, a]) => parseActivation(`${k}:${a}`)),
      fc
        .tuple(fc.double({ min: -8, max: 0, noNaN: true }), fc.double({ min: 0.01, max: 8, noNaN: true }))
        .map(([a, b]) => parseActivation(`clamp:${a}:${b}`)),
    );
    fc.assert(
      fc.property(spec, (s) => {
        expect(parseActivation(activationToString(s))).toEqual(s);
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it('rejects bad names and parameters with a UserError listing the accepted forms', () => {
    for (const bad of ['swishy', 'relu:1', 'clamp:1', 'clamp:2:1', 'helu:-1', 'leakyrelu:x', 'helu:1:2']) {
      expect(() => parseActivation(bad), bad).toThrow(UserError);
    }
    expect(() => parseActivation('foo')).toThrow(/accepted: helu, relu, leakyrelu/);
  });
});
