import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../../src/models/datasets/index.js';
import { runAffine } from '../../../../src/sim/engine/run.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import type { IntModel } from '../../../../src/sim/quantize/model.js';

/*
 * PyTorch's own post-training quantized models (test/fixtures/quantized,
 * written by make_torch.py with Debian's PyTorch 1.13, qnnpack engine: eager
 * per-tensor and FX per-channel, MLP and CNN with padded convolutions, a 2x2
 * average pool and a residual add, exported at opsets 13 and 17) against
 * PyTorch's int_repr() output codes on the 360 digits test samples.
 *
 * Every difference is accounted for (README, 'Quantized ONNX'):
 * - torch.onnx writes each int32 bias as the float bias / (s_in * s_w)
 *   truncated toward zero, while PyTorch's kernels add it rounded to nearest
 *   (quantize_per_tensor/_per_channel); the fixture records the kernels'
 *   bias codes, and with them in place the 'pytorch' scheme's codes are equal
 *   on every model;
 * - the 'onnxruntime' scheme differs in one more code of the eager CNN, at
 *   the residual add: qnnpack adds in fixed point, onnxruntime's QLinearAdd
 *   in float32.
 */

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'quantized');

interface TorchModel {
  codes: number[][];
  kernelBiases: number[][];
  accuracy: number;
}
const ref = JSON.parse(readFileSync(join(DIR, 'torch-codes.json'), 'utf8')) as { models: Record<string, TorchModel> };
const test = loadDigits().test;

/** The differences [exported bias, PyTorch's kernel bias] expected per model and scheme (see the header). */
const EXPECTED: Record<string, Record<'pytorch' | 'onnxruntime', [number, number]>> = {
  mlp_eager: { pytorch: [9, 0], onnxruntime: [9, 0] },
  mlp_fx: { pytorch: [2, 0], onnxruntime: [2, 0] },
  cnn_eager: { pytorch: [34, 0], onnxruntime: [35, 1] },
  cnn_fx: { pytorch: [19, 0], onnxruntime: [19, 0] },
};

function differing(m: IntModel, want: number[], requant: 'pytorch' | 'onnxruntime'): number {
  const got = runAffine(m, test.x, test.count, { keep: 'outputs', requant }).tensors.get(m.outputs[0]!)!;
  expect(got.length).toBe(want.length);
  return want.filter((w, i) => got[i] !== w).length;
}

describe('PyTorch quantized models, as exported to ONNX, against PyTorch int_repr()', () => {
  for (const [name, schemes] of Object.entries(EXPECTED)) {
    for (const opset of [13, 17])
      for (const [requant, [exported, kernel]] of Object.entries(schemes) as ['pytorch' | 'onnxruntime', [number, number]][]) {
        it(`${name}, opset ${opset}, ${requant} scheme: ${exported} codes differ with the exported biases, ${kernel} with PyTorch's`, () => {
          const t = ref.models[name]!;
          const want = t.codes.flat();
          const m = importQuantizedOnnx(readFileSync(join(DIR, `${name}_op${opset}.onnx`)), `${name}_op${opset}.onnx`);
          expect(new Set(want).size).toBeGreaterThan(50); // outputs spread over many codes
          expect(t.accuracy).toBeGreaterThan(0.85); // a trained classifier
          expect(m.requant).toBe('pytorch'); // a torch.onnx export: PyTorch's scheme by default
          expect(differing(m, want, requant)).toBe(exported);
          let k = 0;
          const layers = m.layers.map((l) => {
            if (l.op !== 'dense' && l.op !== 'conv') return l;
            const mine = t.kernelBiases[k++]!;
            // the exported bias is PyTorch's rounded bias or one step toward zero from it
            l.bias!.forEach((v, c) => expect(Math.abs(mine[c]!) - Math.abs(v)).toBeOneOf([0, 1]));
            return { ...l, bias: mine };
          });
          expect(k).toBe(t.kernelBiases.length);
          expect(differing({ ...m, layers }, want, requant)).toBe(kernel);
        });
      }
  }
});
