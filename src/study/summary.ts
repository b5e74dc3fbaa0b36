/**
 * The study's printed summary: what runs, then per data set one line per
 * activation (integer test accuracy mean ± sd, paired difference to ReLU,
 * Wilcoxon p, verdict, activation-unit area), the verification totals and
 * the paper's sign.
 */
import { formatInt, formatSig } from '../report/index.js';
import { heluAlpha, studyLabel } from './figures.js';
import type { StudyPlan } from './plan.js';
import type { StudyResult } from './types.js';
import { differenceText, PAPER_ALPHA, signText } from './verdict.js';

export function planText(p: StudyPlan, cached: number): string {
  const ds = p.datasets.map(
    (d) =>
      `${d.name} (${d.arch}, ${d.epochs} epochs${d.trainSamples !== undefined ? `, ${formatInt(d.trainSamples)}/${formatInt(d.testSamples ?? 0)} samples` : ''})`,
  );
  return (
    `helu-sim study: ${p.jobs.length} networks = ${p.datasets.length} data set(s) x ${p.activations.length} activations x ${p.seeds.length} seed(s); ` +
    `${cached} cached, ${p.jobs.length - cached} to train\n  ${ds.join('\n  ')}\n\n`
  );
}

export function resultText(r: StudyResult): string {
  const lines: string[] = [];
  for (const d of r.datasets) {
    lines.push(`${d.name}: integer test accuracy over seeds ${r.seeds.join(',')}\n`);
    const rows = r.summaries
      .filter((s) => s.dataset === d.name)
      .map((s) => [
        studyLabel(s.activation),
        `${(100 * s.intTestAccuracy.mean).toFixed(2)} ${s.intTestAccuracy.n < 2 ? '%, one seed' : `± ${(100 * s.intTestAccuracy.sd).toFixed(2)} %`}`,
        s.vsBaseline ? differenceText(s.vsBaseline) : '(baseline)',
        s.vsBaseline ? `p ${s.vsBaseline.wilcoxon.p.toFixed(3)}` : '',
        s.vsBaseline?.verdict ?? '',
        `${formatSig(s.activationAreaUm2.mean, 4)} µm²`,
      ]);
    const widths = rows[0]?.map((_, j) => Math.max(...rows.map((row) => row[j]!.length))) ?? [];
    for (const row of rows) lines.push(`  ${row.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')}\n`);
    const helu = r.summaries.find((s) => s.dataset === d.name && heluAlpha(s.activation) === PAPER_ALPHA);
    lines.push(`  paper's sign (HeLU α=${PAPER_ALPHA} above ReLU): ${signText(helu?.vsBaseline)}\n\n`);
  }
  const v = r.verification;
  lines.push(
    `verification: ${formatInt(v.networks)} networks, ${formatInt(v.valuesCompared)} values compared, ${formatInt(v.mismatches)} mismatches, ` +
      `${formatInt(v.eventMismatches)} event mismatches\n`,
  );
  lines.push(`cache: ${r.cache.hits} networks read, ${r.cache.trained} trained\n`);
  return lines.join('');
}
