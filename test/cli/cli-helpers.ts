// Spawning the built CLI (npm run build first), as the other command tests do.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxBuilder, rng } from '../models/onnx-helpers.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const main = join(root, 'dist', 'src', 'cli', 'main.js');

export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A random-weight MLP on raw digits (normalization inside), built with onnx-proto. */
export function digitsMlp(): Uint8Array {
  const b = new OnnxBuilder(rng(21));
  const x = b.node('Mul', ['x', b.init('s', [], [1 / 16])]);
  const h = b.node('Relu', [b.node('Gemm', [x, b.init('w1', [32, 64]), b.init('b1', [32])], { transB: 1 })]);
  b.node('Gemm', [h, b.init('w2', [10, 32]), b.init('b2', [10])], { transB: 1 }, 'y');
  return b.build('x', [64], 'y');
}
