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
import type { AffineQuant, Pow2Quant } from '../../../../src/sim/quantize/model.js';
import { runAffine } from '../../../../src/sim/engine/run.js';
import { runAffineReference } from '../../../../src/sim/reference/run.js';

/** Output codes where the engine's onnxruntime arithmetic (float32) lands one code off the exact definition. */
const AFFINE_ENGINE_DIFFS: Record<string, number> = { qonnx_affine_mlp: 0, qonnx_affine_cnn: 1, qonnx_affine_rounding: 5 };

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
    expect([2.5, -2.5].map((x) => quantCode(x, 1, 0, -7, 7, 'ROUND_TO_ZERO'))).toEqual([2, -2]);
  });

  it('refuses what neither fixed-point formats nor 8-bit affine tensors hold, naming the node', () => {
    const o = onnxProto.onnx;
    const f32 = (name: string, v: number) => ({ name, dims: [], dataType: 1, floatData: [v] });
    const cases = [
      [0.3, 0, 10, {}, /node 'q' \(Quant\): 10-bit runtime tensors with a scale that is not a power of two are not supported/],
      [
        0.5,
        0,
        8,
        { rounding: 'HALF_UP' },
        /node 'q' \(Quant\): rounding_mode 'HALF_UP' is not supported; accepted: ROUND, CEIL, FLOOR, ROUND_TO_ZERO/,
      ],
      [
        0.3,
        0,
        8,
        { rounding: 'FLOOR' },
        /node 'q' \(Quant\): rounding_mode FLOOR on a runtime tensor needs its input on a grid that divides the scale/,
      ],
      [0.5, 0.5, 8, {}, /node 'q' \(Quant\): zero point 0.5 must be an integer in 0..255/],
      [
        0.5,
        0,
        4,
        { narrow: 1, signed: 0 },
        /node 'q' \(Quant\): an unsigned narrow range \(0 .. 2\^b - 2\) has no fixed-point overflow mode/,
      ],
    ] as const;
    for (const [scale, zp, bits, a, msg] of cases) {
      const attribute = [
        { name: 'signed', type: 2, i: 'signed' in a ? a.signed : 0 },
        { name: 'narrow', type: 2, i: 'narrow' in a ? a.narrow : 0 },
        ...('rounding' in a ? [{ name: 'rounding_mode', type: 3, s: new TextEncoder().encode(a.rounding) }] : []),
      ];
      const bytes = o.ModelProto.encode(
        o.ModelProto.create({
          irVersion: 8,
          opsetImport: [
            { domain: '', version: 13 },
            { domain: 'qonnx.custom_op.general', version: 1 },
          ],
          graph: {
            name: 'g',
            node: [
              { opType: 'Quant', domain: 'qonnx.custom_op.general', name: 'q', input: ['x', 's', 'z', 'b'], output: ['y'], attribute },
            ],
            initializer: [f32('s', scale), f32('z', zp), f32('b', bits)],
            input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 4 }] } } } }],
            output: [{ name: 'y' }],
          },
        }),
      ).finish();
      expect(() => importQonnx(bytes)).toThrow(UserError);
      expect(() => importQonnx(bytes)).toThrow(msg);
    }
  });
});

describe('affine QONNX (scales that are not powers of two, zero points)', () => {
  for (const name of ['qonnx_affine_mlp', 'qonnx_affine_cnn', 'qonnx_affine_rounding']) {
    it(`${name}: imported as an affine model; its reference (the ONNX definitions, exact) gives the QONNX definitions' outputs, the onnxruntime engine within the counted codes`, () => {
      const bytes = readFileSync(join(DIR, `${name}.onnx`));
      expect(modelKindOf(bytes)).toBe('qonnx');
      const m = importQonnx(bytes, `${name}.onnx`);
      expect(m.scheme).toBe('affine');
      const out = m.outputs[0]!;
      const want = ref.models[name]!.flat();
      // the sign layer of qonnx_affine_rounding leaves fewer distinct outputs
      expect(new Set(want).size).toBeGreaterThan(name === 'qonnx_affine_rounding' ? 20 : 50);
      const r = runAffineReference(m, test.x, test.count).tensors.get(out)!;
      expect(Array.from(r)).toEqual(want);
      const q = m.layers.find((l) => l.output === out)!.out as AffineQuant;
      const eng = runAffine(m, test.x, test.count, { keep: 'outputs' }).tensors.get(out)!;
      const codes = want.map((v) => Math.round(v / q.scale[0]!) + q.zeroPoint[0]!);
      const differing = codes.filter((c, i) => c !== eng[i]).length;
      expect(differing).toBe(AFFINE_ENGINE_DIFFS[name]);
    });
  }
});
