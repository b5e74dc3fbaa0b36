import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The helu-sim package directory (holding data/), found by walking up from
 * this module: the same code runs from src/ (tests) and dist/src/ (CLI).
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'helu-sim') return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('internal: helu-sim package root not found');
    dir = up;
  }
}
