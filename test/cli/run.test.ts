// `helu-sim run`: outputs of samples from a JSON file equal onnxruntime's.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, digitsMlp, main } from './cli-helpers.js';
import { relErr, runOrt } from '../models/onnx-helpers.js';
import { loadDataset } from '../../src/models/index.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helu-sim run', () => {
  const model = join(dir, 'mlp.onnx');
  beforeAll(() => {
    expect(existsSync(main), 'build the CLI first (npm run build)').toBe(true);
    writeFileSync(model, digitsMlp());
  });

  it('--json: {"outputs": [[...]]}, one row per sample, equal to onnxruntime', async () => {
    const ds = loadDataset('digits');
    const samples = [0, 1, 2].map((i) => Array.from(ds.test.x.subarray(i * 64, (i + 1) * 64)));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ inputs: samples }));
    const r = cli('run', model, '--input', join(dir, 'in.json'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { outputs: number[][] };
    expect(Object.keys(j)).toEqual(['outputs']);
    expect(j.outputs.map((o) => o.length)).toEqual([10, 10, 10]);
    const want = await runOrt(digitsMlp(), Float32Array.from(samples.flat()), [3, 64]);
    expect(relErr(j.outputs.flat(), want)).toBeLessThan(1e-5);
    const plain = cli('run', model, '--input', join(dir, 'in.json'));
    expect(plain.stdout.trim().split('\n')).toHaveLength(3);
    expect(plain.stdout).toMatch(/^sample 0: argmax \d/);
  });

  it('user errors exit 2 with one line', () => {
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ inputs: [[1, 2, 3]] }));
    writeFileSync(join(dir, 'bad.json'), '{"inputs": 5}');
    const cases: [string, RegExp][] = [
      [join(dir, 'short.json'), /sample 0 must be an array of 64 finite numbers/],
      [join(dir, 'bad.json'), /must be \{"inputs": \[\[\.\.\.\], \.\.\.\]\}/],
      [join(dir, 'missing.json'), /cannot read inputs .*ENOENT/],
    ];
    for (const [file, msg] of cases) {
      const r = cli('run', model, '--input', file);
      expect(r.status, file).toBe(2);
      expect(r.stderr.trim().split('\n'), file).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
