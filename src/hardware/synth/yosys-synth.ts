/**
 * Synthesis in the loop: a unit's Verilog through Yosys (@yowasp/yosys, in
 * process) with ABC technology mapping onto a Liberty library, and the
 * figures read back: area, cells by type, critical path.
 *
 * Script: read_verilog; hierarchy; synth -flatten; dfflegalize to $_DFF_P_;
 * dfflibmap -liberty; abc -liberty; opt_clean; stat -liberty (area);
 * write_json (the mapped netlist). With helu-sim's own library (the
 * technology's cells, synth/liberty.ts) the critical path is static timing of
 * the mapped netlist with the library's load-dependent delays
 * (mapped-timing.ts). With a user's Liberty file, area and cell counts come
 * from Yosys's `stat -liberty` and no delay is computed (helu-sim does not
 * interpret third-party timing tables).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import { loadTech, type Tech } from '../../netlist/index.js';
import { libertyText } from '../../netlist/synth/liberty.js';
import { cellLibrary, type CellLibrary } from '../../netlist/tech/library.js';
import { checkTopName, designFiles, runYosysScript, type VerilogDesign } from '../../verilog/yosys.js';
import { mappedFigures, readMappedJson } from './mapped-timing.js';

export interface SynthOptions {
  /** Technology whose cell library is generated (default nangate45); ignored with `liberty`. */
  readonly tech?: string | Tech;
  /** Path of a user Liberty file to map onto instead. */
  readonly liberty?: string;
}

export interface SynthReport {
  /** 'helu-sim nangate45 library' or the user file's name. */
  readonly library: string;
  readonly areaUm2: number;
  readonly cells: Record<string, number>;
  readonly cellCount: number;
  /** Critical path in ps (helu-sim's library only). */
  readonly delayPs: number | null;
  readonly script: string;
}

const LIB = '__lib.lib';

export function synthScript(sources: readonly string[], top: string): string {
  return [
    `read_verilog ${sources.join(' ')}`,
    `hierarchy -check -top ${checkTopName(top)}`,
    `synth -flatten -top ${top}`,
    'dfflegalize -cell $_DFF_P_ 01',
    `dfflibmap -liberty ${LIB}`,
    `abc -liberty ${LIB}`,
    'opt_clean',
    `tee -q -o __stat.json stat -json -liberty ${LIB}`,
    'write_json __net.json',
  ].join('\n');
}

function readLiberty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read Liberty file '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

interface StatJson {
  design?: { num_cells?: number; num_cells_by_type?: Record<string, number>; area?: number };
}

/** The cell library helu-sim generates for a technology (name, built-in or JSON path). */
export function techLibrary(tech: string | Tech = 'nangate45'): CellLibrary {
  return cellLibrary(typeof tech === 'string' ? loadTech(tech) : tech);
}

/** Synthesizes `design` (top module `top`) and reads the figures back (rules in the file comment). */
export async function synthesize(design: VerilogDesign, top: string, opts: SynthOptions = {}): Promise<SynthReport> {
  const { files, sources } = designFiles(design, top);
  const own = opts.liberty === undefined ? techLibrary(opts.tech) : undefined;
  const lib = own ? libertyText(own) : readLiberty(opts.liberty!);
  const script = synthScript(sources, top);
  const run = await runYosysScript({ ...files, [LIB]: lib }, script);
  const stat = (JSON.parse(String(run.files['__stat.json'])) as StatJson).design ?? {};
  const cells = { ...(stat.num_cells_by_type ?? {}) };
  const cellCount = Object.values(cells).reduce((a, b) => a + b, 0);
  if (!own) {
    return { library: basename(opts.liberty!), areaUm2: Number(stat.area ?? NaN), cells, cellCount, delayPs: null, script };
  }
  const fig = mappedFigures(readMappedJson(String(run.files['__net.json']), top, own), own);
  return { library: `helu-sim ${own.name} library`, areaUm2: fig.areaUm2, cells: fig.cells, cellCount, delayPs: fig.delayPs, script };
}
