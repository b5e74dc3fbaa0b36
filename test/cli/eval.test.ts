// `helu-sim eval`: accuracy of an ONNX model built here equals the accuracy
// onnxruntime-node computes on the same data; user errors exit 2.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, digitsMlp, main } from './cli-helpers.js';
import { OnnxBuilder, rng, runOrt } from '../models/onnx-helpers.js';
import { loadDataset, splitOf } from '../../src/models/index.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helu-sim eval', () => {
  const path = join(dir, 'mlp.onnx');
  beforeAll(() => {
    expect(existsSync(main), 'build the CLI first (npm run build)').toBe(true);
    writeFileSync(path, digitsMlp());
  });

  it('accuracy equals onnxruntime argmax accuracy (test split, and all 1,797 samples)', async () => {
    const ds = loadDataset('digits');
    const all = splitOf(ds, 'all');
    for (const [split, s] of [
      ['test', ds.test],
      ['all', all],
    ] as const) {
      const out = await runOrt(digitsMlp(), Float32Array.from(s.x), [s.count, 64]);
      let correct = 0;
      for (let i = 0; i < s.count; i++) {
        const row = Array.from(out.subarray(i * 10, i * 10 + 10));
        if (row.indexOf(Math.max(...row)) === s.y[i]) correct++;
      }
      const r = cli('eval', path, '--dataset', 'digits', '--split', split, '--json');
      expect(r.status, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect([j.samples, j.correct]).toEqual([s.count, correct]);
      expect(j.accuracy).toBe(correct / s.count);
    }
  });

  it('user errors exit 2 with one line', () => {
    const small = new OnnxBuilder(rng(1));
    small.node('Relu', ['x'], {}, 'y');
    writeFileSync(join(dir, 'small.onnx'), small.build('x', [10], 'y'));
    const cases: [string[], RegExp][] = [
      [[join(dir, 'small.onnx')], /takes \[10\] \(10 values\) per sample; data set 'digits' has \[1,8,8\] \(64\)/],
      [[join(dir, 'missing.onnx')], /not found/],
      [[path, '--requant', 'gemmlowp'], /--requant applies to integer models/],
    ];
    for (const [args, msg] of cases) {
      const r = cli('eval', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
