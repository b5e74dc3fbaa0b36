/** Worker-thread entry of the study's pool (pool.ts): one network per task, progress posted on the task's port. */
import type { MessagePort } from 'node:worker_threads';
import { studyNetwork } from './network.js';
import type { NetworkRecord, StudyJob } from './types.js';

export default async function run(task: { job: StudyJob; port: MessagePort }): Promise<NetworkRecord> {
  try {
    return await studyNetwork(task.job, (status) => task.port.postMessage(status));
  } finally {
    task.port.close();
  }
}
