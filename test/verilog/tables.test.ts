import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UserError } from '../../src/errors.js';
import { coeFile, memFile, mifFile, parseCoeFile, parseMemFile, parseMifFile } from '../../src/verilog/index.js';
import { runIverilog, withTempDir, writeTree } from '../helpers/tools.js';

describe('table writers: exact text', () => {
  it('.mem: one entry a line, hex padded to ceil(Wo/4) digits, no address markers', () => {
    expect(memFile([0n, 1n, 0x1abn, 0xfffn], 12)).toBe('000\n001\n1ab\nfff\n');
    expect(memFile([0n, 0x1ffn], 9)).toBe('000\n1ff\n');
    expect(memFile([1n, 0n, 1n], 1)).toBe('1\n0\n1\n');
    expect(memFile([0x1_0000_0000_0000_0000n], 65)).toBe('10000000000000000\n');
  });
  it('.coe: radix 16, comma-separated vector ended by a semicolon', () => {
    expect(coeFile([0n, 5n, 0x3fn], 6, ['relu table'])).toBe(
      '; relu table\nmemory_initialization_radix=16;\nmemory_initialization_vector=\n00,\n05,\n3f;\n',
    );
  });
  it('.mif: WIDTH, DEPTH, radixes, CONTENT BEGIN ... END;', () => {
    const table = Array.from({ length: 17 }, (_, i) => BigInt(i * 3));
    const expected = [
      '-- t',
      'WIDTH=6;',
      'DEPTH=17;',
      'ADDRESS_RADIX=HEX;',
      'DATA_RADIX=HEX;',
      '',
      'CONTENT BEGIN',
      ...table.map((v, i) => `\t${i.toString(16).padStart(2, '0')} : ${v.toString(16).padStart(2, '0')};`),
      'END;',
      '',
    ].join('\n');
    expect(mifFile(table, 6, ['t'])).toBe(expected);
  });
  it('refuses entries that do not fit the width', () => {
    expect(() => memFile([4n], 2)).toThrow(/entry 0/);
    expect(() => coeFile([-1n], 8)).toThrow(/entry 0/);
    expect(() => mifFile([], 8)).toThrow(/empty/);
  });
});

describe('table readers accept the formats as other tools write them', () => {
  it('.mem with comments, underscores and @address markers', () => {
    expect(parseMemFile('// header\n@0 1A\n0_2 /* two\n lines */ ff\n@3\n7\n@1 3\n')).toEqual([0x1an, 3n, 0xffn, 7n]);
  });
  it('.mem holes and bad digits are errors', () => {
    expect(() => parseMemFile('@2 1\n')).toThrow(UserError);
    expect(() => parseMemFile('1x\n')).toThrow(UserError);
  });
  it('.coe with comments, upper-case keywords, radix 2 and 10, white-space separation', () => {
    expect(parseCoeFile('; c\nMEMORY_INITIALIZATION_RADIX = 2 ; bits\nmemory_initialization_vector = 101 11\n0, 1;\n')).toEqual({
      radix: 2,
      values: [5n, 3n, 0n, 1n],
    });
    expect(parseCoeFile('memory_initialization_radix=10;\nmemory_initialization_vector=10,\n255;\nignored=1;')).toEqual({
      radix: 10,
      values: [10n, 255n],
    });
    expect(() => parseCoeFile('memory_initialization_radix=16;\nmemory_initialization_vector=1g;')).toThrow(UserError);
    expect(() => parseCoeFile('memory_initialization_vector=1;')).toThrow(UserError);
  });
  it('.mif ranges, runs, radixes, comments and unset addresses', () => {
    const text =
      '% block\ncomment %\nDEPTH = 8; -- words\nWIDTH = 4;\nADDRESS_RADIX = UNS;\nDATA_RADIX = DEC;\nCONTENT\nBEGIN\n[0..2] : 3;\n4 : -1 2;\nEND;\n';
    const m = parseMifFile(text);
    expect(m.width).toBe(4);
    expect(m.depth).toBe(8);
    expect(m.values).toEqual([3n, 3n, 3n, 0n, 15n, 2n, 0n, 0n]);
    expect(parseMifFile('WIDTH=3;DEPTH=2;DATA_RADIX=BIN;CONTENT BEGIN 0:101; 1:010; END;').values).toEqual([5n, 2n]);
    expect(() => parseMifFile('WIDTH=3;DEPTH=2;CONTENT BEGIN 2:1; END;')).toThrow(/outside DEPTH/);
    expect(() => parseMifFile('WIDTH=3;DEPTH=2;CONTENT BEGIN 0:8; END;')).toThrow(/does not fit/);
    expect(() => parseMifFile('WIDTH=3;DEPTH=2;')).toThrow(UserError);
  });
});

const arbTable = fc
  .integer({ min: 1, max: 70 })
  .chain((w) => fc.tuple(fc.constant(w), fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }), { minLength: 1, maxLength: 40 })));

describe('table writers round-trip through the readers', () => {
  it('.mem, .coe and .mif give back every entry', () => {
    fc.assert(
      fc.property(arbTable, ([w, table]) => {
        expect(parseMemFile(memFile(table, w))).toEqual(table);
        expect(parseCoeFile(coeFile(table, w, ['a', 'b'])).values).toEqual(table);
        const mif = parseMifFile(mifFile(table, w, ['x']));
        expect(mif).toMatchObject({ width: w, depth: table.length, values: table });
      }),
      { seed: 4410, numRuns: 300 },
    );
  });

  it('.mem is read back by Icarus Verilog $readmemh', async () => {
    const width = 13;
    const table = Array.from({ length: 37 }, (_, i) => BigInt((i * 2654435761) % 8192));
    const reader = [
      'module readback;',
      `  reg [${width - 1}:0] m [0:${table.length - 1}];`,
      '  integer i;',
      '  initial begin',
      '    $readmemh("t.mem", m);',
      `    for (i = 0; i < ${table.length}; i = i + 1) $display("%h", m[i]);`,
      '    $finish;',
      '  end',
      'endmodule',
      '',
    ].join('\n');
    const out = await withTempDir(async (dir) => {
      writeTree(dir, { 't.mem': memFile(table, width), 'readback.v': reader });
      return runIverilog(dir, ['readback.v'], 'readback');
    });
    const words = out
      .trim()
      .split('\n')
      .map((l) => BigInt(`0x${l.trim()}`));
    expect(words).toEqual(table);
  });
});
