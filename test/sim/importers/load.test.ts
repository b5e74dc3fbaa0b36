import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { exportOnnx } from '../../../src/models/onnx/export.js';
import { loadIntegerModel, modelFileKind } from '../../../src/sim/importers/load.js';
import { saveIntModel } from '../../../src/sim/quantize/io.js';
import { mlpGraph } from '../graphs.js';
import { qopMlp } from './quantized-onnx/models.js';

/* One loader decides what a model file is by its content; every command uses it. */

const root = join(import.meta.dirname, '..', '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const fixtures = join(root, 'test', 'fixtures', 'quantized');
const dir = mkdtempSync(join(tmpdir(), 'helu-sim-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('model file kinds', () => {
  it('recognises QDQ, QOperator, float ONNX, integer models and other files by content, not by name', () => {
    const qdq = join(dir, 'qdq.bin');
    writeFileSync(qdq, readFileSync(join(fixtures, 'cnn_eager_op13.onnx')));
    const qop = join(dir, 'model.json');
    writeFileSync(qop, qopMlp({ act: 'uint8', perChannel: true, seed: 2 }).bytes);
    const float = join(dir, 'float.onnx');
    writeFileSync(float, exportOnnx(mlpGraph()));
    const int = join(dir, 'int.onnx');
    saveIntModel(int, loadIntegerModel(qdq));
    const text = join(dir, 'notes.onnx');
    writeFileSync(text, 'hello');
    expect([qdq, qop, float, int, text].map(modelFileKind)).toEqual(['qdq', 'qoperator', 'float-onnx', 'integer-model', 'other']);
    expect(loadIntegerModel(int).layers.length).toBe(loadIntegerModel(qdq).layers.length);
    expect(() => loadIntegerModel(float)).toThrow(UserError);
    expect(() => loadIntegerModel(float)).toThrow(/is a float ONNX model; run 'helu-sim quantize' on it first/);
    expect(() => loadIntegerModel(text)).toThrow(/not an integer model \(written by quantize\), a quantized ONNX file/);
  });
});

describe('quantized ONNX through every command', () => {
  const model = join(fixtures, 'cnn_fx_op17.onnx');

  it('run prints the output codes', () => {
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ inputs: [new Array(64).fill(0), new Array(64).fill(16)] }));
    const r = cli('run', model, '--input', 'x.json', '--json');
    // a torch.onnx export: one note naming the default scheme, nothing else
    expect(r.stderr).toMatch(
      /^helu-sim: note: '.*' is a PyTorch export: codes as PyTorch's own kernels compute them \(--requant pytorch; --requant onnxruntime for onnxruntime's\)\n$/,
    );
    const j = JSON.parse(r.stdout);
    expect(j.outputs.length).toBe(2);
    expect(j.codes[0].every((c: number) => Number.isInteger(c) && c >= 0 && c <= 255)).toBe(true);
  });

  it('eval, verify and cost take the file as it is', () => {
    const e = cli('eval', model, '--dataset', 'digits', '--json');
    expect(e.status).toBe(0);
    expect(JSON.parse(e.stdout).accuracy).toBeGreaterThan(0.85);
    const v = cli('verify', model, '--dataset', 'digits', '--split', 'test', '--json');
    expect(v.status).toBe(0);
    const s = JSON.parse(v.stdout);
    expect(s.samples).toBe(360);
    expect(s.schemes.find((x: { scheme: string }) => x.scheme === 'onnxruntime').differing).toBe(0);
    const c = cli('cost', model, '--json');
    expect(c.status).toBe(0);
    expect(JSON.parse(c.stdout).layers.length).toBeGreaterThan(2);
  });

  it('verify --accumulation: engine and reference in that mode, reported per scheme; bad modes in one line', () => {
    const v = cli('verify', model, '--dataset', 'digits', '--split', 'test', '--accumulation', 'ort-u8s8-pairsat', '--json');
    expect(v.status).toBe(0);
    const s = JSON.parse(v.stdout);
    expect(s.accumulation).toBe('ort-u8s8-pairsat');
    expect(s.warnings).toBeUndefined(); // the mode that models the saturation does not warn about it
    expect(s.schemes.find((x: { scheme: string }) => x.scheme === 'onnxruntime').differing).toBe(0);
    expect(s.pairSaturation.differing).toBeGreaterThan(0);
    const bad = cli('verify', model, '--dataset', 'digits', '--accumulation', 'vnni');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^helu-sim: unknown accumulation 'vnni': accepted exact, ort-u8s8-pairsat, onednn-u8s8-pairsat/);
    const pow2 = cli('verify', join(fixtures, 'qonnx_mlp.onnx'), '--dataset', 'digits', '--accumulation', 'exact');
    expect(pow2.status).toBe(2);
    expect(pow2.stderr).toMatch(/--accumulation applies to affine models; '.*qonnx_mlp.onnx' is a pow2 model/);
  });

  it('quantize refuses a file that is quantized already; verify refuses a float model with one line', () => {
    const q = cli('quantize', model, '--calib', 'digits', '-o', 'again.q.json');
    expect(q.status).toBe(2);
    expect(q.stderr).toMatch(/^helu-sim: '.*cnn_fx_op17.onnx' is already an integer model; quantize takes a float model/);
    writeFileSync(join(dir, 'f.onnx'), exportOnnx(mlpGraph()));
    const v = cli('verify', 'f.onnx', '--dataset', 'digits');
    expect(v.status).toBe(2);
    expect(v.stderr.trim().split('\n').length).toBe(1);
    expect(v.stderr).toMatch(/is a float ONNX model; run 'helu-sim quantize' on it first/);
  });
});
