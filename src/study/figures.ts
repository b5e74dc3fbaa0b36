/**
 * The study's pictures: file name -> SVG, drawn with the study's chart specs
 * and the report room's dead-unit chart and renderer.
 */
import { parseActivation } from '../activations/float.js';
import { deadNeuronChart, renderSvg } from '../report/index.js';
import { recordsOf } from './aggregate.js';
import { alphaSweepChart, distributionChart, paretoChart, type MeanCi } from './charts.js';
import type { Interval } from './stats.js';
import type { StudyResult } from './types.js';

export const STUDY_FIGURES = {
  paretoArea: 'pareto-area.svg',
  paretoEnergy: 'pareto-energy.svg',
  distribution: 'accuracy-distribution.svg',
  alphaSweep: 'alpha-sweep.svg',
} as const;

/** Dead units per epoch, one file per data set. */
export const deadFigure = (dataset: string): string => `dead-units-${dataset}.svg`;

const NAMES: Record<string, string> = { relu: 'ReLU', helu: 'HeLU', gelu: 'GELU', silu: 'SiLU', leakyrelu: 'LeakyReLU' };

/** Display name: 'helu:0.01' -> 'HeLU α=0.01', 'leakyrelu' -> 'LeakyReLU'. */
export function studyLabel(activation: string): string {
  const s = parseActivation(activation);
  const name = NAMES[s.kind] ?? s.kind;
  return s.kind === 'helu' ? `${name} α=${s.alpha}` : name;
}

const ci = (i: Interval): MeanCi => ({ mean: i.mean, lo: i.lo ?? i.mean, hi: i.hi ?? i.mean });

/** HeLU's hysteresis width, or undefined for another activation. */
export function heluAlpha(activation: string): number | undefined {
  const s = parseActivation(activation);
  return s.kind === 'helu' ? s.alpha : undefined;
}

function deadSpec(r: StudyResult, dataset: string) {
  const d = r.datasets.find((x) => x.name === dataset)!;
  const shown = r.activations.filter((a) => a === r.baseline || heluAlpha(a) !== undefined);
  const points = shown.flatMap((a) => {
    const rs = recordsOf(r.networks, dataset, a);
    if (rs.length === 0) return [];
    const epochs = rs[0]!.training.history.length;
    return d.hiddenLayers.flatMap((l, i) =>
      Array.from({ length: epochs }, (_, e) => ({
        run: studyLabel(a),
        epoch: e + 1,
        layer: `${l.name} (${l.units})`,
        fraction: rs.reduce((s, x) => s + (x.training.history[e]?.deadFraction[i] ?? 0), 0) / rs.length,
      })),
    );
  });
  return deadNeuronChart(
    points,
    `${dataset}: dead units per epoch, mean over ${r.seeds.length} seed(s) (output 0 on every training sample)`,
  );
}

/** Every SVG of the report, in the order it shows them. */
export async function renderStudyFigures(r: StudyResult): Promise<Map<string, string>> {
  const s = r.summaries;
  const files = new Map<string, string>();
  const pareto = (pick: (x: (typeof s)[number]) => Interval) =>
    s.map((x) => ({ dataset: x.dataset, activation: studyLabel(x.activation), x: ci(pick(x)), accuracy: ci(x.intTestAccuracy) }));
  files.set(
    STUDY_FIGURES.paretoArea,
    await renderSvg(
      paretoChart(
        pareto((x) => x.activationAreaUm2),
        'activation units in the accelerator, area (µm², log)',
        'Accuracy vs activation-unit area (mean, 95 % interval over seeds)',
      ),
    ),
  );
  files.set(
    STUDY_FIGURES.paretoEnergy,
    await renderSvg(
      paretoChart(
        pareto((x) => x.activationEnergyPj),
        'activation units, energy per inference (pJ, log)',
        'Accuracy vs activation-unit energy (mean, 95 % interval over seeds)',
      ),
    ),
  );
  const seedPoints = r.networks.map((n) => ({
    dataset: n.dataset,
    activation: studyLabel(n.activation),
    seed: n.seed,
    accuracy: n.verification.testIntAccuracy ?? 0,
  }));
  files.set(
    STUDY_FIGURES.distribution,
    await renderSvg(distributionChart(seedPoints, r.activations.map(studyLabel), 'Test accuracy per seed (points) and mean (tick)')),
  );
  const sweep = s.flatMap((x) => {
    const alpha = heluAlpha(x.activation);
    return alpha !== undefined && x.vsBaseline ? [{ dataset: x.dataset, alpha, difference: ci(x.vsBaseline.interval) }] : [];
  });
  files.set(STUDY_FIGURES.alphaSweep, await renderSvg(alphaSweepChart(sweep, 'HeLU − ReLU by α (paired over seeds, 95 % interval)')));
  for (const d of r.datasets) files.set(deadFigure(d.name), await renderSvg(deadSpec(r, d.name)));
  return files;
}
