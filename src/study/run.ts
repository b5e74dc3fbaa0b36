/**
 * runStudy: plan the networks, read the finished ones from the cache, run the
 * missing ones (each cached as soon as it is done), summarize, render, and
 * write report.md, report.json and the SVGs into the output directory in one
 * atomic step (writeTreeAtomic).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { checkWritableDir, writeTreeAtomic } from '../io/atomic.js';
import { packageRoot } from '../models/datasets/root.js';
import { summarizeStudy, verificationTotals } from './aggregate.js';
import { readCached, writeCached } from './cache.js';
import { renderStudyFigures } from './figures.js';
import { hiddenLayers, studyData } from './network.js';
import { planStudy, STUDY_BASELINE, type StudyPlan } from './plan.js';
import { defaultJobs, runJobs } from './pool.js';
import { renderStudyMarkdown } from './report-md.js';
import { planText, resultText } from './summary.js';
import type { NetworkRecord, StudyOptions, StudyResult } from './types.js';

export const STUDY_MD = 'report.md';
export const STUDY_JSON = 'report.json';
export const MAX_JOBS = 64;

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command line that reproduces this plan (written into the report). */
export function studyCommand(p: StudyPlan, opts: StudyOptions): string {
  const parts = ['helu-sim study', `-o ${opts.outDir}`];
  if (opts.quick) parts.push('--quick');
  if (opts.seeds !== undefined) parts.push(`--seeds ${opts.seeds}`);
  if (opts.epochs !== undefined) parts.push(`--epochs ${opts.epochs}`);
  if (opts.activations) parts.push(`--activations ${p.activations.join(',')}`);
  if (opts.datasets) parts.push(`--datasets ${p.datasets.map((d) => d.name).join(',')}`);
  return parts.join(' ');
}

async function networks(
  plan: StudyPlan,
  opts: StudyOptions,
  log: (t: string) => void,
): Promise<{ records: NetworkRecord[]; hits: number }> {
  const records = new Map<string, NetworkRecord>();
  for (const job of plan.jobs) {
    const r = readCached(opts.outDir, job);
    if (r) records.set(job.key, r);
  }
  const hits = records.size;
  log(planText(plan, hits));
  const missing = plan.jobs.filter((j) => !records.has(j.key));
  const total = plan.jobs.length;
  opts.onProgress?.('networks', records.size, total, 'cached');
  await runJobs(
    missing,
    opts.jobs ?? defaultJobs(),
    (r) => {
      writeCached(opts.outDir, r);
      records.set(r.key, r);
      opts.onProgress?.(
        'networks',
        records.size,
        total,
        `${r.dataset} ${r.activation} seed ${r.seed}: ${(100 * (r.verification.testIntAccuracy ?? 0)).toFixed(1)} %`,
      );
    },
    (job, status) =>
      opts.onProgress?.('networks', records.size, total, `${job.dataset.name} ${job.activation} seed ${job.seed}: ${status}`),
  );
  return { records: plan.jobs.map((j) => records.get(j.key)!), hits };
}

/**
 * Runs the study into opts.outDir and returns every number (report.json).
 * UserError for bad options or an output directory that cannot be written,
 * before any network is trained.
 */
export async function runStudy(opts: StudyOptions): Promise<StudyResult> {
  const t0 = Date.now(),
    cpu0 = process.cpuUsage();
  const plan = planStudy(opts);
  if (opts.jobs !== undefined && (!Number.isSafeInteger(opts.jobs) || opts.jobs < 1 || opts.jobs > MAX_JOBS))
    throw new UserError(`jobs must be an integer 1 .. ${MAX_JOBS}, got ${opts.jobs}`);
  checkWritableDir(opts.outDir);
  const log = opts.log ?? (() => {});
  const datasets = plan.datasets.map((d) => ({ ...d, hiddenLayers: hiddenLayers(d.arch, studyData(d)) }));
  const { records, hits } = await networks(plan, opts, log);
  const result: StudyResult = {
    tool: { name: 'helu-sim', version: version() },
    baseline: STUDY_BASELINE,
    seeds: plan.seeds,
    activations: plan.activations,
    datasets,
    summaries: summarizeStudy(
      records,
      plan.datasets.map((d) => d.name),
      plan.activations,
      STUDY_BASELINE,
    ),
    verification: verificationTotals(records),
    networks: records,
    cache: { hits, trained: records.length - hits },
    files: [],
    seconds: 0,
    cpuSeconds: 0,
    networkSeconds: records.reduce((a, r) => a + r.seconds, 0),
  };
  opts.onProgress?.('render', 0, 1, 'figures');
  const figures = await renderStudyFigures(result);
  result.files = [STUDY_MD, STUDY_JSON, ...figures.keys()];
  result.seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  result.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const files = new Map<string, string>([
    [STUDY_MD, renderStudyMarkdown(result, studyCommand(plan, opts))],
    [STUDY_JSON, JSON.stringify(result, null, 2) + '\n'],
    ...figures,
  ]);
  opts.onProgress?.('write', 0, 1, opts.outDir);
  writeTreeAtomic(opts.outDir, files);
  log(resultText(result));
  log(
    `report: ${join(opts.outDir, STUDY_MD)}, ${STUDY_JSON}, ${figures.size} SVG pictures; ${result.seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} s CPU)\n`,
  );
  return result;
}

/** One line naming a verification failure in the study, or undefined when every network verified bit-exact. */
export function studyFailure(r: StudyResult): string | undefined {
  const bad = r.networks.filter((n) => n.verification.mismatches > 0 || n.verification.eventMismatches > 0);
  if (bad.length === 0) return undefined;
  const first = bad[0]!;
  return `verification: ${bad.length} network(s) differ between the integer engine and the float reference (first: ${first.dataset} ${first.activation} seed ${first.seed}, ${first.verification.mismatches} values)`;
}
