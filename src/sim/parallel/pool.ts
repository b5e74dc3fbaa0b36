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
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // dist/pkg (the bundled package) runs the worker from dist/src
  if (here.endsWith('.js'))
    return [join(dirname(here), 'worker.js'), join(dirname(here), '..', 'src', 'sim', 'parallel', 'worker.js')].find((p) => existsSync(p))!;
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

/** A task and the buffers to move (not copy) to the worker that takes it. */
export interface QueuedTask {
  task: Task;
  transfer: ArrayBuffer[];
}

/**
 * Runs tasks from one queue on this thread (`local`, one task at a time,
 * yielding to the event loop between tasks) and the pool's workers, each
 * taking the next task when it finishes one, so a slow or late-starting
 * thread takes fewer. Results come back in task order.
 */
export async function runQueued(tasks: readonly QueuedTask[], pool: Piscina, local: (t: Task) => TaskResult): Promise<TaskResult[]> {
  const results = new Array<TaskResult>(tasks.length);
  let next = 0;
  const remote = async (): Promise<void> => {
    for (let i = next++; i < tasks.length; i = next++)
      results[i] = (await pool.run(tasks[i]!.task, { transferList: tasks[i]!.transfer })) as TaskResult;
  };
  const here = async (): Promise<void> => {
    for (let i = next++; i < tasks.length; i = next++) {
      results[i] = local(tasks[i]!.task);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([...Array.from({ length: pool.options.maxThreads }, remote), here()]);
  return results;
}
