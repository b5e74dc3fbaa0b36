/**
 * --synth yosys for `helu-sim cost`: every distinct unit of the estimate
 * (PEs, requantization units, activation units; same keys as the estimate's
 * unit caches) synthesized beside helu-sim's estimate.
 */
import { formatToString } from '../../fixedpoint/index.js';
import type { IntModel } from '../../sim/quantize/model.js';
import { activationUnitCircuit, activationUnitKey } from '../network/activation-unit.js';
import { planNetwork } from '../network/layers.js';
import { buildPe } from '../network/mac.js';
import { buildRequant, requantKey } from '../network/requant.js';
import type { Netlist } from '../../netlist/index.js';
import { compareWithSynthesis, type CompareOptions, type SynthComparison } from './compare.js';

export interface UnitSynthesis {
  readonly unit: string;
  readonly comparison: SynthComparison;
}

/** Distinct units of the model's accelerator, in layer order, with their circuits (built lazily). */
export function networkUnitCircuits(model: IntModel): { unit: string; build: () => Netlist }[] {
  const units = new Map<string, () => Netlist>();
  for (const p of planNetwork(model)) {
    units.set(`PE ${formatToString(p.mac.weight)} x ${formatToString(p.mac.input)} + ${formatToString(p.mac.acc)}`, () => buildPe(p.mac));
    const rq = p.requant;
    if (rq) units.set(requantKey(rq), () => buildRequant(rq));
    const act = p.activation;
    if (act) units.set(activationUnitKey(act), () => activationUnitCircuit(act));
  }
  return [...units].map(([unit, build]) => ({ unit, build }));
}

export async function synthesizeNetworkUnits(
  model: IntModel,
  opts: CompareOptions = {},
  onProgress?: (unit: string) => void,
): Promise<UnitSynthesis[]> {
  const out: UnitSynthesis[] = [];
  for (const u of networkUnitCircuits(model)) {
    onProgress?.(u.unit);
    const net = u.build();
    if (net.cells.length === 0) continue;
    out.push({ unit: u.unit, comparison: await compareWithSynthesis(net, opts) });
  }
  return out;
}
