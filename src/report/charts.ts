/**
 * Chart builders: plain data in, a Vega-Lite spec out (render with renderSvg).
 * Data is embedded in the spec as values, so a spec is self-contained and can
 * be written next to its SVG.
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const BACKGROUND = 'white';

export interface TrainingPoint {
  /** Run label, e.g. 'ReLU' or 'HeLU'. */
  readonly run: string;
  readonly epoch: number;
  readonly loss?: number;
  readonly accuracy?: number;
  readonly testAccuracy?: number;
}

/** Loss and accuracy per epoch, one line per run, one panel per metric (independent y scales). */
export function trainingCurvesChart(points: readonly TrainingPoint[], title = 'Training curves'): TopLevelSpec {
  const rows: { run: string; epoch: number; metric: string; value: number }[] = [];
  for (const p of points) {
    if (p.loss !== undefined) rows.push({ run: p.run, epoch: p.epoch, metric: 'loss', value: p.loss });
    if (p.accuracy !== undefined) rows.push({ run: p.run, epoch: p.epoch, metric: 'train accuracy', value: p.accuracy });
    if (p.testAccuracy !== undefined) rows.push({ run: p.run, epoch: p.epoch, metric: 'test accuracy', value: p.testAccuracy });
  }
  return {
    ...epochPanels(
      title,
      rows,
      { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'train accuracy', 'test accuracy'] },
      { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
    ),
    resolve: { scale: { y: 'independent' } },
  };
}

export interface DeadNeuronPoint {
  readonly run: string;
  readonly epoch: number;
  readonly layer: string;
  /** Fraction of the layer's units that are never active on the evaluation set, in [0, 1]. */
  readonly fraction: number;
}

/** Dead-neuron fraction per epoch, one panel per layer, one line per run. */
export function deadNeuronChart(points: readonly DeadNeuronPoint[], title = 'Dead neurons per layer'): TopLevelSpec {
  return epochPanels(
    title,
    points.map((p) => ({ ...p })),
    { field: 'layer', type: 'nominal', title: null },
    { field: 'fraction', type: 'quantitative', title: 'dead fraction', axis: { format: '%' }, scale: { domain: [0, 1] } },
  );
}

/** Small multiples over training: one panel per value of `column`, epoch on x, `y` on y, one line per run. */
function epochPanels(title: string, values: object[], column: object, y: object): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title,
    background: BACKGROUND,
    data: { values },
    facet: { column },
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y,
        color: { field: 'run', type: 'nominal', title: 'activation' },
      },
    },
  } as TopLevelSpec;
}

export interface XY {
  readonly x: number;
  readonly y: number;
}

/**
 * Transfer curve of an activation: the float function as a line, the
 * fixed-point unit as a staircase (each point holds its value until the next
 * input code: step-after interpolation). Give one fixed point per input code.
 */
export function transferCurveChart(p: {
  readonly title: string;
  readonly float: readonly XY[];
  readonly fixed: readonly XY[];
  readonly xTitle?: string;
  readonly yTitle?: string;
}): TopLevelSpec {
  const rows = [
    ...p.float.map((q) => ({ x: q.x, y: q.y, series: 'float' })),
    ...p.fixed.map((q) => ({ x: q.x, y: q.y, series: 'fixed point' })),
  ];
  const enc = {
    x: { field: 'x', type: 'quantitative' as const, title: p.xTitle ?? 'x' },
    y: { field: 'y', type: 'quantitative' as const, title: p.yTitle ?? 'y' },
    color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: ['float', 'fixed point'] } },
  };
  return {
    $schema: SCHEMA,
    title: p.title,
    background: BACKGROUND,
    width: 320,
    height: 220,
    data: { values: rows },
    layer: [
      { transform: [{ filter: "datum.series === 'float'" }], mark: { type: 'line', strokeWidth: 2 }, encoding: enc },
      { transform: [{ filter: "datum.series === 'fixed point'" }], mark: { type: 'line', interpolate: 'step-after' }, encoding: enc },
    ],
  };
}
