/**
 * The study's Vega-Lite charts (plain data in, a spec out; render with the
 * report room's renderSvg): means with 95 % intervals as error bars, one
 * panel per data set.
 */
import type { VegaLiteSpec } from '../report/index.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A mean with its 95 % interval (lo = hi = mean when there is one seed). */
export interface MeanCi {
  mean: number;
  lo: number;
  hi: number;
}

export interface ParetoPoint {
  dataset: string;
  activation: string;
  x: MeanCi;
  accuracy: MeanCi;
}

const flat = (p: { dataset: string; activation: string }, parts: Record<string, MeanCi>) => {
  const row: Record<string, string | number> = { dataset: p.dataset, activation: p.activation };
  for (const [k, v] of Object.entries(parts)) Object.assign(row, { [k]: v.mean, [`${k}Lo`]: v.lo, [`${k}Hi`]: v.hi });
  return row;
};

/** Accuracy against a hardware cost (log x): points with error bars in both directions, labelled. */
export function paretoChart(points: readonly ParetoPoint[], xTitle: string, title: string): VegaLiteSpec {
  const values = points.map((p) => flat(p, { x: p.x, acc: p.accuracy }));
  const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { type: 'log' } };
  const y = {
    field: 'acc',
    type: 'quantitative',
    title: 'test accuracy, 8-bit integer network',
    axis: { format: '.1%' },
    scale: { zero: false },
  };
  return {
    $schema: SCHEMA,
    title,
    background: 'white',
    data: { values },
    facet: { column: { field: 'dataset', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent', x: 'independent' } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          mark: { type: 'rule' },
          encoding: {
            x,
            y: { field: 'accLo', type: 'quantitative' },
            y2: { field: 'accHi' },
            color: { field: 'activation', type: 'nominal' },
          },
        },
        {
          mark: { type: 'rule' },
          encoding: { y, x: { field: 'xLo', type: 'quantitative' }, x2: { field: 'xHi' }, color: { field: 'activation', type: 'nominal' } },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: { x, y, color: { field: 'activation', type: 'nominal', title: 'activation' } },
        },
        { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9 }, encoding: { x, y, text: { field: 'activation' } } },
      ],
    },
  } as VegaLiteSpec;
}

export interface SeedPoint {
  dataset: string;
  activation: string;
  seed: number;
  accuracy: number;
}

/** Every seed's accuracy as a point, the mean as a tick, per activation (x) and data set (panel). */
export function distributionChart(points: readonly SeedPoint[], order: readonly string[], title: string): VegaLiteSpec {
  const x = { field: 'activation', type: 'nominal', title: null, sort: [...order] };
  const y = {
    field: 'accuracy',
    type: 'quantitative',
    title: 'test accuracy, 8-bit integer network',
    axis: { format: '.1%' },
    scale: { zero: false },
  };
  return {
    $schema: SCHEMA,
    title,
    background: 'white',
    data: { values: points.map((p) => ({ ...p })) },
    facet: { column: { field: 'dataset', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 220,
      layer: [
        {
          mark: { type: 'point', opacity: 0.7 },
          encoding: { x, y, color: { field: 'activation', type: 'nominal', legend: null }, tooltip: [{ field: 'seed' }] },
        },
        { mark: { type: 'tick', thickness: 2, size: 18 }, encoding: { x, y: { ...y, aggregate: 'mean' }, color: { value: 'black' } } },
      ],
    },
  } as VegaLiteSpec;
}

export interface DifferencePoint {
  dataset: string;
  /** Hysteresis width of HeLU. */
  alpha: number;
  difference: MeanCi;
}

/** The α sweep: HeLU − ReLU test accuracy (paired over seeds) against α, with the zero line. */
export function alphaSweepChart(points: readonly DifferencePoint[], title: string): VegaLiteSpec {
  const values = points
    .map((p) => flat({ dataset: p.dataset, activation: `${p.alpha}` }, { d: p.difference }))
    .map((r, i) => ({ ...r, alpha: points[i]!.alpha }));
  const x = { field: 'alpha', type: 'quantitative', title: 'HeLU α (gradient passes for x > −α)', scale: { type: 'log' } };
  return {
    $schema: SCHEMA,
    title,
    background: 'white',
    data: { values },
    facet: { column: { field: 'dataset', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 240,
      height: 200,
      layer: [
        { mark: { type: 'rule', color: 'gray', strokeDash: [4, 4] }, encoding: { y: { datum: 0, type: 'quantitative' } } },
        { mark: { type: 'rule' }, encoding: { x, y: { field: 'dLo', type: 'quantitative' }, y2: { field: 'dHi' } } },
        {
          mark: { type: 'line', point: { filled: true, size: 60 } },
          encoding: { x, y: { field: 'd', type: 'quantitative', title: 'HeLU − ReLU, test accuracy', axis: { format: '+.1%' } } },
        },
      ],
    },
  } as VegaLiteSpec;
}
