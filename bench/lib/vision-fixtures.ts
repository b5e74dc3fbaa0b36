// torchvision ResNet-18, MobileNetV2, MobileNetV3-Small, SqueezeNet 1.1 and EfficientNet-B0
// (random weights) exported at opsets 11, 13 and 17 with PyTorch's outputs on two images, by
// test/fixtures/torch/export.py (python3-torch, python3-torchvision), cached in node_modules/.cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface VisionFixtures {
  names: string[];
  opsets: number[];
  onnx(name: string, opset: number): string;
  /** Two images [2, 3, 224, 224] and PyTorch's float32 outputs on them. */
  input(name: string): Float32Array;
  output(name: string): Float32Array;
}

const f32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export function visionFixtures(root: string): VisionFixtures {
  const dir = join(root, 'node_modules', '.cache', 'helu-sim', 'bench-vision');
  if (!existsSync(join(dir, 'manifest.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    const r = spawnSync('/usr/bin/python3', [join(root, 'test', 'fixtures', 'torch', 'export.py'), tmp, 'vision'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`exporting the torchvision models failed:\n${r.stderr}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, { opsets: number[] }> };
  const names = Object.keys(manifest.models);
  return {
    names,
    opsets: manifest.models[names[0]!]!.opsets,
    onnx: (name, opset) => join(dir, `${name}-op${opset}.onnx`),
    input: (name) => f32(join(dir, `${name}.input.bin`)),
    output: (name) => f32(join(dir, `${name}.output.bin`)),
  };
}
