// verify and eval on a data set without labels (--dataset random:...): verify reports no accuracy
// (null in JSON, 'n/a' in text), never 0, and still verifies every value; eval refuses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/models/onnx/export.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { saveIntModel } from '../../src/sim/quantize/io.js';
import { digitInputs, mlpGraph } from '../sim/graphs.js';

const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'helu-sim-unlabelled-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8' });

beforeAll(() => {
  writeFileSync(join(dir, 'mlp.onnx'), exportOnnx(mlpGraph()));
  saveIntModel(join(dir, 'mlp.q.json'), quantizeModel(mlpGraph(), digitInputs(3, 40)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unlabelled data', () => {
  it('verify reports no accuracy and still compares every value', () => {
    const v = cli('verify', 'mlp.q.json', '--dataset', 'random:1x8x8:5', '--limit', '20', '--json', '--threads', '1');
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    const r = JSON.parse(v.stdout);
    expect([r.samples, r.mismatches, r.floatAccuracy, r.intAccuracy, r.unquantizedAccuracy]).toEqual([20, 0, null, null, null]);
    expect(r.valuesCompared).toBeGreaterThan(20 * 64);
    const t = cli('verify', 'mlp.q.json', '--dataset', 'random:1x8x8:5', '--limit', '20', '--threads', '1');
    expect(t.stdout).toMatch(/accuracy: unquantized n\/a, quantized float n\/a, integer n\/a/);
  });

  it('eval (whose only figure is accuracy) refuses with one line and exit 2', () => {
    for (const model of ['mlp.onnx', 'mlp.q.json']) {
      const j = cli('eval', model, '--dataset', 'random:1x8x8:5', '--limit', '20', '--split', 'all', '--threads', '1');
      expect(j.status).toBe(2);
      expect(j.stdout).toBe('');
      expect(j.stderr).toBe(
        'helu-sim: the data set has no labels; accuracy needs class labels (NumPy labels, an image folder, IDX or CSV)\n',
      );
    }
  });
});
