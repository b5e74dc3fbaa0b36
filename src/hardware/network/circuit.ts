/**
 * Costing of one of helu-sim's own circuits with a technology file: the
 * netlist cost view (gate counts, area, depth, static timing) and the energy
 * of one evaluation from simulated toggles.
 */
import { costOf, energyPerOpFj, simulateVectors, type CostReport, type Tech } from '../../netlist/index.js';
import type { Netlist } from '../../netlist/ir.js';
import type { UnitCost } from '../units.js';

/** The netlist cost view plus the average energy of one evaluation over a stimulus. */
export interface CircuitReport extends CostReport {
  /** Average switching energy per evaluation over the stimulus (registers' clock load included), fJ. */
  readonly energyFjPerOp: number;
}

/**
 * Costs `net` and simulates `stimulus` (one raw-pattern array per input port,
 * `count` vectors, consecutive vectors are consecutive evaluations) for its
 * toggles; energy = the technology's per-transition cell energies over the
 * count - 1 transitions (energyPerOpFj).
 */
export function costCircuit(net: Netlist, tech: Tech, stimulus: Record<string, ArrayLike<number>>, count: number): CircuitReport {
  const cost = costOf(net, tech);
  const sim = simulateVectors(net, stimulus, count, { toggles: true });
  return { ...cost, energyFjPerOp: energyPerOpFj(net, sim.toggles!, count, tech) };
}

/** Gate-level cost without simulation (for reports of sub-circuits whose energy is counted elsewhere). */
export function costStatic(net: Netlist, tech: Tech): CostReport {
  return costOf(net, tech);
}

/** The accelerator model's view of a circuit: area, delay, energy per operation in pJ, latency in cycles. */
export function unitCostOf(r: CircuitReport, cycles: number): UnitCost {
  return { areaUm2: r.areaUm2, delayPs: r.delayPs, energyPjPerOp: r.energyFjPerOp / 1000, cycles };
}
