// Peak memory of the integer pipeline on ResNet-18 (torchvision, random weights, opset 17) at
// 3x224x224, as `quantize` and `verify` run it: import, calibration on 64 images (streamed in
// batches), quantize to 8-bit pow2, write the integer model file, read it back, verify 64
// images (streamed in batches of modelStreamingBatch). Prints the process's peak RSS after each
// step (target < 2048 MB), the model file's size, and onnxruntime-node's peak RSS running the
// same images (a child process, batches of 4) as the peer figure.
// Usage: node dist/bench/resnet18-memory.js [images, default 64]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/random.js';
import { loadOnnx } from '../src/models/onnx/import.js';
import { calibrate, modelStreamingBatch } from '../src/sim/quantize/calibrate.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { loadIntModel, saveIntModel } from '../src/sim/quantize/io.js';
import { verifyModel } from '../src/sim/verify/verify.js';
import { storedFloatGraph } from '../src/sim/verify/summary.js';
import { resnet18Onnx } from './lib/resnet18-fixture.js';

const root = join(import.meta.dirname, '..', '..');
const onnx = resnet18Onnx(root);
const PER = 3 * 224 * 224,
  N = Number(process.argv[2] ?? 64);
const rng = new Rng(7);
const images = Float32Array.from({ length: N * PER }, () => rng.uniform(2));

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const peak = (): number => process.resourceUsage().maxRSS / 1024;
const step = <T>(what: string, fn: () => T): T => {
  const t0 = cpu();
  const r = fn();
  console.log(`${what.padEnd(48)} ${(cpu() - t0).toFixed(1).padStart(7)} s CPU   peak RSS ${peak().toFixed(0).padStart(5)} MB`);
  return r;
};

const out = join(root, 'node_modules', '.cache', 'helu-sim', 'bench-resnet18', 'resnet18-memory.q.json');
{
  const g = step('import resnet18-op17.onnx', () => loadOnnx(onnx));
  const ranges = step(`calibrate on ${N} images (streamed)`, () => calibrate(g, { x: images, count: N }));
  const m = step('quantize pow2 8-bit', () => quantizeModel(g, { x: images, count: N }, { bits: 8, ranges }));
  step('write the integer model file', () => saveIntModel(out, m));
}
console.log(`integer model file: ${(statSync(out).size / 2 ** 20).toFixed(1)} MB`);
const model = step('read the integer model file', () => loadIntModel(out));
const batch = modelStreamingBatch(model);
const r = step(`verify ${N} images (batches of ${batch})`, () =>
  verifyModel(model, { x: images, count: N }, { float: storedFloatGraph(model), batch }),
);
console.log(`verify: ${r.valuesCompared} values, ${r.mismatches} mismatches`);
const ours = peak();
const ort = spawnSync(process.execPath, [join(import.meta.dirname, 'lib', 'ort-peak.js'), onnx, String(N), '4'], { encoding: 'utf8' });
const theirs = Number(ort.stdout.trim());
console.log(
  `peak RSS: helu-sim ${ours.toFixed(0)} MB (target < 2048 MB: ${ours < 2048 ? 'met' : 'NOT met'}); onnxruntime-node float inference of the same images ${Number.isFinite(theirs) ? `${theirs} MB; ratio ${(ours / theirs).toFixed(1)}x` : `failed: ${ort.stderr.slice(0, 200)}`}`,
);
