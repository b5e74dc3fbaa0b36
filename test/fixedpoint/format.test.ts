import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { formatToString, fracBits, maxCode, minCode, parseFormat, validateFormat, withModes } from '../../src/fixedpoint/index.js';
import { arbFormat } from '../../src/testing/index.js';
import { pow2 } from './oracle.js';

describe('format strings', () => {
  it('parses the documented spellings', () => {
    expect(parseFormat('fixed<8,4>')).toEqual({ signed: true, width: 8, intBits: 4, rounding: 'TRN', overflow: 'WRAP' });
    expect(parseFormat('ufixed<8,0,RND_CONV,SAT>')).toEqual({ signed: false, width: 8, intBits: 0, rounding: 'RND_CONV', overflow: 'SAT' });
    expect(parseFormat(' ap_fixed< 16 , -3 , AP_RND_INF , ap_sat_sym > ')).toEqual({
      signed: true,
      width: 16,
      intBits: -3,
      rounding: 'RND_INF',
      overflow: 'SAT_SYM',
    });
    expect(parseFormat('fixed<4,9,RND>')).toEqual({ signed: true, width: 4, intBits: 9, rounding: 'RND', overflow: 'WRAP' });
    expect(parseFormat('int8')).toEqual({ signed: true, width: 8, intBits: 8, rounding: 'TRN', overflow: 'WRAP' });
    expect(parseFormat('uint8')).toEqual({ signed: false, width: 8, intBits: 8, rounding: 'TRN', overflow: 'WRAP' });
    expect(parseFormat('int16').width).toBe(16);
    expect(parseFormat('int32')).toEqual({ signed: true, width: 32, intBits: 32, rounding: 'TRN', overflow: 'WRAP' });
  });

  it('prints canonically, omitting trailing defaults', () => {
    expect(formatToString(parseFormat('fixed<8,4,TRN,WRAP>'))).toBe('fixed<8,4>');
    expect(formatToString(parseFormat('fixed<8,4,RND>'))).toBe('fixed<8,4,RND>');
    expect(formatToString(parseFormat('ufixed<8,4,TRN,SAT>'))).toBe('ufixed<8,4,TRN,SAT>');
    expect(formatToString(parseFormat('int8'))).toBe('fixed<8,8>');
  });

  it('round-trips every format', () => {
    fc.assert(
      fc.property(arbFormat({ minIntBits: -200, maxIntBits: 200 }), (f) => {
        expect(parseFormat(formatToString(f))).toEqual(f);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects malformed and out-of-range formats with one-line user errors', () => {
    const bad = [
      'fixed<8>',
      'fixed<0,0>',
      'fixed<65,1>',
      'fixed<8,4,RND,SAT,3>',
      'fixed<8,4,ROUND>',
      'fixed<8,4,RND,CLAMP>',
      'fixed<8.5,4>',
      'fixed(8,4)',
      'int7',
      '',
      'fixed<8,99999999>',
      'float32',
    ];
    for (const s of bad) {
      expect(() => parseFormat(s), s).toThrow(UserError);
      try {
        parseFormat(s);
      } catch (e) {
        expect((e as Error).message).toContain(`'${s}'`);
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });

  it('ranges follow the formulas: signed [-2^(W-1), 2^(W-1)-1], unsigned [0, 2^W-1]', () => {
    fc.assert(
      fc.property(arbFormat(), (f) => {
        expect(minCode(f)).toBe(f.signed ? -pow2(f.width - 1) : 0n);
        expect(maxCode(f)).toBe(f.signed ? pow2(f.width - 1) - 1n : pow2(f.width) - 1n);
        expect(fracBits(f)).toBe(f.width - f.intBits);
      }),
      { numRuns: 500 },
    );
  });

  it('withModes and validateFormat', () => {
    const f = parseFormat('fixed<8,4>');
    expect(withModes(f, 'RND', 'SAT')).toEqual({ ...f, rounding: 'RND', overflow: 'SAT' });
    expect(validateFormat({ ...f, width: 128 })).toEqual({ ...f, width: 128 });
    expect(() => validateFormat({ ...f, width: 0 })).toThrow(UserError);
    expect(() => validateFormat({ ...f, rounding: 'ROUND' as never })).toThrow(UserError);
  });
});
