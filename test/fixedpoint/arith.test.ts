import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addFixed,
  addFormat,
  dotFixed,
  mulFixed,
  mulFormat,
  parseFormat,
  subFixed,
  subFormat,
  sumFormat,
  type FixedFormat,
} from '../../src/fixedpoint/index.js';
import { arbCode, arbFormat } from '../../src/testing/index.js';
import { cmpRat, codeRange, rat, ratOfCode, subRat, type Rat } from './oracle.js';

const F = (f: FixedFormat): number => f.width - f.intBits;
const addRat = (a: Rat, b: Rat): Rat => subRat(a, rat(-b.num, b.den));
const mulRat = (a: Rat, b: Rat): Rat => rat(a.num * b.num, a.den * b.den);

/** The code represents exactly v in f and lies in f's range. */
function representsExactly(code: bigint, f: FixedFormat, v: Rat): void {
  expect(cmpRat(ratOfCode(code, F(f)), v)).toBe(0);
  const { min, max } = codeRange(f);
  expect(code >= min && code <= max).toBe(true);
}

const twoCodes = fc
  .tuple(arbFormat({ maxWidth: 40, minIntBits: -20, maxIntBits: 50 }), arbFormat({ maxWidth: 40, minIntBits: -20, maxIntBits: 50 }))
  .chain(([a, b]) => fc.tuple(fc.constant(a), arbCode(a), fc.constant(b), arbCode(b)));

describe('exact arithmetic with ap_fixed growth', () => {
  it('result formats by hand (ap_fixed RType)', () => {
    const s84 = parseFormat('fixed<8,4>');
    const s62 = parseFormat('fixed<6,2>');
    const u84 = parseFormat('ufixed<8,4>');
    expect(addFormat(s84, s62)).toMatchObject({ signed: true, width: 9, intBits: 5 }); // I max(4,2)+1, F max(4,4)
    expect(addFormat(s84, u84)).toMatchObject({ signed: true, width: 10, intBits: 6 }); // unsigned I 4 -> 5 as signed
    expect(addFormat(u84, u84)).toMatchObject({ signed: false, width: 9, intBits: 5 });
    expect(subFormat(u84, u84)).toMatchObject({ signed: true, width: 9, intBits: 5 });
    expect(mulFormat(s84, u84)).toMatchObject({ signed: true, width: 16, intBits: 8 });
    expect(mulFormat(parseFormat('fixed<64,1>'), parseFormat('fixed<64,1>'))).toMatchObject({ width: 128, intBits: 2 });
    expect(sumFormat(s84, 1)).toMatchObject({ width: 8, intBits: 4 });
    expect(sumFormat(s84, 2)).toMatchObject({ width: 9, intBits: 5 });
    expect(sumFormat(s84, 1000)).toMatchObject({ width: 18, intBits: 14 });
    expect(sumFormat(s84, 1024)).toMatchObject({ width: 18, intBits: 14 });
    expect(sumFormat(s84, 1025)).toMatchObject({ width: 19, intBits: 15 });
  });

  it('add, sub, mul are exact and fit their result formats', () => {
    fc.assert(
      fc.property(twoCodes, ([fa, a, fb, b]) => {
        const va = ratOfCode(a, F(fa));
        const vb = ratOfCode(b, F(fb));
        const s = addFixed(a, fa, b, fb);
        representsExactly(s.code, s.format, addRat(va, vb));
        const d = subFixed(a, fa, b, fb);
        representsExactly(d.code, d.format, subRat(va, vb));
        const p = mulFixed(a, fa, b, fb);
        representsExactly(p.code, p.format, mulRat(va, vb));
      }),
      { numRuns: 2000 },
    );
  });

  it('dot accumulates exactly', () => {
    fc.assert(
      fc.property(
        arbFormat({ maxWidth: 20 }).chain((f) =>
          fc.tuple(fc.constant(f), fc.array(fc.tuple(arbCode(f), arbCode(f)), { minLength: 1, maxLength: 30 })),
        ),
        ([f, pairs]) => {
          const r = dotFixed(
            pairs.map((p) => p[0]),
            f,
            pairs.map((p) => p[1]),
            f,
          );
          let acc = rat(0n);
          for (const [a, b] of pairs) acc = addRat(acc, mulRat(ratOfCode(a, F(f)), ratOfCode(b, F(f))));
          representsExactly(r.code, r.format, acc);
        },
      ),
      { numRuns: 300 },
    );
  });
});
