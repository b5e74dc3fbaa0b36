import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FixedFormat } from '../../src/fixedpoint/types.js';
import { UserError } from '../../src/errors.js';
import { activationIdentifier, checkModuleName, moduleName, moduleNameProblem } from '../../src/verilog/index.js';

const fmt = (signed: boolean, width: number, intBits: number): FixedFormat => ({
  signed,
  width,
  intBits,
  rounding: 'TRN',
  overflow: 'WRAP',
});

describe('moduleName', () => {
  it('is <activation>_w<W>i<I>, a negative I written m plus its magnitude', () => {
    expect(moduleName('helu', fmt(true, 8, 4))).toBe('helu_w8i4');
    expect(moduleName('helu', fmt(true, 8, -2))).toBe('helu_w8im2');
    expect(moduleName('relu', fmt(true, 16, 0))).toBe('relu_w16i0');
    expect(moduleName('gelu', fmt(true, 12, 20))).toBe('gelu_w12i20');
  });
  it('marks unsigned input formats with u', () => {
    expect(moduleName('relu', fmt(false, 8, 4))).toBe('relu_uw8i4');
  });
  it('turns parameterized activation names into identifiers', () => {
    expect(activationIdentifier('leakyrelu:0.01')).toBe('leakyrelu_0p01');
    expect(activationIdentifier('clamp:-1:1')).toBe('clamp_m1_1');
    expect(activationIdentifier('elu:1e-3')).toBe('elu_1em3');
    expect(moduleName('leakyrelu:0.125', fmt(true, 8, 4))).toBe('leakyrelu_0p125_w8i4');
    expect(() => activationIdentifier('::')).toThrow(UserError);
  });
  it('always yields a legal identifier', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: -70, max: 70 }),
        (act, s, w, i) => {
          let name: string;
          try {
            name = moduleName(act, fmt(s, w, i));
          } catch (e) {
            return e instanceof UserError; // only names with no usable character
          }
          return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && name.endsWith(`w${w}i${i < 0 ? `m${-i}` : i}`);
        },
      ),
      { seed: 4401, numRuns: 500 },
    );
  });
});

describe('checkModuleName', () => {
  it('accepts simple Verilog identifiers', () => {
    for (const s of ['helu_w8i4', '_x', 'A$b', 'Module', 'x'.repeat(200)]) expect(checkModuleName(s)).toBe(s);
  });
  it('refuses illegal identifiers and keywords with a message naming the value and the rule', () => {
    const bad = [
      '',
      '8bit',
      'a-b',
      'a b',
      '$display',
      '\\escaped ',
      'x'.repeat(201),
      'module',
      'wire',
      'endmodule',
      'uwire',
      'logic',
      'always_ff',
      'x\ny',
    ];
    for (const s of bad) {
      expect(() => checkModuleName(s), s).toThrow(UserError);
      expect(moduleNameProblem(s), s).toBeDefined();
    }
    expect(() => checkModuleName('my-unit')).toThrow(/module name 'my-unit'.*Verilog identifier/);
    expect(() => checkModuleName('x\ny')).toThrow(/'x\\ny'/); // control characters never printed raw
  });
  it('agrees with the identifier grammar on random strings', () => {
    const keywords = new Set([
      'module',
      'input',
      'output',
      'wire',
      'reg',
      'assign',
      'begin',
      'end',
      'if',
      'else',
      'case',
      'for',
      'do',
      'int',
      'bit',
    ]);
    const alphabet = fc.constantFrom(...'abcdefgiklmnoprstuwxyzAZ_$019-. '.split(''));
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), (s) => {
        const grammar = /^[A-Za-z_][A-Za-z0-9_$]*$/.test(s);
        const accepted = moduleNameProblem(s) === undefined;
        if (!grammar) return !accepted;
        if (keywords.has(s)) return !accepted;
        // any other refusal of a grammatical name must be for a reserved word
        return accepted || moduleNameProblem(s) === 'it is a reserved word';
      }),
      { seed: 4402, numRuns: 2000 },
    );
  });
});
