/** Worker-thread entry of the study's pool (pool.ts): one network per task. */
import { studyNetwork } from './network.js';
import type { NetworkRecord, StudyJob } from './types.js';

export default function run(job: StudyJob): Promise<NetworkRecord> {
  return studyNetwork(job);
}
