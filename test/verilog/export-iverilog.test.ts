import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOutputFormat } from '../../src/activations/index.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { writeActivationExport, type VerilogExportOptions } from '../../src/verilog/index.js';
import { simulateExport, verilatorLint, withTempDir } from '../helpers/tools.js';

/*
 * Exports written by the same library call the CLI makes, then compiled and
 * run with Icarus Verilog (testbench must print exactly PASS) and linted with
 * `verilator --lint-only -Wall` (no warning). The full matrix of activations,
 * formats and modes runs in bench/verilog-matrix.ts.
 */

interface Combo {
  activation: string;
  in: string;
  out?: string;
  style?: 'behavioral' | 'structural';
  pipeline?: number;
  rom?: 'readmemh' | 'case';
  randomCount?: number;
}

function options(c: Combo): VerilogExportOptions {
  return {
    activation: c.activation,
    in: parseFormat(c.in),
    out: c.out === undefined ? undefined : parseOutputFormat(c.out),
    style: c.style,
    pipeline: c.pipeline,
    rom: c.rom,
    vectors: c.randomCount === undefined ? undefined : { randomCount: c.randomCount, seed: 11 },
  };
}

const label = (c: Combo) =>
  `${c.activation} ${c.in}${c.out ? ` -> ${c.out}` : ''} ${c.style ?? 'behavioral'}${c.pipeline ? ` p${c.pipeline}` : ''}${c.rom ? ` ${c.rom}` : ''}`;

/** Exports into a fresh directory, simulates, lints; resolves with vvp's output and the lint messages. */
async function check(c: Combo): Promise<{ stdout: string; lint: string[]; form: string }> {
  return withTempDir(async (dir) => {
    const out = join(dir, 'rtl');
    const e = writeActivationExport(out, options(c));
    const sim = await simulateExport(out, e.module);
    const lint = await verilatorLint(join(out, `${e.module}.v`), { top: e.module });
    return { stdout: sim.stdout, lint, form: e.summary.form };
  });
}

async function expectPassAndClean(combos: readonly Combo[]): Promise<string[]> {
  const forms: string[] = [];
  for (const c of combos) {
    const r = await check(c);
    expect(r.stdout, label(c)).toBe('PASS\n');
    expect(r.lint, label(c)).toEqual([]);
    forms.push(r.form);
  }
  return forms;
}

const ALL = ['helu', 'relu', 'leakyrelu', 'relu6', 'clamp', 'hardsigmoid', 'hardswish', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu'];

describe('exported units in Icarus Verilog and Verilator', () => {
  it('every activation at fixed<8,4>, behavioral: PASS, lint clean', async () => {
    const forms = await expectPassAndClean(ALL.map((activation) => ({ activation, in: 'fixed<8,4>' })));
    expect(forms).toEqual([
      'sign-mux',
      'sign-mux',
      'rtl',
      'rtl',
      'rtl',
      'rtl',
      'rom-readmemh',
      'rom-readmemh',
      'rom-readmemh',
      'rom-readmemh',
      'rom-readmemh',
      'rom-readmemh',
    ]);
  });

  it('behavioral RTL across formats and modes, in != out', async () => {
    await expectPassAndClean([
      { activation: 'relu', in: 'fixed<8,4>', out: 'fixed<6,2>' },
      { activation: 'helu', in: 'fixed<6,2>', out: 'fixed<9,3,RND_INF,WRAP>' },
      { activation: 'relu', in: 'ufixed<6,3>' },
      { activation: 'relu', in: 'ufixed<6,3>', out: 'fixed<5,3,TRN_ZERO,SAT_SYM>' },
      { activation: 'leakyrelu:0.01', in: 'fixed<8,4>', out: 'fixed<8,3,RND_INF,SAT_SYM>' },
      { activation: 'leakyrelu:0.3', in: 'fixed<6,2>', out: 'fixed<7,2,RND_ZERO,SAT_ZERO>' },
      { activation: 'leakyrelu:0.0625', in: 'fixed<7,-1>', out: 'fixed<5,-2,RND_MIN_INF,SAT>' },
      { activation: 'relu6', in: 'fixed<6,2>', out: 'ufixed<4,3,RND_CONV,WRAP>' },
      { activation: 'clamp:-0.3:0.3', in: 'fixed<7,2>', out: 'fixed<5,1,RND,SAT>' },
      { activation: 'hardsigmoid', in: 'fixed<6,2>', out: 'ufixed<5,0,TRN,WRAP>' },
      { activation: 'hardsigmoid', in: 'ufixed<7,4>', out: 'fixed<6,2,RND_ZERO,SAT_ZERO>' },
    ]);
  });

  it('tables: ufixed, 10 and 12 bits, $readmemh and case', async () => {
    await expectPassAndClean([
      { activation: 'hardswish', in: 'ufixed<6,3>' },
      { activation: 'sigmoid', in: 'fixed<10,4>' },
      { activation: 'tanh', in: 'fixed<12,4>', rom: 'case' },
      { activation: 'elu', in: 'fixed<12,6>', out: 'fixed<10,5,TRN,SAT>' },
    ]);
  });

  it('structural, plain and pipelined', async () => {
    const forms = await expectPassAndClean([
      { activation: 'helu', in: 'fixed<8,4>', style: 'structural', pipeline: 2 },
      { activation: 'leakyrelu:0.01', in: 'fixed<8,4>', style: 'structural', pipeline: 1 },
      { activation: 'relu6', in: 'fixed<8,4>', out: 'fixed<6,3,RND,SAT>', style: 'structural' },
      { activation: 'clamp', in: 'fixed<6,2>', style: 'structural' },
      { activation: 'hardsigmoid', in: 'fixed<6,2>', style: 'structural', pipeline: 3 },
      { activation: 'sigmoid', in: 'fixed<8,4>', style: 'structural' },
      { activation: 'gelu', in: 'fixed<10,4>', style: 'structural', pipeline: 2 },
    ]);
    expect(new Set(forms)).toEqual(new Set(['gates']));
  });

  it('behavioral pipelines: output register ranks', async () => {
    await expectPassAndClean([
      { activation: 'relu6', in: 'fixed<8,4>', pipeline: 2 },
      { activation: 'leakyrelu:0.01', in: 'fixed<8,4>', pipeline: 3 },
      { activation: 'silu', in: 'fixed<8,4>', pipeline: 1 },
    ]);
  });

  it('wider than 16 bits: edge cases plus seeded random vectors; a table indexed by its top 16 bits', async () => {
    await expectPassAndClean([
      { activation: 'helu', in: 'fixed<18,6>', randomCount: 3000 },
      { activation: 'leakyrelu', in: 'fixed<24,8>', out: 'fixed<20,8,RND_CONV,SAT>', randomCount: 3000, pipeline: 1 },
      { activation: 'silu', in: 'fixed<17,5>', randomCount: 3000 },
    ]);
  });

  it('random activations, formats and modes (seeded)', async () => {
    const mode = fc.constantFrom('TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_MIN_INF', 'RND_INF', 'RND_CONV');
    const ovf = fc.constantFrom('WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM');
    const fmt = (maxW: number) =>
      fc
        .tuple(fc.boolean(), fc.integer({ min: 2, max: maxW }), fc.integer({ min: -3, max: 9 }))
        .map(([s, w, i]) => `${s ? 'fixed' : 'ufixed'}<${w},${i}`);
    const combo = fc.record({
      activation: fc.constantFrom('helu', 'leakyrelu', 'leakyrelu:0.1', 'relu6', 'clamp:-2:0.5', 'hardsigmoid', 'tanh', 'gelu'),
      in: fmt(9).map((f) => `${f}>`),
      out: fc.tuple(fmt(9), mode, ovf).map(([f, m, o]) => `${f},${m},${o}>`),
      style: fc.constantFrom('behavioral' as const, 'structural' as const),
      pipeline: fc.integer({ min: 0, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(combo, async (c) => {
        const r = await check(c);
        expect(r.stdout, label(c)).toBe('PASS\n');
        expect(r.lint, label(c)).toEqual([]);
      }),
      { seed: 20250, numRuns: 10 },
    );
  });

  it('the check can fail: a corrupted golden vector or ROM entry gives FAIL 1', async () => {
    await withTempDir(async (dir) => {
      const e = writeActivationExport(dir, options({ activation: 'helu', in: 'fixed<8,4>' }));
      const vec = join(dir, `${e.module}_tb.mem`);
      const lines = readFileSync(vec, 'utf8').split('\n');
      expect(lines[200]).toBe('c800'); // x = -56 -> 0
      lines[200] = 'c801';
      writeFileSync(vec, lines.join('\n'));
      const r = await simulateExport(dir, e.module);
      expect(r.verdict).toEqual({ pass: false, mismatches: 1 });
      expect(r.stdout).toContain('MISMATCH x=c8 expected=01 got=00');
      expect(r.stdout.trim().split('\n').at(-1)).toBe('FAIL 1');
    });
    await withTempDir(async (dir) => {
      const e = writeActivationExport(dir, options({ activation: 'sigmoid', in: 'fixed<6,2>' }));
      const mem = join(dir, `${e.module}.mem`);
      const lines = readFileSync(mem, 'utf8').split('\n');
      lines[5] = lines[5] === '00' ? '01' : '00';
      writeFileSync(mem, lines.join('\n'));
      expect((await simulateExport(dir, e.module)).verdict).toEqual({ pass: false, mismatches: 1 });
    });
  });
});
