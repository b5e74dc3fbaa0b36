import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { UserError } from '../../src/errors.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import {
  behavioralVerilog,
  exportActivation,
  parseCoeFile,
  parseMemFile,
  parseMifFile,
  writeActivationExport,
  type VerilogExportOptions,
} from '../../src/verilog/index.js';
import { resize, sconst, signedBits, uconst, unsignedBits } from '../../src/verilog/rtl.js';
import { clampOracle, hardsigmoidOracle, leakyOracle, parseVectors, reluOracle, type Fmt } from './export-oracle.js';

const fx = (width: number, frac: number, rounding: Fmt['rounding'] = 'RND_CONV', saturate = true, signed = true): Fmt => ({
  signed,
  width,
  frac,
  rounding,
  saturate,
});
const exp = (o: Omit<VerilogExportOptions, 'in' | 'out'> & { in: string; out?: string }) =>
  exportActivation({ ...o, in: parseFormat(o.in), out: o.out === undefined ? undefined : parseFormat(o.out) });
const all = (w: number) => Array.from({ length: 2 ** w }, (_, i) => BigInt(i));

describe('exportActivation: files and summary', () => {
  it('HeLU at fixed<8,4>: the sign-bit mux, testbench, vectors and JSON', () => {
    const e = exp({ activation: 'helu', in: 'fixed<8,4>' });
    expect(e.module).toBe('helu_w8i4');
    expect([...e.files.keys()]).toEqual(['helu_w8i4.v', 'helu_w8i4_tb.v', 'helu_w8i4_tb.mem', 'helu_w8i4.json']);
    expect(e.files.get('helu_w8i4.v')).toContain("  assign y = x[7] ? {8{1'b0}} : x;");
    const s = JSON.parse(e.files.get('helu_w8i4.json')!);
    expect(s).toEqual(e.summary);
    expect(s).toMatchObject({
      module: 'helu_w8i4',
      activation: 'helu',
      family: 'logic',
      style: 'behavioral',
      form: 'sign-mux',
      input: 'fixed<8,4>',
      output: 'fixed<8,4,RND_CONV,SAT>',
      latency: 0,
      ports: { x: 8, y: 8, clk: false },
      romBits: 0,
      verification: { circuit: { method: 'exhaustive', vectors: 256, mismatches: 0 }, testbench: { method: 'exhaustive', vectors: 256 } },
    });
    // 7 $_ANDNOT_ cells, 6 transistors each (Yosys stat -tech cmos)
    expect(s.circuit).toMatchObject({ gates: 7, transistors: 42, depth: 1, registers: 0, cells: { $_ANDNOT_: 7 } });
    expect(s.files).toEqual([...e.files.keys()]);
  });

  it('golden vectors agree with an independent oracle (relu, leakyrelu 2^-3, relu6, clamp, hardsigmoid; in != out)', () => {
    const cases: [string, string, string | undefined, Fmt, Fmt, (raw: bigint, i: Fmt, o: Fmt) => bigint][] = [
      ['helu', 'fixed<8,4>', undefined, fx(8, 4), fx(8, 4), reluOracle],
      ['relu', 'fixed<8,4>', 'fixed<6,1,RND_INF,WRAP>', fx(8, 4), fx(6, 5, 'RND_INF', false), reluOracle],
      ['relu', 'ufixed<6,3>', 'fixed<5,3,TRN_ZERO,SAT>', fx(6, 3, 'TRN', true, false), fx(5, 2, 'TRN_ZERO'), reluOracle],
      ['leakyrelu', 'fixed<8,4>', undefined, fx(8, 4), fx(8, 4), (r, i, o) => leakyOracle(r, 3, i, o)],
      ['leakyrelu:0.25', 'fixed<6,2>', 'fixed<7,2,RND_ZERO,SAT>', fx(6, 4), fx(7, 5, 'RND_ZERO'), (r, i, o) => leakyOracle(r, 2, i, o)],
      ['relu6', 'fixed<8,4>', undefined, fx(8, 4), fx(8, 4), (r, i, o) => clampOracle(r, 0n, 6n, i, o)],
      ['clamp', 'fixed<6,2>', 'fixed<4,1,RND_MIN_INF,SAT>', fx(6, 4), fx(4, 3, 'RND_MIN_INF'), (r, i, o) => clampOracle(r, -1n, 1n, i, o)],
      ['hardsigmoid', 'fixed<8,4>', undefined, fx(8, 4), fx(8, 7, 'RND_CONV', true, false), hardsigmoidOracle],
      ['hardsigmoid', 'fixed<7,5>', 'ufixed<5,0,RND,WRAP>', fx(7, 2), fx(5, 5, 'RND', false, false), hardsigmoidOracle],
    ];
    for (const [a, i, o, inF, outF, oracle] of cases) {
      const e = exp({ activation: a, in: i, out: o });
      const vectors = parseVectors(e.files.get(`${e.module}_tb.mem`)!, outF.width);
      expect(
        vectors.map((v) => v.x),
        a,
      ).toEqual(all(inF.width));
      const wrong = vectors.filter((v) => v.y !== oracle(v.x, inF, outF));
      expect(wrong, `${a} ${i} -> ${o}`).toEqual([]);
    }
  });

  it('table activation: .mem/.coe/.mif hold the same table, entry i = golden output of input i', () => {
    const e = exp({ activation: 'sigmoid', in: 'fixed<8,4>' });
    const m = e.module;
    expect([...e.files.keys()].sort()).toEqual(
      [`${m}.coe`, `${m}.json`, `${m}.mem`, `${m}.mif`, `${m}.v`, `${m}_tb.mem`, `${m}_tb.v`].sort(),
    );
    const mem = parseMemFile(e.files.get(`${m}.mem`)!);
    expect(e.files.get(`${m}.mem`)!.split('\n')[0]).toMatch(/^[0-9a-f]{2}$/);
    expect(parseCoeFile(e.files.get(`${m}.coe`)!).values).toEqual(mem);
    const mif = parseMifFile(e.files.get(`${m}.mif`)!);
    expect([mif.width, mif.depth]).toEqual([8, 256]);
    expect(mif.values).toEqual(mem);
    expect(parseVectors(e.files.get(`${m}_tb.mem`)!, 8).map((v) => v.y)).toEqual(mem);
    // sigmoid(x) * 2^7 rounded half to even, from the float definition written here
    const expected = all(8).map((raw) => {
      const x = Number(raw >= 128n ? raw - 256n : raw) / 16;
      const v = 128 / (1 + Math.exp(-x));
      const f = Math.floor(v);
      const r = v - f > 0.5 || (v - f === 0.5 && f % 2 === 1) ? f + 1 : f;
      return BigInt(Math.min(r, 255));
    });
    expect(mem).toEqual(expected);
    expect(e.summary).toMatchObject({ family: 'table', form: 'rom-readmemh', romBits: 256 * 8, output: 'ufixed<8,1,RND_CONV,SAT>' });
    expect(e.files.get(`${m}.v`)).toContain(`$readmemh("${m}.mem", rom)`);
  });

  it('--rom case writes the table into the module; structural tables still come with .mem/.coe/.mif', () => {
    const c = exp({ activation: 'tanh', in: 'fixed<6,2>', rom: 'case' });
    expect(c.summary.form).toBe('rom-case');
    expect(c.files.get(`${c.module}.v`)).toContain('case (x)');
    expect(c.files.get(`${c.module}.v`)).not.toContain('$readmemh');
    const s = exp({ activation: 'tanh', in: 'fixed<6,2>', style: 'structural' });
    expect(s.summary.form).toBe('gates');
    expect(s.files.has(`${s.module}.mif`)).toBe(true);
  });

  it('a table wider than 16 input bits is indexed by its top 16 bits; random testbench vectors', () => {
    const e = exp({ activation: 'sigmoid', in: 'fixed<17,6>', vectors: { randomCount: 500, seed: 7 } });
    const text = e.files.get(`${e.module}.v`)!;
    expect(text).toContain('rom[x[16:1]]');
    expect(text).toContain('lint_off UNUSED');
    expect(e.files.get(`${e.module}.mem`)!.trim().split('\n')).toHaveLength(65536);
    expect(e.summary.verification.testbench).toMatchObject({ method: 'random', seed: 7 });
    expect(e.summary.verification.testbench.vectors).toBe(500 + e.summary.verification.testbench.edgeCases!);
    expect(() => exp({ activation: 'sigmoid', in: 'fixed<17,6>', rom: 'case' })).toThrow(/--rom case/);
  });

  it('structural: one assign per gate, one always block per register, clk port when pipelined', () => {
    const e = exp({ activation: 'leakyrelu:0.01', in: 'fixed<8,4>', style: 'structural', pipeline: 2 });
    const text = e.files.get(`${e.module}.v`)!;
    const { gates, registers } = e.summary.circuit;
    expect(registers).toBeGreaterThan(0);
    expect(text.match(/^ {2}assign n\d+ = /gm)).toHaveLength(gates);
    expect(text.match(/always @\(posedge clk\)/g)).toHaveLength(registers);
    expect(text).toContain('input wire clk');
    expect(e.summary).toMatchObject({ latency: 2, ports: { clk: true }, form: 'gates' });
  });

  it('readable RTL for in != out conversions names its steps', () => {
    const e = exp({ activation: 'relu', in: 'fixed<8,4>', out: 'fixed<6,3,RND_CONV,SAT>' });
    const text = e.files.get(`${e.module}.v`)!;
    expect(e.summary.form).toBe('rtl');
    expect(text).toMatch(/drop 1 fraction bit\(s\), round half to even; overflow SAT/);
    expect(text).toMatch(/wire pos_over = /);
  });

  it('default module names; --module; exports are deterministic', () => {
    expect(exp({ activation: 'leakyrelu:0.010', in: 'fixed<8,4>' }).module).toBe('leakyrelu_0p01_w8i4');
    expect(exp({ activation: 'relu', in: 'ufixed<8,4>' }).module).toBe('relu_uw8i4');
    expect(exp({ activation: 'helu', in: 'fixed<8,-2>' }).module).toBe('helu_w8im2');
    expect(exp({ activation: 'clamp', in: 'fixed<6,2>' }).module).toBe('clamp_m1_1_w6i2');
    const named = exp({ activation: 'gelu', in: 'fixed<6,2>', module: 'my_gelu' });
    expect([...named.files.keys()]).toContain('my_gelu.mif');
    expect(named.files.get('my_gelu.v')).toContain('module my_gelu (');
    const a = exp({ activation: 'hardsigmoid', in: 'fixed<7,3>', pipeline: 1 });
    const b = exp({ activation: 'hardsigmoid', in: 'fixed<7,3>', pipeline: 1 });
    expect(a.files).toEqual(b.files);
  });

  it('bad input is a UserError naming the value', () => {
    expect(() => exp({ activation: 'softmax', in: 'fixed<8,4>' })).toThrow(UserError);
    for (const bad of ['my unit', 'module', 'logic', '9lives', '', 'a'.repeat(201), 'x;y', '\\esc']) {
      expect(() => exp({ activation: 'helu', in: 'fixed<8,4>', module: bad }), bad).toThrow(UserError);
    }
    expect(() => exp({ activation: 'helu', in: 'fixed<60,4>' })).toThrow(/wider than 53 bits are verified by a proof only/);
    expect(() => exp({ activation: 'helu', in: 'fixed<8,4>', pipeline: -1 })).toThrow(UserError);
    expect(() => exp({ activation: 'helu', in: 'fixed<8,4>', style: 'gates' as never })).toThrow(/accepted: behavioral, structural/);
    expect(() => exp({ activation: 'helu', in: 'fixed<8,4>', rom: 'bram' as never })).toThrow(/readmemh, case/);
  });

  it('a logic activation without an RTL writer falls back to a case table of its model up to 12 bits', () => {
    const relu = getActivation('relu');
    const stranger = { ...relu, spec: { kind: 'hardswish' as const } };
    const f = parseFormat('fixed<6,2>');
    const m = behavioralVerilog(stranger, f, f, { name: 'odd', inWidth: 6, outWidth: 6 });
    expect(m.form).toBe('rom-case');
    expect(m.text).toContain("6'h3e: f = 6'h00;");
    expect(m.text).toContain("6'h05: f = 6'h05;");
    const wide = parseFormat('fixed<13,2>');
    expect(() => behavioralVerilog(stranger, wide, wide, { name: 'odd', inWidth: 13, outWidth: 13 })).toThrow(/up to 12 bits/);
  });
});

describe('writeActivationExport: all files or none', () => {
  const root = mkdtempSync(join(tmpdir(), 'helu-export-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the directory with every file', () => {
    const dir = join(root, 'a', 'rtl');
    const e = writeActivationExport(dir, { activation: 'elu', in: parseFormat('fixed<6,2>') });
    expect(readdirSync(dir).sort()).toEqual([...e.files.keys()].sort());
    expect(e.paths).toEqual([...e.files.keys()].map((n) => join(dir, n)));
    expect(readFileSync(join(dir, `${e.module}.mem`), 'utf8')).toBe(e.files.get(`${e.module}.mem`));
  });

  it('writes nothing on bad input or an unwritable directory', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => writeActivationExport(join(file, 'sub'), { activation: 'helu', in: parseFormat('fixed<8,4>') })).toThrow(UserError);
    expect(() => writeActivationExport(file, { activation: 'helu', in: parseFormat('fixed<8,4>') })).toThrow(/is a file/);
    expect(() => writeActivationExport('/proc/helu-sim-rtl', { activation: 'helu', in: parseFormat('fixed<8,4>') })).toThrow(UserError);
    const dir = join(root, 'never');
    expect(() => writeActivationExport(dir, { activation: 'nope', in: parseFormat('fixed<8,4>') })).toThrow(UserError);
    expect(() => writeActivationExport(dir, { activation: 'helu', in: parseFormat('fixed<8,4>'), module: 'end' })).toThrow(UserError);
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('RTL helpers', () => {
  it('signedBits / unsignedBits are the smallest widths holding a range', () => {
    expect([signedBits(-8n, 7n), signedBits(-9n, 7n), signedBits(0n, 8n), signedBits(0n, 0n), signedBits(-1n, -1n)]).toEqual([
      4, 5, 5, 1, 1,
    ]);
    expect([unsignedBits(0n), unsignedBits(1n), unsignedBits(255n), unsignedBits(256n)]).toEqual([1, 1, 8, 9]);
  });
  it('signed constants keep their width; the most negative one is written in hex', () => {
    expect([sconst(5n, 4), sconst(-3n, 4), sconst(-8n, 4), uconst(10n, 4)]).toEqual(["4'sd5", "-4'sd3", "4'sh8", "4'ha"]);
    expect(() => sconst(8n, 4)).toThrow();
    expect([resize('a', 4, true, 6), resize('a', 4, false, 6), resize('a', 4, true, 2), resize('b', 1, true, 3)]).toEqual([
      '{{2{a[3]}}, a}',
      "{2'd0, a}",
      'a[1:0]',
      '{{2{b}}, b}',
    ]);
  });
});
