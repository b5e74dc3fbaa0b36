import { describe, expect, it } from 'vitest';
import { formatInt, formatPercent, formatSig, markdownTable } from '../../src/report/index.js';

describe('number formatting', () => {
  it('formats integers with thousands separators', () => {
    expect(formatInt(0)).toBe('0');
    expect(formatInt(999)).toBe('999');
    expect(formatInt(1000)).toBe('1,000');
    expect(formatInt(-1234567)).toBe('-1,234,567');
    expect(formatInt(12345678901234567890n)).toBe('12,345,678,901,234,567,890');
    expect(formatInt(2 ** 53)).toBe('9,007,199,254,740,992');
  });

  it('formats to fixed significant digits', () => {
    const cases: [number, number, string][] = [
      [1234.5, 3, '1,230'],
      [0.012345, 3, '0.0123'],
      [1.5, 3, '1.50'],
      [-2.25, 2, '-2.3'],
      [999.96, 4, '1,000'],
      [999.96, 5, '999.96'],
      [123456789, 3, '123,000,000'],
      [0.0001, 2, '0.00010'],
      [0.00001234, 3, '1.23e-5'],
      [3e21, 2, '3.0e+21'],
      [0, 3, '0'],
      [42, 1, '40'],
    ];
    for (const [x, d, s] of cases) expect(formatSig(x, d), `${x} to ${d}`).toBe(s);
    expect(formatSig(NaN)).toBe('NaN');
    expect(formatSig(-Infinity)).toBe('-Infinity');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1, 0)).toBe('100%');
  });
});

describe('markdownTable', () => {
  it('aligns numeric columns right and pads text', () => {
    const t = markdownTable(
      ['activation', 'gates', 'area (um^2)'],
      [
        ['helu', 8, 6.384],
        ['gelu', 1234, 987.65432],
      ],
    );
    expect(t).toBe(
      [
        '| activation | gates | area (um^2) |',
        '| ---------- | ----: | ----------: |',
        '| helu       |     8 |       6.384 |',
        '| gelu       | 1,234 |       987.7 |',
        '',
      ].join('\n'),
    );
  });

  it('honours explicit alignment, escapes pipes and fills short rows', () => {
    const t = markdownTable(['a', 'b'], [['x|y'], ['z', 'w']], ['center', 'left']);
    expect(t.split('\n')).toEqual(['|  a   | b   |', '| :--: | --- |', '| x\\|y |     |', '|  z   | w   |', '']);
  });
});
