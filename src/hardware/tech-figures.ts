/**
 * The memory and energy figures of one technology, derived from the cited
 * figures in figures.ts. Gate-level area, delay and energy of helu-sim's own
 * circuits come from the netlist technology files instead; these figures cover
 * what helu-sim does not build as gates (SRAM, register banks, table energies).
 *
 * Scaling rules between nodes (stated because they are estimates):
 * - area of a register bit: Accelergy's 40 nm figure times (featureNm / 40)^2;
 * - SRAM area per bit: the node's published 6T bit cell times the periphery
 *   factor (45 nm: Nii et al.); another node given its feature size scales the
 *   45 nm cell by (featureNm / 45)^2. ASAP7 publishes no SRAM bit-cell area that
 *   helu-sim could cite (its paper shows example SRAM cells without a figure),
 *   so its SRAM area is unsupported (null, reported as such) rather than borrowed
 *   from a foundry 7 nm process;
 * - energy: the Horowitz 45 nm / 0.9 V figures times (featureNm / 45) * (Vdd / 0.9)^2
 *   (classical C V^2 scaling, capacitance proportional to feature size).
 */
import { UserError } from '../errors.js';
import { ASAP7_VDD, HOROWITZ_VDD, REGISTER_BIT_40NM_UM2, SRAM_CELL_45NM_UM2, SRAM_PERIPHERY_FACTOR } from './figures.js';

/** Why a technology has no SRAM area (shown in place of the figure). */
export const ASAP7_SRAM_UNSUPPORTED = 'SRAM area not estimated for asap7: no published ASAP7 SRAM bit-cell area to cite';

export interface TechFigures {
  readonly name: string;
  readonly featureNm: number;
  /** 6T bit cell, um^2; null when no figure can be cited (sramAreaNote says why). */
  readonly sramCellUm2: number | null;
  /** SRAM macro area per bit = sramCellUm2 * periphery factor, um^2; null with sramCellUm2. */
  readonly sramUm2PerBit: number | null;
  /** Set when the SRAM area is unsupported: the reason. */
  readonly sramAreaNote?: string;
  /** Register (flip-flop) area per bit, um^2. */
  readonly registerUm2PerBit: number;
  /** Multiplies every 45 nm table energy (1 at 45 nm). */
  readonly energyScale: number;
  readonly sources: readonly string[];
}

export interface TechFigureOptions {
  /** Feature size in nm; required for a technology other than nangate45 / asap7. */
  readonly featureNm?: number;
  /** Supply voltage for the energy scaling (default 0.9 V, the Horowitz reference). */
  readonly vdd?: number;
  /** Overrides the energy factor (e.g. the ratio of the technology file's gate energies to nangate45's). */
  readonly energyScale?: number;
}

function build(name: string, featureNm: number, cellUm2: number | null, energyScale: number, cellSource: string): TechFigures {
  return {
    name,
    featureNm,
    sramCellUm2: cellUm2,
    sramUm2PerBit: cellUm2 === null ? null : cellUm2 * SRAM_PERIPHERY_FACTOR.value,
    ...(cellUm2 === null ? { sramAreaNote: cellSource } : {}),
    registerUm2PerBit: REGISTER_BIT_40NM_UM2.value * (featureNm / 40) ** 2,
    energyScale,
    sources: cellUm2 === null ? [REGISTER_BIT_40NM_UM2.source] : [cellSource, SRAM_PERIPHERY_FACTOR.source, REGISTER_BIT_40NM_UM2.source],
  };
}

function classicalEnergyScale(featureNm: number, vdd: number): number {
  return (featureNm / 45) * (vdd / HOROWITZ_VDD.value) ** 2;
}

/**
 * Figures for 'nangate45' (45 nm) or 'asap7' (7 nm, 0.7 V), or any other
 * technology name given its feature size (UserError without one).
 */
export function techFigures(name: string, opts: TechFigureOptions = {}): TechFigures {
  const key = name.toLowerCase();
  if (key === 'nangate45' || key === 'freepdk45') {
    return build(name, 45, SRAM_CELL_45NM_UM2.value, opts.energyScale ?? 1, SRAM_CELL_45NM_UM2.source);
  }
  if (key === 'asap7') {
    const scale = opts.energyScale ?? classicalEnergyScale(7, ASAP7_VDD.value);
    return build(name, 7, null, scale, ASAP7_SRAM_UNSUPPORTED);
  }
  const f = opts.featureNm;
  if (f === undefined || !(f > 0) || !Number.isFinite(f)) {
    throw new UserError(`technology '${name}' has no memory figures; known: nangate45, asap7, or give its feature size in nm (featureNm)`);
  }
  const scale = opts.energyScale ?? classicalEnergyScale(f, opts.vdd ?? HOROWITZ_VDD.value);
  return build(name, f, SRAM_CELL_45NM_UM2.value * (f / 45) ** 2, scale, `${SRAM_CELL_45NM_UM2.source}, scaled by (${f}/45)^2`);
}
