import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/models/onnx/export.js';
import { cnnGraph, digitInputs, mlpGraph } from './graphs.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { saveIntModel } from '../../src/sim/quantize/io.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'helu-sim-cli-'));
const onnx = join(dir, 'cnn.onnx');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  expect(existsSync(main)).toBe(true);
  writeFileSync(onnx, exportOnnx(cnnGraph()));
  writeFileSync(join(dir, 'mlp.onnx'), exportOnnx(mlpGraph()));
  saveIntModel(join(dir, 'base.q.json'), quantizeModel(mlpGraph(), digitInputs(3, 40)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('helu-sim quantize / verify', () => {
  it('quantize --json writes the model and describes every layer; verify proves it', () => {
    const q = cli('quantize', onnx, '--calib', 'digits', '-o', 'cnn.q.json', '--json');
    expect(q.stderr).toBe('');
    expect(q.status).toBe(0);
    const j = JSON.parse(q.stdout);
    expect(j.output).toBe('cnn.q.json');
    expect(j.scheme).toBe('pow2');
    expect(j.layers.find((l: { name: string }) => l.name === 'conv1')).toMatchObject({ op: 'conv', folded: ['bn1'] });
    expect(j.layers.find((l: { op: string }) => l.op === 'activation').circuit.gates).toBeGreaterThan(0);
    const v = cli('verify', 'cnn.q.json', '--dataset', 'digits', '--split', 'test', '--mode', 'both', '--json');
    expect(v.status).toBe(0);
    const r = JSON.parse(v.stdout);
    expect(Object.keys(r).slice(0, 9)).toEqual([
      'samples',
      'tensorsCompared',
      'valuesCompared',
      'mismatches',
      'maxLsbError',
      'floatAccuracy',
      'intAccuracy',
      'unquantizedAccuracy',
      'layers',
    ]);
    expect(Object.keys(r.layers[0])).toEqual(['name', 'mismatches', 'maxLsbError', 'saturations', 'wraps', 'sqnrDb']);
    expect([r.samples, r.mismatches, r.modeMismatches]).toEqual([360, 0, 0]);
    expect(r.unquantizedAccuracy).not.toBeNull();
    expect(r.layers.find((l: { name: string }) => l.name === 'conv1').sqnrDb).toBeGreaterThan(10);
  });

  it('readable output without --json', () => {
    const q = cli('quantize', 'mlp.onnx', '--calib', 'digits', '--calib-split', 'test', '--bits', '6', '--acc', '10', '-o', 'small.q.json');
    expect(q.status).toBe(0);
    expect(q.stdout).toMatch(/fc1\s+dense\s+fixed<6,\d+,RND_CONV,SAT> weights fixed<6,0,RND_CONV,SAT> acc fixed<10,/);
    const v = cli('verify', 'small.q.json', '--dataset', 'digits', '--split', 'test');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/mismatches 0, max LSB error 0/);
    expect(v.stdout).toMatch(/fc1\s+0\s+0\s+[1-9]\d*\s+0\s+\d/);
  });

  it('--scheme affine delegates to the affine exporter; pow2-only options are refused', () => {
    const q = cli(
      'quantize',
      'mlp.onnx',
      '--calib',
      'digits',
      '--calib-split',
      'test',
      '--scheme',
      'affine',
      '--requant',
      'gemmlowp',
      '-o',
      'mlp.a.json',
      '--json',
    );
    expect(q.status).toBe(0);
    expect(JSON.parse(q.stdout).scheme).toBe('affine');
    const v = cli('verify', 'mlp.a.json', '--dataset', 'digits', '--split', 'test', '--json');
    expect(v.status).toBe(0);
    expect(JSON.parse(v.stdout).schemes.map((s: { scheme: string }) => s.scheme)).toEqual([
      'gemmlowp',
      'single-rounding',
      'tflite-float',
      'onnxruntime',
      'pytorch',
    ]);
    const bad = cli('quantize', 'mlp.onnx', '--calib', 'digits', '--scheme', 'affine', '--acts', 'fixed<8,3>', '-o', 'x.q.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--acts applies to --scheme pow2 only/);
  });

  const errors: [string, string[], RegExp][] = [
    ['a missing model', ['quantize', 'none.onnx', '--calib', 'digits', '-o', 'x.q.json'], /model 'none\.onnx' not found/],
    [
      'a bad --acts format',
      ['quantize', 'cnn.onnx', '--calib', 'digits', '--acts', 'fixed<8>', '-o', 'x.q.json'],
      /--acts: bad fixed-point format 'fixed<8>'/,
    ],
    [
      'a bad calibration',
      ['quantize', 'cnn.onnx', '--calib', 'digits', '--calibration', 'median', '-o', 'x.q.json'],
      /--calibration must be 'minmax' or 'percentile/,
    ],
    [
      '--requant with pow2',
      ['quantize', 'cnn.onnx', '--calib', 'digits', '--requant', 'gemmlowp', '-o', 'x.q.json'],
      /--requant applies to --scheme affine/,
    ],
    [
      'a float model given to verify',
      ['verify', 'cnn.onnx', '--dataset', 'digits'],
      /'cnn\.onnx' is a float ONNX model; run 'helu-sim quantize' on it first/,
    ],
    [
      'a bad config key',
      ['quantize', 'cnn.onnx', '--calib', 'digits', '--config', 'bad.json', '-o', 'x.q.json'],
      /config: layers\.conv9: no layer of that name; the model.s layers are scale, conv1/,
    ],
  ];
  for (const [what, args, re] of errors) {
    it(`exit 2, one line, no output file: ${what}`, () => {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ layers: { conv9: { out: 'fixed<8,3>' } } }));
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
      expect(existsSync(join(dir, 'x.q.json'))).toBe(false);
    });
  }

  it('a tampered model names the field; no stray temporary files', () => {
    const j = JSON.parse(readFileSync(join(dir, 'base.q.json'), 'utf8'));
    j.layers[1].bias = 'none';
    writeFileSync(join(dir, 't.q.json'), JSON.stringify(j));
    const r = cli('verify', 't.q.json', '--dataset', 'digits');
    expect(r.stderr).toMatch(/field 'layers\[1\]\.bias' must be an array/);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/field 'layers\[1\]\.bias' must be an array/);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
