// Peak memory of the integer pipeline on ResNet-18 (torchvision, random weights, opset 17) at
// 3x224x224, as `quantize --threads T` and `verify --threads T` run it: import, calibration on
// 64 images (streamed in batches, on T worker threads), quantize to 8-bit pow2, write the
// integer model file, read it back, verify 64 images (batches of modelStreamingBatch, on T
// worker threads for the whole run: each worker gets the model once when it starts and reads the
// unquantized network's constants from shared memory). Prints the process's peak RSS after
// each step (worker threads included; target < 2048 MB), the model file's size, and
// onnxruntime-node's peak RSS running the same images (a child process, batches of 4) as the
// peer figure.
// Usage: node dist/bench/resnet18-memory.js [images, default 64] [threads, default 2]
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/random.js';
import { loadOnnx } from '../src/models/onnx/import.js';
import { modelStreamingBatch } from '../src/sim/quantize/calibrate.js';
import { overChunks } from '../src/sim/parallel/chunks.js';
import { calibrateOnThreads } from '../src/sim/parallel/run.js';
import { withVerifyRun } from '../src/sim/parallel/verify-run.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { loadIntModel, saveIntModel } from '../src/sim/quantize/io.js';
import { reduceVerify, verifiedTensors } from '../src/sim/verify/verify.js';
import { storedFloatGraph } from '../src/sim/verify/summary.js';
import { resnet18Onnx } from './lib/resnet18-fixture.js';

const root = join(import.meta.dirname, '..', '..');
const onnx = resnet18Onnx(root);
const PER = 3 * 224 * 224,
  N = Number(process.argv[2] ?? 64),
  T = Number(process.argv[3] ?? 2);
const rng = new Rng(7);
const images = Float32Array.from({ length: N * PER }, () => rng.uniform(2));

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const peak = (): number => process.resourceUsage().maxRSS / 1024;
const step = async <R>(what: string, fn: () => R | Promise<R>): Promise<R> => {
  const t0 = cpu();
  const r = await fn();
  console.log(
    `${what.padEnd(48)} ${(cpu() - t0).toFixed(1).padStart(7)} s CPU (main thread and workers)   peak RSS ${peak().toFixed(0).padStart(5)} MB`,
  );
  return r;
};

const out = join(root, 'node_modules', '.cache', 'helu-sim', 'bench-resnet18', 'resnet18-memory.q.json');
{
  const g = await step('import resnet18-op17.onnx', () => loadOnnx(onnx));
  const ranges = await step(`calibrate on ${N} images (${T} threads)`, () => calibrateOnThreads(g, { x: images, count: N }, 'minmax', T));
  const m = await step('quantize pow2 8-bit', () => quantizeModel(g, { x: images, count: N }, { bits: 8, ranges }));
  await step('write the integer model file', () => saveIntModel(out, m));
}
console.log(`integer model file: ${(statSync(out).size / 2 ** 20).toFixed(1)} MB`);
const model = await step('read the integer model file', () => loadIntModel(out));
const batch = modelStreamingBatch(model);
const float = storedFloatGraph(model);
const data = { x: images, count: N };
const r = await step(`verify ${N} images (batches of ${batch}, ${T} threads)`, async () => {
  const tallies = await withVerifyRun(model, { mode: 'functional', batch, float }, T, (run) =>
    overChunks({ from: 0, to: N }, batch, T, (c) => run.slice(data, c)),
  );
  return reduceVerify(verifiedTensors(model), { count: N, labelled: false }, tallies, {
    mode: 'functional',
    hasFloat: float !== undefined,
  });
});
console.log(`verify: ${r.valuesCompared} values, ${r.mismatches} mismatches`);
const ours = peak();
const ort = spawnSync(process.execPath, [join(import.meta.dirname, 'lib', 'ort-peak.js'), onnx, String(N), '4'], { encoding: 'utf8' });
const theirs = Number(ort.stdout.trim());
console.log(
  `peak RSS: helu-sim ${ours.toFixed(0)} MB (target < 2048 MB: ${ours < 2048 ? 'met' : 'NOT met'}); onnxruntime-node float inference of the same images ${Number.isFinite(theirs) ? `${theirs} MB; ratio ${(ours / theirs).toFixed(1)}x` : `failed: ${ort.stderr.slice(0, 200)}`}`,
);
