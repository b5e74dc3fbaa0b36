import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../../src/models/datasets/index.js';
import { runAffine } from '../../../../src/sim/engine/run.js';
import type { AccumulationMode } from '../../../../src/sim/engine/scheme.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import type { IntModel } from '../../../../src/sim/quantize/model.js';

/*
 * PyTorch 1.13's onednn engine (fbgemm is not in Debian's build) on the
 * PyTorch fixtures: test/fixtures/quantized/make_onednn.py re-packs the four
 * quantized models of make_torch.py for onednn and records its output codes
 * on the 360 digits test rows, on a CPU with AVX2 and without VNNI (the flags
 * are in the fixture). oneDNN's int8 kernels there multiply with vpmaddubsw:
 * pairs of u8 x s8 products saturate to int16, dense layers pairing
 * consecutive inputs, convolutions pairing channels inside each tap
 * (engine/affine/pairsat.ts, mode 'onednn-u8s8-pairsat'). Counted here:
 * helu-sim's 'pytorch' scheme (qnnpack's arithmetic) in that mode against
 * onednn's codes, with PyTorch's kernel biases; the rest, at most 1 LSB, is
 * onednn's unrounded float bias and ATen's generic add, counted code by code
 * in onednn-oracle.test.ts.
 */

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'quantized');
const torch = JSON.parse(readFileSync(join(DIR, 'torch-codes.json'), 'utf8')) as {
  models: Record<string, { codes: number[][]; kernelBiases: number[][] }>;
};
const onednn = JSON.parse(readFileSync(join(DIR, 'torch-onednn-codes.json'), 'utf8')) as {
  cpuFlags: string[];
  models: Record<string, { codes: number[][] }>;
};
const test = loadDigits().test;

/** [codes differing from onednn's, largest difference] per accumulation, measured. */
const EXPECTED: Record<string, Record<'exact' | 'onednn-u8s8-pairsat' | 'ort-u8s8-pairsat', [number, number]>> = {
  mlp_eager: { exact: [10, 3], 'onednn-u8s8-pairsat': [8, 1], 'ort-u8s8-pairsat': [8, 1] },
  mlp_fx: { exact: [1602, 13], 'onednn-u8s8-pairsat': [1, 1], 'ort-u8s8-pairsat': [1, 1] },
  cnn_eager: { exact: [1142, 3], 'onednn-u8s8-pairsat': [17, 1], 'ort-u8s8-pairsat': [3012, 15] },
  cnn_fx: { exact: [1918, 5], 'onednn-u8s8-pairsat': [12, 1], 'ort-u8s8-pairsat': [3203, 16] },
};

function withKernelBiases(m: IntModel, biases: number[][]): IntModel {
  let k = 0;
  return { ...m, layers: m.layers.map((l) => (l.op === 'dense' || l.op === 'conv' ? { ...l, bias: biases[k++]! } : l)) } as IntModel;
}

describe(`PyTorch's onednn engine (CPU flags ${onednn.cpuFlags.join(' ')}) against helu-sim's pytorch scheme`, () => {
  expect(onednn.cpuFlags).toContain('avx2');
  expect(onednn.cpuFlags.filter((f) => f.includes('vnni'))).toEqual([]);
  for (const [name, modes] of Object.entries(EXPECTED)) {
    it(`${name}: onednn's codes differ from qnnpack's; the onednn pairing explains all but a few 1-LSB codes`, () => {
      const want = onednn.models[name]!.codes.flat();
      const qnnpack = torch.models[name]!.codes.flat();
      expect(want.filter((w, i) => w !== qnnpack[i]).length).toBe(modes.exact[0]);
      const m = withKernelBiases(importQuantizedOnnx(readFileSync(join(DIR, `${name}_op13.onnx`)), name), torch.models[name]!.kernelBiases);
      for (const [accumulation, [n, max]] of Object.entries(modes) as [AccumulationMode, [number, number]][]) {
        const got = runAffine(m, test.x, test.count, { keep: 'outputs', requant: 'pytorch', accumulation }).tensors.get(m.outputs[0]!)!;
        const d = want.map((w, i) => Math.abs(w - got[i]!));
        expect([d.filter((v) => v > 0).length, Math.max(...d)], accumulation).toEqual([n, max]);
      }
    });
  }
});
