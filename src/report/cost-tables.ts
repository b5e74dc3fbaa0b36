/**
 * Readable tables of an accelerator estimate (the cost command without --json,
 * and the report). Same numbers as the JSON, formatted for people.
 */
import type { AcceleratorDelta, AcceleratorReport } from '../hardware/index.js';
import { formatInt, formatPercent, formatSig, markdownTable } from './markdown.js';

/** Per-layer table: MACs, activations, folds, utilization, cycles, area of the units used, energy per inference. */
export function acceleratorLayerTable(r: AcceleratorReport): string {
  return markdownTable(
    ['layer', 'MACs', 'activations', 'folds', 'utilization', 'cycles', 'area (µm²)', 'energy (pJ)'],
    r.layers.map((l) => [
      l.name,
      formatInt(l.macs),
      formatInt(l.activations),
      formatInt(l.folds),
      formatPercent(l.utilization),
      formatInt(l.cycles),
      formatSig(l.areaUm2, 4),
      formatSig(l.energyPj, 4),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Totals with the area and energy split into PE array, activation units, requantization and SRAM. */
export function acceleratorTotalTable(r: AcceleratorReport): string {
  const t = r.total;
  const a = t.breakdown.areaUm2;
  const e = t.breakdown.energyPj;
  const share = (x: number, total: number) => (total > 0 ? formatPercent(x / total) : '');
  const rows: string[][] = [
    ['PE array', formatSig(a.peArray, 4), share(a.peArray, t.areaUm2), formatSig(e.peArray, 4), share(e.peArray, t.energyPj)],
    [
      'activation units',
      formatSig(a.activation, 4),
      share(a.activation, t.areaUm2),
      formatSig(e.activation, 4),
      share(e.activation, t.energyPj),
    ],
    ['requantization', formatSig(a.requant, 4), share(a.requant, t.areaUm2), formatSig(e.requant, 4), share(e.requant, t.energyPj)],
    ['SRAM', formatSig(a.sram, 4), share(a.sram, t.areaUm2), formatSig(e.sram, 4), share(e.sram, t.energyPj)],
    ['total', formatSig(t.areaUm2, 4), '100.0%', formatSig(t.energyPj, 4), '100.0%'],
  ];
  return markdownTable(['part', 'area (µm²)', 'area share', 'energy / inference (pJ)', 'energy share'], rows, [
    'left',
    'right',
    'right',
    'right',
    'right',
  ]);
}

/** One line describing the array, clock and headline figures. */
export function acceleratorSummary(r: AcceleratorReport): string {
  const t = r.total;
  const timing = t.breakdown.timingMet ? '' : ` (slower units need ${formatSig(t.breakdown.criticalPathPs, 4)} ps: timing not met)`;
  return (
    `${r.array.rows}x${r.array.cols} ${r.array.dataflow.toUpperCase()} array at ${formatSig(r.array.clockMhz, 4)} MHz${timing}, ` +
    `${r.array.tech}: ${formatInt(t.cycles)} cycles, ${formatSig(t.latencyUs, 4)} µs per batch of ${r.array.batch}, ` +
    `${formatSig(t.inferencesPerSecond, 4)} inferences/s, ${formatSig(t.areaMm2, 4)} mm²` +
    `${t.breakdown.sramAreaNote === undefined ? '' : ' (without SRAM)'}, ${formatSig(t.energyPj / 1e3, 4)} nJ per inference`
  );
}

/** What-if rows: one line per alternative against the base, with differences and ratios. */
export function whatIfTable(
  rows: readonly { readonly activation: string; readonly report: AcceleratorReport; readonly delta: AcceleratorDelta }[],
): string {
  return markdownTable(
    ['activation unit', 'area (mm²)', 'Δ area (µm²)', 'energy (nJ)', 'Δ energy (pJ)', 'latency (µs)', 'latency ratio'],
    rows.map((w) => [
      w.activation,
      formatSig(w.report.total.areaMm2, 4),
      formatSig(w.delta.areaUm2, 4),
      formatSig(w.report.total.energyPj / 1e3, 4),
      formatSig(w.delta.energyPj, 4),
      formatSig(w.report.total.latencyUs, 4),
      formatSig(w.delta.latencyRatio, 4),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
}
