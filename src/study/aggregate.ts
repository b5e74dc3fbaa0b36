/**
 * From per-network records to per-activation summaries: intervals over
 * seeds, last-epoch dead units, and the paired comparison with the baseline
 * on the seeds both were trained with.
 */
import { mean, pairedComparison, tInterval } from './stats.js';
import type { ActivationSummary, NetworkRecord, StudyResult } from './types.js';

/** Records of one data set and activation, by ascending seed. */
export function recordsOf(records: readonly NetworkRecord[], dataset: string, activation: string): NetworkRecord[] {
  return records.filter((r) => r.dataset === dataset && r.activation === activation).sort((a, b) => a.seed - b.seed);
}

function lastDead(r: NetworkRecord): number[] {
  return r.training.history[r.training.history.length - 1]?.deadFraction ?? [];
}

/** The integer engine's test accuracy (the deployed network's), falling back to 0 for a set without labels (never here). */
const intTest = (r: NetworkRecord) => r.verification.testIntAccuracy ?? 0;

function summarize(rs: NetworkRecord[], base: NetworkRecord[] | undefined): ActivationSummary {
  const first = rs[0]!;
  const layers = lastDead(first).length;
  const summary: ActivationSummary = {
    dataset: first.dataset,
    activation: first.activation,
    seeds: rs.map((r) => r.seed),
    testAccuracy: tInterval(rs.map((r) => r.training.testAccuracy)),
    intTestAccuracy: tInterval(rs.map(intTest)),
    deadFraction: Array.from({ length: layers }, (_, i) => mean(rs.map((r) => lastDead(r)[i] ?? 0))),
    activationAreaUm2: tInterval(rs.map((r) => r.cost.activationAreaUm2)),
    activationEnergyPj: tInterval(rs.map((r) => r.cost.activationEnergyPj)),
    acceleratorAreaUm2: tInterval(rs.map((r) => r.cost.areaUm2)),
    acceleratorEnergyPj: tInterval(rs.map((r) => r.cost.energyPj)),
  };
  if (base === undefined) return summary;
  const paired = rs.filter((r) => base.some((b) => b.seed === r.seed));
  const b = paired.map((r) => base.find((x) => x.seed === r.seed)!);
  return { ...summary, vsBaseline: pairedComparison(paired.map(intTest), b.map(intTest)) };
}

/**
 * One summary per data set and activation present in the records. The
 * accuracy compared is the integer engine's on the test split: the number of
 * the network that would be deployed (the float network's is reported too).
 */
export function summarizeStudy(
  records: readonly NetworkRecord[],
  datasets: readonly string[],
  activations: readonly string[],
  baseline: string,
): ActivationSummary[] {
  return datasets.flatMap((d) => {
    const base = recordsOf(records, d, baseline);
    return activations.flatMap((a) => {
      const rs = recordsOf(records, d, a);
      if (rs.length === 0) return [];
      return [summarize(rs, a === baseline || base.length === 0 ? undefined : base)];
    });
  });
}

export function verificationTotals(records: readonly NetworkRecord[]): StudyResult['verification'] {
  return {
    networks: records.length,
    valuesCompared: records.reduce((a, r) => a + r.verification.valuesCompared, 0),
    mismatches: records.reduce((a, r) => a + r.verification.mismatches, 0),
    eventMismatches: records.reduce((a, r) => a + r.verification.eventMismatches, 0),
  };
}
