import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateExport } from '../helpers/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'helu-cli-verilog-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir` (names, sorted), or undefined when it does not exist. */
function listing(dir: string): string[] | undefined {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : undefined;
}

describe('helu-sim verilog', () => {
  beforeAll(() => {
    expect(existsSync(main)).toBe(true);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('--json: one document naming the module, directory, files and figures; the files are there', () => {
    const out = join(work, 'helu');
    const r = cli('verilog', 'helu', '--in', 'fixed<8,4>', '-o', out, '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual([
      'module',
      'directory',
      'files',
      'activation',
      'family',
      'style',
      'form',
      'input',
      'output',
      'latency',
      'ports',
      'circuit',
      'romBits',
      'verification',
    ]);
    expect(j).toMatchObject({
      module: 'helu_w8i4',
      directory: out,
      style: 'behavioral',
      form: 'sign-mux',
      latency: 0,
      ports: { x: 8, y: 8, clk: false },
    });
    expect(j.files).toEqual(['helu_w8i4.v', 'helu_w8i4_tb.v', 'helu_w8i4_tb.mem', 'helu_w8i4.json']);
    expect(listing(out)).toEqual([...j.files].sort());
    expect(j.circuit.gates).toBe(7);
    expect(j.verification.circuit).toMatchObject({ method: 'exhaustive', proven: true, vectors: 256, mismatches: 0 });
    const { directory, ...summary } = j;
    expect(JSON.parse(readFileSync(join(out, 'helu_w8i4.json'), 'utf8'))).toEqual(summary);
  });

  it('a structural, pipelined table unit under a chosen name; its testbench passes in Icarus Verilog', async () => {
    const out = join(work, 'sig');
    const r = cli(
      'verilog',
      'sigmoid',
      '--in',
      'fixed<8,4>',
      '--style',
      'structural',
      '--pipeline',
      '1',
      '--module',
      'sig8',
      '-o',
      out,
      '--json',
    );
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ module: 'sig8', style: 'structural', form: 'gates', latency: 1, ports: { clk: true }, family: 'table' });
    expect(listing(out)).toEqual(['sig8.coe', 'sig8.json', 'sig8.mem', 'sig8.mif', 'sig8.v', 'sig8_tb.mem', 'sig8_tb.v']);
    expect((await simulateExport(out, 'sig8')).stdout).toBe('PASS\n');
  });

  it('without --json: a short readable summary and the written paths', () => {
    const out = join(work, 'lrelu');
    const r = cli('verilog', 'leakyrelu:0.01', '--in', 'fixed<8,4>', '--out', 'fixed<8,3>', '-o', out);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^leakyrelu_0p01_w8i4: leakyrelu:0.01 fixed<8,4> -> fixed<8,3,RND_CONV,SAT>, behavioral \(rtl\), latency 0/);
    expect(r.stdout).toMatch(/proven \(exhaustive, 256 inputs\)/);
    expect(r.stdout).toContain(`wrote ${join(out, 'leakyrelu_0p01_w8i4.v')}`);
  });

  it('bad input: one line on stderr, exit 2, nothing written', () => {
    const existing = join(work, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'keep.txt'), 'mine');
    const aFile = join(work, 'a-file');
    writeFileSync(aFile, 'not a directory');
    const fresh = join(work, 'fresh');
    // user errors: exactly one line
    const cases: [string[], RegExp][] = [
      [['softmax', '--in', 'fixed<8,4>', '-o', fresh], /softmax.*helu/],
      [['helu', '--in', 'fixed<8', '-o', fresh], /fixed<8/],
      [['helu', '--in', 'fixed<8,4>', '--module', 'my unit', '-o', existing], /module name 'my unit'/],
      [['helu', '--in', 'fixed<8,4>', '--style', 'gates', '-o', existing], /gates.*behavioral, structural/],
      [['helu', '--in', 'fixed<8,4>', '-o', join(aFile, 'rtl')], /a-file/],
      [['helu', '--in', 'fixed<8,4>', '-o', '/proc/helu-sim-rtl'], /helu-sim-rtl/],
    ];
    for (const [args, message] of cases) {
      const r = cli('verilog', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    // usage errors (commander adds its '--help' hint line)
    for (const [args, message] of [
      [['helu', '--in', 'fixed<8,4>', '--pipeline', '-1', '-o', existing], /--pipeline/],
      [['helu', '--in', 'fixed<8,4>'], /output/],
    ] as const) {
      const r = cli('verilog', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(listing(fresh)).toBeUndefined();
    expect(listing(existing)).toEqual(['keep.txt']);
    expect(readFileSync(aFile, 'utf8')).toBe('not a directory');
    expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
