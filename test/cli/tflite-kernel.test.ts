// TFLite's two multiplier derivations reach the CLI: quantize --tflite-kernel writes the model's choice, the engine
// applies it to per-tensor dense layers (checked against the spec's formula written out here), and bad uses are
// one-line UserErrors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/models/onnx/export.js';
import { runAffineCodes } from '../../src/sim/engine/run.js';
import type { AffineModel, DenseLayer } from '../../src/sim/quantize/model.js';
import { mlpGraph } from '../sim/graphs.js';
import { cli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-tflite-kernel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** zp + round half away from zero of acc * M, computed exactly for |acc * M| < 2^52 (TFLite's tflite-float path). */
function tfliteFloat(acc: number, M: number, zp: number): number {
  const v = acc * M,
    a = Math.abs(v),
    f = Math.floor(a);
  return zp + Math.sign(v) * (a - f >= 0.5 ? f + 1 : f);
}

/** One dense layer [1] -> [1] with weight code 1, the given bias and scales; output int32-wide clamp avoided by int8 range. */
function denseModel(sIn: number, sW: number, sOut: number, bias: number, kernel?: 'conv' | 'fully-connected'): AffineModel {
  const layer: DenseLayer = {
    op: 'dense',
    name: 'fc',
    inputs: ['x'],
    output: 'y',
    shape: [1],
    bias: [bias],
    out: { kind: 'affine', type: 'int8', scale: [sOut], zeroPoint: [0] },
    weights: { shape: [1, 1], codes: [1], quant: { kind: 'affine', type: 'int8', scale: [sW], zeroPoint: [0] } },
    acc: { kind: 'int', bits: 32, overflow: 'WRAP' },
  };
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: 'fc',
    scheme: 'affine',
    requant: 'tflite-float',
    ...(kernel ? { tfliteKernel: kernel } : {}),
    input: { name: 'x', shape: [1], quant: { kind: 'affine', type: 'int8', scale: [sIn], zeroPoint: [0] } },
    layers: [layer],
    outputs: ['y'],
    metadata: {},
  };
}

describe('TFLite kernel choice', () => {
  it('the engine takes float32(s_in * s_w) for fully-connected and the double product for conv, per the formulas', () => {
    // scales and an accumulator (the bias, input code 0) where the two derivations round to different codes
    const sIn = Math.fround(0.010000599548220634),
      sW = Math.fround(0.0073),
      sOut = Math.fround(0.0371),
      acc = 13467;
    const mConv = (sIn * sW) / sOut,
      mFc = Math.fround(sIn * sW) / sOut;
    expect([tfliteFloat(acc, mConv, 0), tfliteFloat(acc, mFc, 0)]).toEqual([27, 26]);
    const code = (k?: 'conv' | 'fully-connected') => runAffineCodes(denseModel(sIn, sW, sOut, acc, k), [0], 1).tensors.get('y')![0];
    expect(code('fully-connected')).toBe(26);
    expect(code('conv')).toBe(27);
    expect(code()).toBe(27);
  });

  it('quantize --tflite-kernel fully-connected writes the choice into the model; bad uses are one-line errors', () => {
    const onnx = join(dir, 'mlp.onnx');
    writeFileSync(onnx, exportOnnx(mlpGraph()));
    const out = join(dir, 'mlp.fc.json');
    const q = cli(
      'quantize',
      onnx,
      '--calib',
      'digits',
      '--calib-split',
      'test',
      '--scheme',
      'affine',
      '--requant',
      'tflite-float',
      '--tflite-kernel',
      'fully-connected',
      '-o',
      out,
    );
    expect(q.status, q.stderr).toBe(0);
    const m = JSON.parse(readFileSync(out, 'utf8')) as AffineModel;
    expect([m.requant, m.tfliteKernel]).toEqual(['tflite-float', 'fully-connected']);
    writeFileSync(join(dir, 'x.json'), JSON.stringify({ inputs: [Array.from({ length: 64 }, (_, i) => i % 17)] }));
    const r = cli('run', out, '--input', join(dir, 'x.json'), '--json');
    expect(r.status, r.stderr).toBe(0);
    for (const [args, msg] of [
      [
        ['--requant', 'tflite-float', '--tflite-kernel', 'dense'],
        /^helu-sim: --tflite-kernel must be conv or fully-connected, got 'dense'\n$/,
      ],
      [
        ['--requant', 'onnxruntime', '--tflite-kernel', 'conv'],
        /^helu-sim: --tflite-kernel applies to --scheme affine with a TFLite --requant scheme/,
      ],
    ] as const) {
      const e = cli('quantize', onnx, '--calib', 'digits', '--scheme', 'affine', ...args, '-o', join(dir, 'bad.json'));
      expect(e.status).toBe(2);
      expect(e.stderr).toMatch(msg);
    }
  });
});
