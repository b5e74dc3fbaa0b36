import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Newest modification time of any .ts file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * CLI tests spawn the compiled program (dist/). It is built once here, before
 * any test file runs, and only when a source is newer than the build: building
 * inside test files would rewrite dist/ while other files' CLI runs read it.
 */
export default function setup(): void {
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  const kernels = join(root, 'dist', 'src', 'sim', 'engine', 'wasm', 'kernels.wasm');
  if (existsSync(main) && existsSync(kernels) && statSync(main).mtimeMs >= Math.max(newest(join(root, 'src')), newest(join(root, 'bench')))) return;
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: the CLI tests and the WebAssembly kernels need a clean build');
}
