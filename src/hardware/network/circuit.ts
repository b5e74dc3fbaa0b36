/**
 * Costing of one of helu-sim's own circuits with a technology file: the
 * netlist cost view (gate counts, area, depth, static timing) and the energy
 * of one evaluation from simulated toggles.
 */
import { createHash } from 'node:crypto';
import { costOf, energyPerOpFj, simulateVectors, type CostReport, type Tech } from '../../netlist/index.js';
import type { Netlist } from '../../netlist/ir.js';
import type { UnitCost } from '../units.js';

/**
 * Cost views already computed, per technology object and netlist structure
 * (ports and cells, net numbers included; the netlist's name is left out):
 * units of different formats often build the same circuit (a multiplier
 * depends on the operand widths and signs only, a PE on the product and
 * accumulator alignment), and each distinct structure is mapped once per
 * technology object: a technology file is loaded once per estimate, the
 * built-in ones once per process (a `cost` run, or every network of a `study`).
 */
const COSTS = new WeakMap<Tech, Map<string, CostReport>>();

function structureKey(net: Netlist): string {
  const h = createHash('sha256');
  for (const p of net.ports) h.update(`${p.direction} ${p.name} ${p.bits.join(',')};`);
  for (const c of net.cells) h.update(`${c.type} ${c.inputs.join(',')} ${c.output};`);
  return h.digest('hex');
}

function cachedCostOf(net: Netlist, tech: Tech): CostReport {
  let byNet = COSTS.get(tech);
  if (!byNet) COSTS.set(tech, (byNet = new Map()));
  const key = structureKey(net);
  let r = byNet.get(key);
  if (!r) byNet.set(key, (r = costOf(net, tech)));
  return r;
}

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
  const cost = cachedCostOf(net, tech);
  const sim = simulateVectors(net, stimulus, count, { toggles: true });
  return { ...cost, energyFjPerOp: energyPerOpFj(net, sim.toggles!, count, tech) };
}

/** Gate-level cost without simulation (for reports of sub-circuits whose energy is counted elsewhere). */
export function costStatic(net: Netlist, tech: Tech): CostReport {
  return cachedCostOf(net, tech);
}

/** The accelerator model's view of a circuit: area, delay, energy per operation in pJ, latency in cycles. */
export function unitCostOf(r: CircuitReport, cycles: number): UnitCost {
  return { areaUm2: r.areaUm2, delayPs: r.delayPs, energyPjPerOp: r.energyFjPerOp / 1000, cycles };
}
