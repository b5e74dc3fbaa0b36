import { readFileSync } from 'node:fs';
import { lookup, UserError } from '../../errors.js';
import { GATE_TYPES, type GateType } from '../ir.js';
import { NANGATE45 } from '../tech/nangate45.js';
import { ASAP7 } from '../tech/asap7.js';
import { cellTable } from '../tech/derive.js';

/** Per-cell figures of a technology. */
export interface CellTech {
  /** Cell area in um^2 (a Yosys gate mapped to the library's cells). */
  readonly areaUm2: number;
  /** Propagation delay input -> output in ps ($_DFF_P_: clock -> Q). */
  readonly delayPs: number;
  /** Energy per output transition in fJ (switching energy including its load). */
  readonly energyFj: number;
}

/**
 * A technology file: JSON with exactly these fields (user files are
 * validated; `notes` is free text citing each figure's source).
 */
export interface Tech {
  readonly name: string;
  /** Citation of the figures. */
  readonly source: string;
  /** Area of one NAND2 gate equivalent (GE) in um^2. */
  readonly nand2AreaUm2: number;
  /** Register setup time in ps (added at register D endpoints). */
  readonly dffSetupPs: number;
  /** Energy of one register's clock load per cycle in fJ. */
  readonly dffClockEnergyFj: number;
  readonly cells: Readonly<Record<GateType, CellTech>>;
  readonly notes?: Readonly<Record<string, string>>;
}

export const BUILTIN_TECHS: Readonly<Record<string, Tech>> = { nangate45: NANGATE45, asap7: ASAP7 };

/**
 * 'nangate45' (default), 'asap7', or a path to a JSON technology file.
 * UserError naming the bad field (or the file) otherwise.
 */
export function loadTech(nameOrPath = 'nangate45'): Tech {
  const builtin = lookup(BUILTIN_TECHS, nameOrPath);
  if (builtin) return builtin;
  if (!/[\\/.]/.test(nameOrPath)) {
    throw new UserError(`unknown technology '${nameOrPath}'; expected ${Object.keys(BUILTIN_TECHS).join(', ')} or a JSON file path`);
  }
  let text: string;
  try {
    text = readFileSync(nameOrPath, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read technology file '${nameOrPath}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`technology file '${nameOrPath}' is not valid JSON: ${(e as Error).message}`);
  }
  return validateTech(json, `technology file '${nameOrPath}'`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(obj: Record<string, unknown>, key: string, path: string, where: string, positive = false): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new UserError(`${where}: field '${path}' must be a ${positive ? 'positive' : 'non-negative'} number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Checks a parsed technology object; `where` prefixes error messages. */
export function validateTech(json: unknown, where: string): Tech {
  if (!isRecord(json)) throw new UserError(`${where}: expected a JSON object with fields name, source, nand2AreaUm2, cells`);
  if (typeof json.name !== 'string' || json.name === '') throw new UserError(`${where}: field 'name' must be a non-empty string`);
  if (typeof json.source !== 'string') throw new UserError(`${where}: field 'source' must be a string citing the figures`);
  const cellsIn = json.cells;
  if (!isRecord(cellsIn)) throw new UserError(`${where}: field 'cells' must be an object keyed by cell type (${GATE_TYPES.join(', ')})`);
  for (const k of Object.keys(cellsIn)) {
    if (!(GATE_TYPES as readonly string[]).includes(k))
      throw new UserError(`${where}: field 'cells.${k}' is not a cell type; expected ${GATE_TYPES.join(', ')}`);
  }
  const cells = cellTable((t): CellTech => {
    const c = cellsIn[t];
    if (!isRecord(c)) throw new UserError(`${where}: field 'cells.${t}' is missing; expected { areaUm2, delayPs, energyFj }`);
    return {
      areaUm2: num(c, 'areaUm2', `cells.${t}.areaUm2`, where),
      delayPs: num(c, 'delayPs', `cells.${t}.delayPs`, where),
      energyFj: num(c, 'energyFj', `cells.${t}.energyFj`, where),
    };
  });
  if (json.notes !== undefined && !isRecord(json.notes)) throw new UserError(`${where}: field 'notes' must be an object of strings`);
  return {
    name: json.name,
    source: json.source,
    nand2AreaUm2: num(json, 'nand2AreaUm2', 'nand2AreaUm2', where, true),
    dffSetupPs: json.dffSetupPs === undefined ? 0 : num(json, 'dffSetupPs', 'dffSetupPs', where),
    dffClockEnergyFj: json.dffClockEnergyFj === undefined ? 0 : num(json, 'dffClockEnergyFj', 'dffClockEnergyFj', where),
    cells,
    ...(json.notes !== undefined ? { notes: json.notes as Record<string, string> } : {}),
  };
}
