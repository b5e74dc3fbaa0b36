/**
 * What-if comparisons: the same network re-costed with another activation unit.
 */
import type { AcceleratorReport, LayerCostInput, SharedUnit } from './accelerator-types.js';

/**
 * The layers with `unit` in place of every activation unit that `match`
 * accepts (default: every layer that has one). Layers without an activation keep none.
 */
export function withActivationUnit(
  layers: readonly LayerCostInput[],
  unit: SharedUnit,
  match: (l: LayerCostInput) => boolean = () => true,
): LayerCostInput[] {
  return layers.map((l) => (l.activation && match(l) ? { ...l, activation: unit } : l));
}

export interface AcceleratorDelta {
  /** alt - base. */
  readonly areaUm2: number;
  readonly energyPj: number;
  readonly cycles: number;
  readonly latencyUs: number;
  readonly inferencesPerSecond: number;
  /** alt / base (NaN when base is 0). */
  readonly areaRatio: number;
  readonly energyRatio: number;
  readonly latencyRatio: number;
}

function ratio(a: number, b: number): number {
  return b === 0 ? NaN : a / b;
}

/** Differences and ratios of the totals of `alt` against `base`. */
export function acceleratorDelta(base: AcceleratorReport, alt: AcceleratorReport): AcceleratorDelta {
  const b = base.total;
  const a = alt.total;
  return {
    areaUm2: a.areaUm2 - b.areaUm2,
    energyPj: a.energyPj - b.energyPj,
    cycles: a.cycles - b.cycles,
    latencyUs: a.latencyUs - b.latencyUs,
    inferencesPerSecond: a.inferencesPerSecond - b.inferencesPerSecond,
    areaRatio: ratio(a.areaUm2, b.areaUm2),
    energyRatio: ratio(a.energyPj, b.energyPj),
    latencyRatio: ratio(a.latencyUs, b.latencyUs),
  };
}
