/**
 * Per-unit costs the accelerator model consumes. They are plain numbers so a
 * caller can fill them from helu-sim's own netlists (gate counts costed with a
 * technology file, energy from simulated toggles) or from the 45 nm table.
 */
import { macEnergyPj } from './energy.js';
import { registerAreaUm2 } from './memory.js';
import type { TechFigures } from './tech-figures.js';

export interface UnitCost {
  readonly areaUm2: number;
  /** Longest register-to-register path, ps (the whole input-to-output path for a combinational unit). */
  readonly delayPs: number;
  /** Energy of one operation (one MAC, one activation evaluation, one requantization), pJ. */
  readonly energyPjPerOp: number;
  /** Pipeline latency in clock cycles (0: combinational, the result is ready in the cycle its input arrives). */
  readonly cycles: number;
}

/** Area, delay and energy per evaluation of one combinational circuit. */
export interface CircuitFigures {
  readonly areaUm2: number;
  readonly delayPs: number;
  readonly energyPj: number;
}

/**
 * One processing element: a multiplier feeding an accumulator adder in the same
 * cycle (critical path = multiplier delay + adder delay), plus `registerBits`
 * of state (typically weight + input pass-through + accumulator widths).
 * Register energy is not counted (the table has no figure for it).
 */
export function peUnit(p: {
  readonly multiplier: CircuitFigures;
  readonly adder: CircuitFigures;
  readonly registerBits: number;
  readonly tech: TechFigures;
}): UnitCost {
  return {
    areaUm2: p.multiplier.areaUm2 + p.adder.areaUm2 + registerAreaUm2(p.registerBits, p.tech),
    delayPs: p.multiplier.delayPs + p.adder.delayPs,
    energyPjPerOp: p.multiplier.energyPj + p.adder.energyPj,
    cycles: 1,
  };
}

/** Energy of one MAC from the 45 nm table (scaled to the technology): a weightBits x inputBits multiply + an accBits add. */
export function tableMacEnergyPj(weightBits: number, inputBits: number, accBits: number, tech: TechFigures): number {
  return macEnergyPj(weightBits, inputBits, accBits, tech.energyScale);
}
