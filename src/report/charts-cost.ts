/**
 * Cost charts: per-activation unit costs and the accelerator what-if, drawn
 * as horizontal bars, one panel per metric (each with its own x scale), rows
 * in the order given so the panels line up.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatInt, formatSig } from './markdown.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

interface Metric<T> {
  readonly title: string;
  readonly value: (row: T) => number;
}

/** Integers in full, other values to 3 significant digits without trailing zeros. */
function barLabel(v: number): string {
  return Number.isInteger(v)
    ? formatInt(v)
    : formatSig(v, 3)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '');
}

/**
 * Bars of several metrics per label, each panel labelled with its values
 * (x domain widened by a third so the labels fit); `highlight` draws that
 * label's bars in a second colour.
 */
function metricBars<T extends { readonly activation: string }>(
  rows: readonly T[],
  metrics: readonly Metric<T>[],
  title: string,
  highlight?: string,
): TopLevelSpec {
  const order = rows.map((r) => r.activation);
  const panels = metrics.map((m) => {
    const values = rows.map((r) => {
      const value = m.value(r);
      return { activation: r.activation, value, label: barLabel(value), highlighted: r.activation === highlight };
    });
    const max = Math.max(0, ...values.map((v) => v.value));
    const y = { field: 'activation', type: 'nominal' as const, title: null, sort: order };
    const x = { field: 'value', type: 'quantitative' as const, title: m.title, scale: { domain: [0, max > 0 ? max * 1.35 : 1] } };
    return {
      width: 200,
      height: { step: 18 },
      data: { values },
      layer: [
        {
          mark: { type: 'bar' as const },
          encoding: {
            y,
            x,
            color: {
              field: 'highlighted',
              type: 'nominal' as const,
              legend: null,
              scale: { domain: [false, true], range: ['#9ab', '#d62'] },
            },
          },
        },
        {
          mark: { type: 'text' as const, align: 'left' as const, dx: 3, fontSize: 10 },
          encoding: { y, x, text: { field: 'label', type: 'nominal' as const } },
        },
      ],
    };
  });
  return { $schema: SCHEMA, title, background: 'white', hconcat: panels };
}

export interface ActivationCostRow {
  /** Activation name, e.g. 'helu'. */
  readonly activation: string;
  readonly areaUm2: number;
  readonly gates: number;
  /** Energy per evaluation, pJ. */
  readonly energyPj: number;
}

/** Area, gate count and energy per evaluation of each activation unit. */
export function activationCostChart(rows: readonly ActivationCostRow[], opts: { title?: string; highlight?: string } = {}): TopLevelSpec {
  return metricBars(
    rows,
    [
      { title: 'area (µm²)', value: (r) => r.areaUm2 },
      { title: 'gates', value: (r) => r.gates },
      { title: 'energy per evaluation (pJ)', value: (r) => r.energyPj },
    ],
    opts.title ?? 'Activation unit cost',
    opts.highlight,
  );
}

export interface AcceleratorWhatIfRow {
  /** The activation unit the network was costed with. */
  readonly activation: string;
  /** Accelerator area, um^2 (drawn in mm^2). */
  readonly areaUm2: number;
  /** Energy per inference, pJ (drawn in nJ). */
  readonly energyPj: number;
}

/** Area and energy per inference of the same network on the same accelerator, one row per activation unit. */
export function acceleratorWhatIfChart(
  rows: readonly AcceleratorWhatIfRow[],
  opts: { title?: string; highlight?: string } = {},
): TopLevelSpec {
  return metricBars(
    rows,
    [
      { title: 'accelerator area (mm²)', value: (r) => r.areaUm2 / 1e6 },
      { title: 'energy per inference (nJ)', value: (r) => r.energyPj / 1e3 },
    ],
    opts.title ?? 'Accelerator cost by activation unit',
    opts.highlight,
  );
}
