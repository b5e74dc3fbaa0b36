// ResNet-18 (torchvision, random weights, exported by PyTorch at opset 17) at 3x224x224:
// import, float inference next to onnxruntime-node on the same file, quantize (8-bit pow2,
// calibration on 64 images), write the integer model file, verify 64 images; CPU time of each
// step and the process's peak RSS (target < 2 GB). Inputs: seeded uniform noise in [-2, 2].
// Fixture: test/fixtures/torch/export.py (python3-torch), cached.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Rng } from '../src/random.js';
import { loadOnnx } from '../src/models/onnx/import.js';
import { runFloat } from '../src/models/infer.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { saveIntModel } from '../src/sim/quantize/io.js';
import { verifyModel } from '../src/sim/verify/verify.js';
import { resnet18Onnx } from './lib/resnet18-fixture.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'node_modules', '.cache', 'helu-sim', 'bench-resnet18');
const model = resnet18Onnx(root);

const PER = 3 * 224 * 224,
  N = 64;
const rng = new Rng(7);
const images = Float32Array.from({ length: N * PER }, () => rng.uniform(2));

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const step = <T>(what: string, fn: () => T): T => {
  const t0 = cpu();
  const r = fn();
  console.log(
    `${what.padEnd(44)} ${(cpu() - t0).toFixed(1).padStart(7)} s CPU   RSS peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  return r;
};

const g = step('import resnet18-op17.onnx', () => loadOnnx(model));
const batch4 = images.subarray(0, 4 * PER);
step('float32 inference, 4 images (helu-sim)', () => runFloat(g, batch4, 4, { precision: 'float32' }));
const session = await ort.InferenceSession.create(model);
const t0 = cpu();
await session.run({ input: new ort.Tensor('float32', batch4, [4, 3, 224, 224]) });
console.log(`${'float32 inference, 4 images (onnxruntime-node)'.padEnd(44)} ${(cpu() - t0).toFixed(1).padStart(7)} s CPU`);
const m = step(`quantize pow2 8-bit, calibration ${N} images`, () => quantizeModel(g, { x: images, count: N }, { bits: 8 }));
const out = join(dir, 'resnet18.q.json');
step('write the integer model file', () => saveIntModel(out, m));
console.log(`integer model file: ${(statSync(out).size / 2 ** 20).toFixed(0)} MB`);
const r = step(`verify ${N} images`, () => verifyModel(m, { x: images, count: N }, { float: g, batch: 4 }));
console.log(`verify: ${r.valuesCompared} values, ${r.mismatches} mismatches`);
const peak = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS ${peak.toFixed(0)} MB (target < 2048 MB): ${peak < 2048 ? 'met' : 'NOT met'}`);
