/**
 * One technology for a whole estimate: the netlist technology file (gate
 * area, delay, energy: every unit helu-sim builds) and the memory and table
 * figures of tech-figures.ts (SRAM, which helu-sim does not build as gates).
 *
 * nangate45 and asap7 have published memory figures. For another technology
 * file they are derived from the file itself, relative to nangate45 (an
 * estimate, stated): feature size 45 nm * sqrt(NAND2 area / nangate45's NAND2
 * area) (area scales with the square of the feature size), energy factor
 * = the file's NAND2 energy per transition / nangate45's.
 */
import { lookup } from '../../errors.js';
import { BUILTIN_TECHS, loadTech, type Tech } from '../../netlist/index.js';
import { techFigures, type TechFigures } from '../tech-figures.js';

export interface ResolvedTech {
  /** What the user gave: a built-in name or a technology file path. */
  readonly arg: string;
  readonly tech: Tech;
  readonly figures: TechFigures;
}

export function resolveTech(arg = 'nangate45'): ResolvedTech {
  const tech = loadTech(arg);
  if (lookup(BUILTIN_TECHS, arg) !== undefined) return { arg, tech, figures: techFigures(arg) };
  const ref = BUILTIN_TECHS.nangate45!;
  const featureNm = 45 * Math.sqrt(tech.nand2AreaUm2 / ref.nand2AreaUm2);
  const energyScale = tech.cells.$_NAND_.energyFj / ref.cells.$_NAND_.energyFj;
  return { arg, tech, figures: techFigures(tech.name, { featureNm, energyScale: energyScale > 0 ? energyScale : undefined }) };
}
