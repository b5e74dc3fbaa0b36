import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/errors.js';
import { fracBits, parseFormat } from '../../../../src/fixedpoint/format.js';
import { loadDigits } from '../../../../src/models/datasets/index.js';
import { runInteger } from '../../../../src/sim/engine/run.js';
import { modelKindOf } from '../../../../src/sim/importers/load.js';
import { importQonnx } from '../../../../src/sim/importers/qonnx/import.js';
import { intRange, quantCode } from '../../../../src/sim/importers/qonnx/quant.js';
import type { Pow2Quant } from '../../../../src/sim/quantize/model.js';

/*
 * QONNX models built by test/fixtures/quantized/make_qonnx.py (onnx.helper;
 * Quant with per-channel, narrow, FLOOR; BipolarQuant weights; Trunc) against
 * that script's execution of the QONNX operator definitions in NumPy/PyTorch
 * float64, on the 360 digits test samples: output values equal.
 */

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'quantized');
const ref = JSON.parse(readFileSync(join(DIR, 'qonnx-outputs.json'), 'utf8')) as { models: Record<string, number[][]> };
const test = loadDigits().test;

describe('QONNX import', () => {
  for (const name of ['qonnx_mlp', 'qonnx_cnn']) {
    it(`${name}: helu-sim's pow2 engine gives the QONNX definitions' outputs exactly`, () => {
      const bytes = readFileSync(join(DIR, `${name}.onnx`));
      expect(modelKindOf(bytes)).toBe('qonnx');
      const m = importQonnx(bytes, `${name}.onnx`);
      expect(m.scheme).toBe('pow2');
      const out = m.outputs[0]!;
      const lsb = 2 ** -fracBits(parseFormat((m.layers.find((l) => l.output === out)!.out as Pow2Quant).format));
      const codes = runInteger(m, test.x, test.count, { keep: 'outputs' }).tensors.get(out)!;
      const want = ref.models[name]!.flat();
      expect(new Set(want).size).toBeGreaterThan(50);
      expect(Array.from(codes, (c) => c * lsb)).toEqual(want);
    });
  }

  it('Quant formats: narrow signed ranges saturate symmetrically, FLOOR truncates, ROUND breaks ties to even', () => {
    expect(intRange({ bits: 4, signed: true, narrow: true })).toEqual([-7, 7]);
    expect(intRange({ bits: 4, signed: false, narrow: true })).toEqual([0, 14]);
    expect(intRange({ bits: 3, signed: true, narrow: false })).toEqual([-4, 3]);
    expect([2.5, 3.5, -2.5, 100, -100].map((x) => quantCode(x, 1, 0, -7, 7, 'ROUND'))).toEqual([2, 4, -2, 7, -7]);
    expect([2.5, -2.5].map((x) => quantCode(x, 1, 0, -7, 7, 'FLOOR'))).toEqual([2, -3]);
    expect([2.5, -2.5].map((x) => quantCode(x, 1, 0, -7, 7, 'CEIL'))).toEqual([3, -2]);
  });

  it('refuses what fixed-point formats cannot hold, naming the node: a scale that is not a power of two, a zero point', () => {
    const o = onnxProto.onnx;
    const f32 = (name: string, v: number) => ({ name, dims: [], dataType: 1, floatData: [v] });
    for (const [scale, zp, msg] of [[0.3, 0, /node 'q' \(Quant\): scale 0\.3\d* is not a power of two/], [0.5, 1, /node 'q' \(Quant\): zero point 1 is not supported/]] as const) {
      const bytes = o.ModelProto.encode(o.ModelProto.create({
        irVersion: 8, opsetImport: [{ domain: '', version: 13 }, { domain: 'qonnx.custom_op.general', version: 1 }],
        graph: {
          name: 'g', node: [{ opType: 'Quant', domain: 'qonnx.custom_op.general', name: 'q', input: ['x', 's', 'z', 'b'], output: ['y'] }],
          initializer: [f32('s', scale), f32('z', zp), f32('b', 8)],
          input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } } }],
          output: [{ name: 'y' }],
        },
      })).finish();
      expect(() => importQonnx(bytes)).toThrow(UserError);
      expect(() => importQonnx(bytes)).toThrow(msg);
    }
  });
});
