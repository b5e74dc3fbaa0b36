// ResNet-18 (torchvision, random weights, exported by PyTorch at opset 17) at 3x224x224:
// import, float inference next to onnxruntime-node on the same file, quantize (8-bit pow2,
// calibration on 64 images), write the integer model file, verify 64 images; CPU time of each
// step and the process's peak RSS (target < 2 GB). Inputs: seeded uniform noise in [-2, 2].
// Then the integer engine's speed on that model (1 thread, resident pipeline, residual adds
// included): CPU seconds per image next to onnxruntime-node float32 on the same file, interleaved
// (target <= 0.15 s per image per thread). ENGINE=only stops after it (calibration on CALIB
// images, default N).
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
import { compile } from '../src/sim/engine/run.js';
import { macsPerSample } from '../src/models/infer.js';
import { interleaved, ROUNDS } from './nets/timing.js';

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
const calib = Number(process.env.CALIB ?? N);
const m = step(`quantize pow2 8-bit, calibration ${calib} images`, () =>
  quantizeModel(g, { x: images.subarray(0, calib * PER), count: calib }, { bits: 8 }),
);
await engineSpeed();
if (process.env.ENGINE === 'only') process.exit(0);
const out = join(dir, 'resnet18.q.json');
step('write the integer model file', () => saveIntModel(out, m));
console.log(`integer model file: ${(statSync(out).size / 2 ** 20).toFixed(0)} MB`);
const r = step(`verify ${N} images`, () => verifyModel(m, { x: images, count: N }, { float: g, batch: 4 }));
console.log(`verify: ${r.valuesCompared} values, ${r.mismatches} mismatches`);
const peak = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS ${peak.toFixed(0)} MB (target < 2048 MB): ${peak < 2048 ? 'met' : 'NOT met'}`);

/** The integer engine on 2 images against onnxruntime-node float32 on the same file, CPU time, interleaved. */
async function engineSpeed(): Promise<void> {
  const eng = compile(m);
  const x2 = Float64Array.from(images.subarray(0, 2 * PER));
  const one = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = { input: new ort.Tensor('float32', images.slice(0, 2 * PER), [2, 3, 224, 224]) };
  const t = await interleaved([
    ['engine', () => eng.run(x2, 2, { keep: 'outputs' })],
    ['ort', () => one.run(feeds)],
  ]);
  const e = t.get('engine')! / 2,
    o = t.get('ort')! / 2;
  const macs = macsPerSample(g);
  console.log(
    `integer engine, ResNet-18 224x224 (${(macs / 1e9).toFixed(2)} GMAC/image; ${eng.residentPipeline ? 'resident pipeline' : 'layer by layer'}, ` +
      `kernels ${[...new Set(eng.linearPaths.values())].join('/')}, host layers: ${eng.hostLayers.length === 0 ? 'none' : [...new Set(eng.hostLayers.map((n) => m.layers.find((l) => l.name === n)!.op))].join(', ')}): ` +
      `${e.toFixed(3)} CPU s per image per thread (${(macs / e / 1e9).toFixed(1)} GMAC/s; target <= 0.15), ` +
      `onnxruntime-node float32 ${o.toFixed(3)} CPU s per image (engine / onnxruntime ${(o / e).toFixed(2)}x speed); medians of ${ROUNDS} interleaved rounds`,
  );
}
