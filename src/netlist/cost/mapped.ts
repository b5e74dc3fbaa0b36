import type { Netlist } from '../ir.js';
import { mapNetlist } from '../synth/map.js';
import { mappedFigures } from '../synth/mapped-timing.js';
import { cellLibrary, type CellLibrary } from '../tech/library.js';
import type { Tech } from './tech.js';

/** The technology's cell library, built once per technology object. */
const LIBRARIES = new WeakMap<Tech, CellLibrary>();
export function libraryOf(tech: Tech): CellLibrary {
  let lib = LIBRARIES.get(tech);
  if (!lib) LIBRARIES.set(tech, (lib = cellLibrary(tech)));
  return lib;
}

export interface MappedEstimate {
  /** Library cells by name (e.g. NAND2_X1). */
  readonly cells: Record<string, number>;
  readonly areaUm2: number;
  /** Critical path of the mapped cells with their real loads, ps. */
  readonly delayPs: number;
}

/**
 * helu-sim's area and delay estimate of a netlist: its own technology mapping
 * onto the technology's cell library (synth/map.ts, complex cells included),
 * timed with the library's load-dependent delays (synth/mapped-timing.ts),
 * the same rule that times a netlist mapped by Yosys + ABC.
 */
export function mappedEstimate(net: Netlist, tech: Tech): MappedEstimate {
  const lib = libraryOf(tech);
  const f = mappedFigures(mapNetlist(net, lib), lib);
  return { cells: f.cells, areaUm2: f.areaUm2, delayPs: f.delayPs };
}
