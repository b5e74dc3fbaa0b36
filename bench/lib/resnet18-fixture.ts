// torchvision ResNet-18 (random weights) exported at opset 17 by test/fixtures/torch/export.py
// (python3-torch), cached in node_modules/.cache; returns the ONNX file's path.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function resnet18Onnx(root: string): string {
  const dir = join(root, 'node_modules', '.cache', 'helu-sim', 'bench-resnet18');
  const model = join(dir, 'resnet18-op17.onnx');
  if (existsSync(model)) return model;
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  const r = spawnSync('/usr/bin/python3', [join(root, 'test', 'fixtures', 'torch', 'export.py'), tmp, 'resnet18'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exporting ResNet-18 failed:\n${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return model;
}
