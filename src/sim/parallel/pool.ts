import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Task, TaskResult } from './worker.js';

/**
 * The worker script: worker.js next to this module in the built package.
 * When this module runs from source (the test runner), the built copy in
 * dist/ is used: worker threads run plain JavaScript.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // dist/pkg (the bundled package) runs the worker from dist/src
  if (here.endsWith('.js')) return [join(dirname(here), 'worker.js'), join(dirname(here), '..', 'src', 'sim', 'parallel', 'worker.js')].find((p) => existsSync(p))!;
  const built = here.replace(/([\\/])src([\\/]sim[\\/]parallel[\\/])pool\.ts$/, '$1dist$1src$2worker.js');
  if (!existsSync(built)) throw new Error(`internal: worker threads need the built package (${built}); run npm run build`);
  return built;
}

/**
 * Runs tasks on a pool of `threads` worker threads (piscina) and returns
 * their results in task order. Tasks carry everything they need (the model,
 * their samples): a worker holds nothing between tasks.
 */
export async function runOnPool(tasks: readonly Task[], threads: number): Promise<TaskResult[]> {
  const pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  try {
    return await Promise.all(tasks.map((t) => pool.run(t) as Promise<TaskResult>));
  } finally {
    await pool.destroy();
  }
}
