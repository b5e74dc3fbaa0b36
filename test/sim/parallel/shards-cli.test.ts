import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../src/models/onnx/export.js';
import { cnnGraph } from '../graphs.js';

/*
 * Threads and shards through the CLI (the built package: worker threads run
 * it): verify, eval and run with --threads 2, and with --shard k/n followed
 * by merge, print byte for byte what one thread in one run prints.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'helu-sim-shards-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(...args: string[]): string {
  const r = cli(...args);
  expect(
    r.stderr
      .split('\n')
      .filter((l) => l && !l.startsWith('shard '))
      .join('\n'),
    args.join(' '),
  ).toBe('');
  expect(r.status, args.join(' ')).toBe(0);
  return r.stdout;
}

beforeAll(() => {
  expect(existsSync(main)).toBe(true);
  writeFileSync(join(dir, 'cnn.onnx'), exportOnnx(cnnGraph()));
  ok('quantize', 'cnn.onnx', '--calib', 'digits', '--calib-split', 'test', '-o', 'cnn.q.json');
  const inputs = Array.from({ length: 7 }, (_, i) => Array.from({ length: 64 }, (_, j) => (i * 7 + j * 3) % 17));
  writeFileSync(join(dir, 'x.json'), JSON.stringify({ inputs }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('threads and shards', () => {
  it('verify: --threads 2 and 3 merged shards give the single-thread report, byte for byte', () => {
    const args = ['verify', 'cnn.q.json', '--dataset', 'digits', '--split', 'test', '--batch', '64', '--json'];
    const one = ok(...args, '--threads', '1');
    expect(JSON.parse(one).samples).toBe(360);
    expect(ok(...args, '--threads', '2')).toBe(one);
    for (const k of [3, 1, 2]) ok(...args, '--threads', '1', '--shard', `${k}/3`, '--partial', `v${k}.json`);
    expect(ok('merge', 'v2.json', 'v3.json', 'v1.json', '--json')).toBe(one);
  });

  it('eval and run: threads and merged shards equal one run', () => {
    const ev = ok('eval', 'cnn.q.json', '--dataset', 'digits', '--split', 'test', '--threads', '1', '--json');
    expect(ok('eval', 'cnn.q.json', '--dataset', 'digits', '--split', 'test', '--threads', '2', '--json')).toBe(ev);
    for (const k of [1, 2])
      ok('eval', 'cnn.q.json', '--dataset', 'digits', '--split', 'test', '--threads', '1', '--shard', `${k}/2`, '--partial', `e${k}.json`);
    expect(ok('merge', 'e1.json', 'e2.json', '--json')).toBe(ev);
    const run = ok('run', 'cnn.q.json', '--input', 'x.json', '--threads', '1', '--json');
    expect(ok('run', 'cnn.q.json', '--input', 'x.json', '--threads', '2', '--json')).toBe(run);
    for (const k of [1, 2]) ok('run', 'cnn.q.json', '--input', 'x.json', '--threads', '1', '--shard', `${k}/2`, '--partial', `r${k}.json`);
    expect(ok('merge', 'r2.json', 'r1.json', '--json')).toBe(run);
  });

  it('quantize: calibration on 2 threads writes the same model file as on 1', () => {
    for (const t of ['1', '2'])
      ok(
        'quantize',
        'cnn.onnx',
        '--calib',
        'digits',
        '--calib-split',
        'test',
        '--calibration',
        'percentile:99.9',
        '--threads',
        t,
        '-o',
        `p${t}.q.json`,
      );
    expect(readFileSync(join(dir, 'p2.q.json'), 'utf8')).toBe(readFileSync(join(dir, 'p1.q.json'), 'utf8'));
  });

  it('bad shards: one line, exit 2', () => {
    const bad = cli('verify', 'cnn.q.json', '--dataset', 'digits', '--shard', '4/3');
    expect([bad.status, bad.stderr.trim()]).toEqual([2, "helu-sim: --shard must be k/n with 1 <= k <= n (e.g. 3/8), got '4/3'"]);
    const missing = cli('merge', 'v1.json', 'v3.json');
    expect([missing.status, missing.stderr.trim()]).toEqual([2, 'helu-sim: missing shard(s) 2/3']);
    const mixed = cli('merge', 'v1.json', 'e2.json');
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/partial result of 'eval', the others of 'verify'/);
  });
});
