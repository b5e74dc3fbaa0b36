import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { formatToString } from '../../src/fixedpoint/index.js';
import { checkAgainstModel } from '../../src/netlist/index.js';
import { rawModel } from '../../src/activations/describe.js';
import type { FixedFormat } from '../../src/fixedpoint/types.js';
import { firstDisagreement, fmt } from './helpers.js';

// Every activation, exhaustively at 8 input bits, over a spread of formats:
// signed and unsigned, I negative, small and beyond W, output != input.
const SPECS = [
  'helu',
  'relu',
  'leakyrelu',
  'leakyrelu:0.01',
  'leakyrelu:0.25',
  'leakyrelu:-0.3',
  'leakyrelu:1.5',
  'relu6',
  'clamp',
  'clamp:-1.3:2.7',
  'clamp:0.1:0.2',
  'hardsigmoid',
  'hardswish',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'elu',
  'elu:0.5',
];

const INPUTS: FixedFormat[] = [fmt(true, 8, 4), fmt(false, 8, 4), fmt(true, 8, -2), fmt(true, 8, 10), fmt(true, 8, 1), fmt(false, 8, 0)];

/** Output formats: the default, and a set exercising every rounding and overflow mode. */
const OUTPUTS: (FixedFormat | undefined)[] = [
  undefined,
  fmt(true, 6, 3, 'TRN', 'WRAP'),
  fmt(false, 10, 2, 'RND', 'SAT'),
  fmt(true, 12, 5, 'RND_INF', 'SAT_SYM'),
  fmt(true, 5, 2, 'RND_ZERO', 'SAT_ZERO'),
  fmt(true, 9, 6, 'RND_MIN_INF', 'SAT'),
  fmt(false, 7, 1, 'TRN_ZERO', 'WRAP'),
  fmt(true, 8, 0, 'RND_CONV', 'SAT'),
];

describe('every activation at 8 bits: circuit == functional == oracle', () => {
  for (const name of SPECS) {
    it(name, () => {
      const def = getActivation(name);
      for (const inFmt of INPUTS) {
        for (const o of OUTPUTS) {
          const outFmt = o ?? def.defaultOutput(inFmt);
          const where = `${formatToString(inFmt)} -> ${formatToString(outFmt)}`;
          expect(firstDisagreement(def, inFmt, outFmt), where).toBeUndefined();
        }
      }
    });
  }
});

describe('equivalence checker on the 8-bit circuits (exhaustive, 256 vectors)', () => {
  for (const name of ['helu', 'leakyrelu:0.01', 'clamp:-1.3:2.7', 'hardsigmoid', 'gelu']) {
    it(name, () => {
      const def = getActivation(name);
      const inFmt = fmt(true, 8, 4);
      const outFmt = def.defaultOutput(inFmt);
      const r = checkAgainstModel(def.circuit(inFmt, outFmt), rawModel(def, inFmt, outFmt));
      expect(r).toMatchObject({ method: 'exhaustive', vectors: 256, mismatches: 0 });
    });
  }
});
