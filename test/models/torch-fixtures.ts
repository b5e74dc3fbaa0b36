// PyTorch fixtures (test/fixtures/torch/export.py, run by Debian's python3-torch): ONNX exports
// with PyTorch's own outputs on fixed inputs. Generated on first use into a cache folder keyed
// by the script's content, written to a temporary folder and renamed, so test files only read.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const SCRIPTS = {
  main: join(root, 'test', 'fixtures', 'torch', 'export.py'),
  elementwise: join(root, 'test', 'fixtures', 'torch', 'elementwise.py'),
  data: join(root, 'test', 'fixtures', 'torch', 'data_ops.py'),
  arith: join(root, 'test', 'fixtures', 'torch', 'arith.py'),
};

export interface TorchModel {
  input: number[];
  output: number[];
  batch: number;
  opsets: number[];
  /** 'trained' models: PyTorch's count of correct Fashion-MNIST test images. */
  testCorrect?: number;
}

export interface TorchFixtures {
  dir: string;
  models: Record<string, TorchModel>;
  onnx(name: string, opset: number): string;
  input(name: string): Float32Array;
  output(name: string): Float32Array;
}

const readF32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** The fixtures of one set ('small', 'trained' or 'vision' of export.py; 'elementwise' of elementwise.py; 'data' of data_ops.py; 'arith' of arith.py), generated unless cached. */
export function torchFixtures(which: 'small' | 'trained' | 'vision' | 'elementwise' | 'data' | 'arith'): TorchFixtures {
  const SCRIPT = which === 'elementwise' || which === 'data' || which === 'arith' ? SCRIPTS[which] : SCRIPTS.main;
  const hash = createHash('sha256').update(readFileSync(SCRIPT)).digest('hex').slice(0, 12);
  const dir = join(root, 'node_modules', '.cache', 'helu-sim', `torch-${which}-${hash}`);
  if (!existsSync(join(dir, 'manifest.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const r = spawnSync('/usr/bin/python3', [SCRIPT, tmp, which], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`generating the PyTorch fixtures failed (python3-torch and python3-torchvision are required):\n${r.stderr}`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const models = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { models: Record<string, TorchModel> }).models;
  return {
    dir,
    models,
    onnx: (name, opset) => join(dir, `${name}-op${opset}.onnx`),
    input: (name) => readF32(join(dir, `${name}.input.bin`)),
    output: (name) => readF32(join(dir, `${name}.output.bin`)),
  };
}

/** Largest |a - b| / max(|b|, floor) over two arrays, and whether every element is within `rel` of that. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return a.length === b.length ? worst : Infinity;
}
