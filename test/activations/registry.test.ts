import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_NAMES,
  allActivations,
  getActivation,
  parseOutputFormat,
  quantizeSlope,
  tableEntries,
} from '../../src/activations/index.js';
import { UserError } from '../../src/errors.js';
import type { Netlist } from '../../src/netlist/ir.js';
import { expectedCode } from './oracle.js';
import { fmt, simulateCodes } from './helpers.js';
import { rawModel } from '../../src/activations/describe.js';
import { checkAgainstModel } from '../../src/netlist/index.js';

function cellCounts(net: Netlist): Record<string, number> {
  const c: Record<string, number> = {};
  for (const cell of net.cells) c[cell.type] = (c[cell.type] ?? 0) + 1;
  return c;
}

describe('HeLU / ReLU circuits (pinned)', () => {
  for (const name of ['helu', 'relu']) {
    for (const w of [2, 4, 8, 12, 16, 24, 32]) {
      it(`${name} at ${w} bits: ${w - 1} $_ANDNOT_, nothing else`, () => {
        const f = fmt(true, w, Math.ceil(w / 2));
        const net = getActivation(name).circuit(f, f);
        expect(cellCounts(net)).toEqual({ $_ANDNOT_: w - 1 });
        const x = net.port('x').bits,
          y = net.port('y').bits;
        for (const cell of net.cells) expect(cell.inputs[1]).toBe(x[w - 1]);
        expect(y[w - 1]).toBe(0);
      });
    }
  }
  it('an unsigned input is wiring (0 cells)', () => {
    const f = fmt(false, 8, 4);
    expect(getActivation('helu').circuit(f, f).cells).toHaveLength(0);
  });
  it('HeLU and ReLU share the circuit but not the gradient', () => {
    const f = fmt(true, 8, 4);
    const h = getActivation('helu'),
      r = getActivation('relu');
    expect(cellCounts(h.circuit(f, f))).toEqual(cellCounts(r.circuit(f, f)));
    expect(h.grad(-0.01)).toBe(1);
    expect(r.grad(-0.01)).toBe(0);
    expect(h.float(-0.01)).toBe(0);
  });
  it('default output: the input format with RND_CONV/SAT', () => {
    expect(getActivation('helu').defaultOutput(fmt(true, 8, 4))).toEqual(fmt(true, 8, 4, 'RND_CONV', 'SAT'));
  });
});

describe('LeakyReLU', () => {
  it('slope 2^-3 is wiring plus one mux level (no adders beyond the rounding)', () => {
    const f = fmt(true, 8, 4, 'TRN', 'WRAP');
    const net = getActivation('leakyrelu').circuit(f, f);
    // TRN: floor(x / 8) is an arithmetic shift, so only the sign-selected muxes remain
    expect(net.cells.every((c) => c.type !== '$_XOR_' && c.type !== '$_XNOR_')).toBe(true);
    expect(net.cells.length).toBeLessThanOrEqual(8);
  });
  it('slope quantization: 16 significant bits, ties to even, reduced to an odd mantissa', () => {
    expect(quantizeSlope(0.125)).toEqual({ m: 1n, s: 3 });
    expect(quantizeSlope(0.01)).toEqual({ m: 41943n, s: 22 });
    expect(quantizeSlope(0)).toEqual({ m: 0n, s: 0 });
    expect(quantizeSlope(-0.75)).toEqual({ m: -3n, s: 2 });
    expect(quantizeSlope(3)).toEqual({ m: 3n, s: 0 });
    // 1 + 2^-16 has 17 significant bits; half of the dropped LSB ties to even -> 1
    expect(quantizeSlope(1 + 2 ** -16)).toEqual({ m: 1n, s: 0 });
    expect(quantizeSlope(1 + 3 * 2 ** -16)).toEqual({ m: 16385n, s: 14 }); // 32769.5 -> 32770
  });
});

describe('tables', () => {
  it('sizes: 2^min(W,16) entries of W_out bits', () => {
    const gelu = getActivation('gelu');
    const f8 = fmt(true, 8, 4),
      o8 = gelu.defaultOutput(f8);
    expect(gelu.tableBits(f8, o8)).toBe(256 * 8);
    expect(gelu.table!(f8, o8)).toHaveLength(256);
    expect(tableEntries(fmt(true, 20, 8))).toBe(65536);
    expect(gelu.tableBits(fmt(true, 20, 8), fmt(true, 10, 4))).toBe(65536 * 10);
    expect(getActivation('helu').tableBits(f8, f8)).toBe(0);
    expect(getActivation('helu').table).toBeUndefined();
  });
  it('table entries are raw output patterns of the quantized function', () => {
    const sig = getActivation('sigmoid');
    const f = fmt(true, 4, 2),
      o = sig.defaultOutput(f);
    expect(o).toEqual(fmt(false, 4, 1, 'RND_CONV', 'SAT'));
    const t = sig.table!(f, o);
    for (let raw = 0; raw < 16; raw++) {
      const code = raw >= 8 ? raw - 16 : raw;
      expect(t[raw]).toBe(expectedCode(sig.spec, BigInt(code), f, o));
    }
  });
  it('range-reduced above 16 bits: index = top 16 bits, entry at the truncated code', () => {
    const tanh = getActivation('tanh');
    const f = fmt(true, 20, 3),
      o = fmt(true, 12, 1, 'RND_CONV', 'SAT');
    const fast = tanh.functional(f, o);
    for (const code of [-524288, -524287, -100001, -17, -16, -15, -1, 0, 1, 15, 16, 12345, 524287]) {
      const want = expectedCode(tanh.spec, BigInt(code), f, o);
      expect(BigInt(fast(code))).toBe(want);
      expect(tanh.functionalBig(BigInt(code), f, o)).toBe(want);
    }
  });
  it('range-reduced circuit (17-bit input, 2^16-entry ROM) == model, exhaustively', () => {
    const sig = getActivation('sigmoid');
    const f = fmt(true, 17, 4),
      o = fmt(false, 3, 1, 'RND_CONV', 'SAT');
    const net = sig.circuit(f, o);
    expect(checkAgainstModel(net, rawModel(sig, f, o))).toMatchObject({ method: 'exhaustive', vectors: 2 ** 17, mismatches: 0 });
    const codes = [-65536, -65535, -3, -2, -1, 0, 1, 2, 3, 4095, 65535];
    const sim = simulateCodes(net, codes, f, o);
    codes.forEach((c, i) => expect(BigInt(sim[i]), `x=${c}`).toBe(expectedCode(sig.spec, BigInt(c), f, o)));
  });
  it('defaults: sigmoid/hardsigmoid ufixed<W,1>, tanh fixed<W,1>, others the input format', () => {
    const f = fmt(true, 10, 3);
    expect(getActivation('hardsigmoid').defaultOutput(f)).toEqual(fmt(false, 10, 1, 'RND_CONV', 'SAT'));
    expect(getActivation('tanh').defaultOutput(f)).toEqual(fmt(true, 10, 1, 'RND_CONV', 'SAT'));
    expect(getActivation('gelu').defaultOutput(f)).toEqual(fmt(true, 10, 3, 'RND_CONV', 'SAT'));
  });
});

describe('wide inputs: number fast path == exact model', () => {
  const specs = ['helu', 'leakyrelu', 'leakyrelu:0.01', 'clamp:-1.3:2.7', 'relu6', 'hardsigmoid', 'gelu'];
  const pairs = [
    [fmt(true, 24, 12), fmt(true, 24, 12, 'RND_CONV', 'SAT')],
    [fmt(true, 32, 16), fmt(true, 16, 6, 'RND_INF', 'WRAP')],
    [fmt(true, 20, -3), fmt(false, 18, 2, 'TRN', 'SAT')],
  ] as const;
  for (const name of specs) {
    it(name, () => {
      const def = getActivation(name);
      let seed = 12345;
      const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (const [inFmt, outFmt] of pairs) {
        const fast = def.functional(inFmt, outFmt);
        const half = 2 ** (inFmt.width - 1);
        const codes = [-half, -half + 1, -1, 0, 1, half - 1, ...Array.from({ length: 300 }, () => Math.floor(rand() * 2 * half) - half)];
        for (const c of codes) expect(fast(c), `${name} ${c}`).toBe(Number(def.functionalBig(BigInt(c), inFmt, outFmt)));
        for (const c of codes.slice(0, 40))
          expect(BigInt(fast(c)), `${name} oracle ${c}`).toBe(expectedCode(def.spec, BigInt(c), inFmt, outFmt));
      }
    });
  }
});

describe('registry', () => {
  it('names every kind, and `all` has one definition per kind', () => {
    expect(ACTIVATION_NAMES).toEqual([
      'helu',
      'relu',
      'leakyrelu',
      'relu6',
      'clamp',
      'hardsigmoid',
      'hardswish',
      'gelu',
      'silu',
      'sigmoid',
      'tanh',
      'elu',
    ]);
    expect(allActivations().map((d) => d.spec.kind)).toEqual(ACTIVATION_NAMES);
    expect(allActivations().map((d) => d.family)).toEqual([
      'logic',
      'logic',
      'logic',
      'logic',
      'logic',
      'logic',
      'table',
      'table',
      'table',
      'table',
      'table',
      'table',
    ]);
  });
  it('unknown names are user errors listing the accepted names', () => {
    expect(() => getActivation('softmax')).toThrow(UserError);
    expect(() => getActivation('softmax')).toThrow(/helu/);
  });
  it('output formats written without modes round to nearest even and saturate', () => {
    expect(parseOutputFormat('fixed<8,4>')).toEqual(fmt(true, 8, 4, 'RND_CONV', 'SAT'));
    expect(parseOutputFormat('int8')).toEqual(fmt(true, 8, 8, 'RND_CONV', 'SAT'));
    expect(parseOutputFormat('fixed<8,4,TRN,WRAP>')).toEqual(fmt(true, 8, 4, 'TRN', 'WRAP'));
    expect(() => parseOutputFormat('fixed<8')).toThrow(UserError);
  });
});
