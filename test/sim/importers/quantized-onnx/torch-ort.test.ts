import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../../src/models/datasets/index.js';
import { runAffine } from '../../../../src/sim/engine/run.js';
import type { AccumulationMode } from '../../../../src/sim/engine/scheme.js';
import { hostAccumulation } from '../../../../src/sim/importers/ort-host.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import type { AffineQuant } from '../../../../src/sim/quantize/model.js';
import { runOrt } from './build.js';

/*
 * PyTorch's exported QDQ files (full-range int8 weights, uint8 activations)
 * run by onnxruntime-node: its float outputs are DequantizeLinear of its
 * output codes, so they are compared with helu-sim's codes under the
 * onnxruntime scheme, dequantized the same way (float32), in the accumulation
 * of this CPU; the other accumulation must differ on these models.
 */

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'quantized');
const test = loadDigits().test;
const HOST = hostAccumulation();

describe(`PyTorch exports in onnxruntime-node (this CPU: ${HOST})`, () => {
  for (const name of ['mlp_eager_op13', 'mlp_fx_op17', 'cnn_eager_op17', 'cnn_fx_op13']) {
    it(name, async () => {
      const bytes = readFileSync(join(DIR, `${name}.onnx`));
      const x = Float32Array.from(test.x);
      const want = await runOrt(bytes, { x: { data: x, dims: [test.count, 1, 8, 8] } });
      const m = importQuantizedOnnx(bytes, `${name}.onnx`);
      const q = m.layers.find((l) => l.output === m.outputs[0])!.out as AffineQuant;
      const differing = (accumulation: AccumulationMode): number => {
        const codes = runAffine(m, test.x, test.count, { requant: 'onnxruntime', accumulation, keep: 'outputs' }).tensors.get(
          m.outputs[0]!,
        )!;
        expect(codes.length).toBe(want.length);
        return want.filter((w, i) => Math.fround(Math.fround(codes[i]! - q.zeroPoint[0]!) * q.scale[0]!) !== w).length;
      };
      expect(differing(HOST)).toBe(0);
      if (HOST !== 'exact') expect(differing('exact')).toBeGreaterThan(0);
    });
  }
});
