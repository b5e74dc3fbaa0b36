/*
 * `helu-sim study` end to end as a user runs it (the compiled CLI, stdout not
 * a terminal): a quick run on digits writes the report, every network
 * verified with 0 mismatches; a rerun with one more seed reads the finished
 * networks from the cache and trains only the new ones; bad options exit 2
 * with one line and write nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkXml } from '../../src/report/xml-check.js';
import { main, root } from '../cli/cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'helu-study-'));
const out = join(tmp, 'study');
const base = ['study', '--quick', '--datasets', 'digits', '--epochs', '1', '--activations', 'relu,helu:0.1', '-o', out];

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [main, ...args], { cwd: root });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface Report {
  files: string[];
  seeds: number[];
  cache: { hits: number; trained: number };
  verification: { networks: number; valuesCompared: number; mismatches: number; eventMismatches: number };
  networks: {
    key: string;
    activation: string;
    seed: number;
    samples: { train: number; test: number };
    verification: { samples: number; valuesCompared: number; mismatches: number };
  }[];
}
const report = (): Report => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
const cacheFiles = () => readdirSync(join(out, 'cache')).sort();

describe('helu-sim study', () => {
  it('--quick on digits: report files, every network verified with 0 mismatches', async () => {
    const r = await cliAsync(...base);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rep = report();
    expect(rep.files.sort()).toEqual(
      readdirSync(out)
        .filter((f) => f !== 'cache')
        .sort(),
    );
    expect(rep.files).toEqual(
      expect.arrayContaining([
        'report.md',
        'report.json',
        'pareto-area.svg',
        'pareto-energy.svg',
        'accuracy-distribution.svg',
        'alpha-sweep.svg',
        'dead-units-digits.svg',
      ]),
    );
    for (const f of rep.files.filter((x) => x.endsWith('.svg'))) expect(checkXml(readFileSync(join(out, f), 'utf8')).ok, f).toBe(true);
    expect(rep.networks.map((n) => n.activation).sort()).toEqual(['helu:0.1', 'relu']);
    // Every sample of both splits (digits: 1,437 + 360), every network.
    for (const n of rep.networks) {
      expect(n.verification.samples).toBe(1797);
      expect(n.verification.mismatches).toBe(0);
    }
    expect(rep.verification).toMatchObject({ networks: 2, mismatches: 0, eventMismatches: 0 });
    expect(rep.verification.valuesCompared).toBe(rep.networks.reduce((s, n) => s + n.verification.valuesCompared, 0));
    expect(r.stdout).toMatch(/verification: 2 networks, [0-9,]+ values compared, 0 mismatches/);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('92.84 %');
    expect(md).toContain('**0 mismatches**');
    expect(cacheFiles()).toHaveLength(2);
  });

  it('resumes: a rerun with two seeds (--json) trains only seed 2 and leaves the cached networks as they were', async () => {
    const before = new Map(cacheFiles().map((f) => [f, readFileSync(join(out, 'cache', f), 'utf8')]));
    const r = await cliAsync(...base, '--seeds', '2', '--json');
    expect(r.status).toBe(0);
    const rep = report();
    // --json prints exactly report.json.
    expect(JSON.parse(r.stdout)).toEqual(rep);
    expect(rep.cache).toEqual({ hits: 2, trained: 2 });
    expect(rep.seeds).toEqual([1, 2]);
    for (const [f, text] of before) expect(readFileSync(join(out, 'cache', f), 'utf8')).toBe(text);
    expect(cacheFiles()).toHaveLength(4);
  });

  it('bad options: exit 2, one line naming the value, nothing written', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const cases: [string[], RegExp][] = [
      [['--seeds', '0'], /--seeds must be a positive integer.*got '0'/],
      [['--seeds', '51'], /seeds must be an integer 1 \.\. 50, got 51/],
      [['--datasets', 'cifar10'], /unknown study data set 'cifar10'; accepted: digits, fashion-mnist/],
      [['--activations', 'relu,swish9'], /unknown activation 'swish9'/],
      [['--epochs', '1000'], /epochs must be an integer 1 \.\. 200, got 1000/],
      [['--jobs', 'two'], /--jobs must be a positive integer/],
      [['-o', file], /is a file; expected a directory/],
    ];
    const dir = join(tmp, 'bad');
    const runs = await Promise.all(cases.map(([args]) => cliAsync('study', '--quick', '-o', dir, ...args)));
    for (const [i, [args, msg]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      // One line (commander adds its usage hint on a line of its own after argument errors).
      expect(
        r.stderr
          .trimEnd()
          .split('\n')
          .filter((l) => !l.startsWith('(run with --help')),
        r.stderr,
      ).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(existsSync(dir)).toBe(false);
    }
  });
});
