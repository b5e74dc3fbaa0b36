/**
 * Runs the study's networks: with jobs > 1 on a Piscina pool of worker
 * threads (each trains on its own single-threaded TF.js WASM backend, so two
 * threads use two cores), with jobs = 1 one after another in this thread.
 * Each result is handed to `done` as it arrives, in completion order.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { studyNetwork } from './network.js';
import type { NetworkRecord, StudyJob } from './types.js';

/** Default pool size: two threads (the study's budget is two cores), fewer on a one-core machine. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** Progress of a running network: its job and a short status. */
export type JobProgress = (job: StudyJob, status: string) => void;

export async function runJobs(
  jobs: readonly StudyJob[],
  threads: number,
  done: (r: NetworkRecord) => void,
  progress?: JobProgress,
): Promise<void> {
  if (jobs.length === 0) return;
  if (threads <= 1 || jobs.length === 1) {
    for (const job of jobs) done(await studyNetwork(job, (s) => progress?.(job, s)));
    return;
  }
  const pool = new Piscina({ filename: new URL('./worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads });
  const one = async (job: StudyJob): Promise<NetworkRecord> => {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (s: string) => progress?.(job, s));
    try {
      return (await pool.run({ job, port: port2 }, { transferList: [port2] })) as NetworkRecord;
    } finally {
      port1.close();
    }
  };
  try {
    await Promise.all(jobs.map(async (job) => done(await one(job))));
  } finally {
    await pool.destroy();
  }
}
