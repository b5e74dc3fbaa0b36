// `helu-sim train` end to end (tiny runs): JSON shape, model file, user errors.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, main } from './cli-helpers.js';
import { importOnnx } from '../../src/models/index.js';
import { readFileSync } from 'node:fs';

const dir = mkdtempSync(join(tmpdir(), 'helu-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helu-sim train', () => {
  beforeAll(() => {
    expect(existsSync(main), 'build the CLI first (npm run build)').toBe(true);
  });

  it('--json: one document with accuracies, dead fractions and history; writes the ONNX model', () => {
    const out = join(dir, 'm.onnx');
    const r = cli(
      'train',
      '--dataset',
      'digits',
      '--arch',
      'mlp:16,8',
      '--act',
      'helu',
      '--alpha',
      '0.01',
      '--epochs',
      '2',
      '--seed',
      '3',
      '-o',
      out,
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 5)).toEqual(['trainAccuracy', 'testAccuracy', 'epochs', 'deadFraction', 'history']);
    expect(j.epochs).toBe(2);
    expect(j.deadFraction).toHaveLength(2);
    expect(j.history).toHaveLength(2);
    expect(Object.keys(j.history[0])).toEqual(['epoch', 'loss', 'trainAccuracy', 'testAccuracy', 'deadFraction', 'seconds']);
    expect(j.testAccuracy).toBeGreaterThan(0.5);
    expect(j.activation).toBe('helu:0.01');
    const g = importOnnx(readFileSync(out), out);
    expect(g.metadata['trainedActivation']).toBe('helu:0.01');
    expect(g.nodes.filter((n) => n.op === 'Activation').map((n) => n.op === 'Activation' && n.attrs.activation)).toEqual([
      { kind: 'helu', alpha: 0.01 },
      { kind: 'helu', alpha: 0.01 },
    ]);
  });

  it('plain output: a short summary naming seed and dead units', () => {
    const r = cli('train', '--arch', 'mlp:8', '--act', 'relu', '--epochs', '1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/digits mlp:8 relu, 1 epochs, seed 1, backend (wasm|cpu)/);
    expect(r.stdout).toMatch(/dead units per hidden layer: [0-9.]+ %/);
  });

  it('user errors exit 2 with one line and write nothing', () => {
    const out = join(dir, 'never.onnx');
    const cases: [string[], RegExp][] = [
      [['--dataset', 'nope', '-o', out], /unknown dataset 'nope'; accepted/],
      [['--act', 'relu', '--alpha', '0.1', '-o', out], /--alpha applies to helu, leakyrelu and elu/],
      [['--arch', 'cnn:4c3,p2,p2,p2,p2', '-o', join(dir, 'm.txt')], /use a .onnx or .json file name/],
    ];
    for (const [args, msg] of cases) {
      const r = cli('train', '--epochs', '1', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(out)).toBe(false);
  });
});
