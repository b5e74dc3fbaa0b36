// The torchvision matrix: ResNet-18, MobileNetV2, MobileNetV3-Small, SqueezeNet 1.1 and
// EfficientNet-B0 (random weights) at opsets 11, 13 and 17, at 3x224x224. Per network and
// opset: float32 inference against PyTorch's outputs (largest error over the output scale),
// 8-bit pow2 quantize (calibration on two images) and verify of one image (mismatches must be 0),
// 8-bit affine quantize and the engine's onnxruntime scheme against the float32 QLinear*
// reference (differing codes must be 0), with CPU seconds.
// Usage: node dist/bench/torchvision-matrix.js [name-filter] [opsets, e.g. 17 or 11,13]
import { join } from 'node:path';
import { loadOnnx } from '../src/models/onnx/import.js';
import { runFloat } from '../src/models/infer.js';
import { quantizeAffine } from '../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../src/sim/verify/affine-compare.js';
import { verifyModel } from '../src/sim/verify/verify.js';
import { visionFixtures } from './lib/vision-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const fx = visionFixtures(root);
const PER = 3 * 224 * 224;
const filter = process.argv[2] ?? '';
const opsets = process.argv[3] ? process.argv[3].split(',').map(Number) : fx.opsets;
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function scaledError(y: ArrayLike<number>, want: Float32Array): number {
  let scale = 0,
    worst = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i]! - want[i]!));
  return worst / scale;
}

function row(name: string, opset: number): string {
  const t0 = cpu();
  const g = loadOnnx(fx.onnx(name, opset));
  const x = fx.input(name);
  const one = x.subarray(0, PER);
  const y = runFloat(g, one, 1, { precision: 'float32' }).output;
  const err = scaledError(y, fx.output(name).subarray(0, y.length));
  const t1 = cpu();
  const m = quantizeModel(g, { x, count: 2 }, { bits: 8 });
  const v = verifyModel(m, { x: one, count: 1 }, { float: g, batch: 1 });
  const t2 = cpu();
  const a = quantizeAffine(g, { x, count: 2 });
  const d = compareAffineSchemes(a, Float64Array.from(one), 1, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
  const t3 = cpu();
  return `| ${name} | ${opset} | ${err.toExponential(1)} | ${m.layers.length} | ${v.valuesCompared} | ${v.mismatches} | ${(t2 - t1).toFixed(0)} | ${d.values} | ${d.differing} | ${(t3 - t2).toFixed(0)} | ${(t1 - t0).toFixed(0)} |`;
}

console.log(
  '| network | opset | float err / output scale | pow2 layers | pow2 values verified | pow2 mismatches | pow2 s CPU | affine codes compared | affine onnxruntime vs float32 reference differing | affine s CPU | float s CPU |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
let failed = 0;
for (const name of fx.names.filter((n) => n.includes(filter))) {
  for (const opset of opsets) {
    try {
      const r = row(name, opset);
      console.log(r);
      if (!/\| 0 \| \d+ \| \d+ \| 0 \|/.test(r)) failed++;
    } catch (e) {
      failed++;
      console.log(`| ${name} | ${opset} | failed: ${(e as Error).message.split('\n')[0]} |`);
    }
  }
}
process.exitCode = failed === 0 ? 0 : 1;
