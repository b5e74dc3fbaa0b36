/**
 * Static timing of a netlist of library cells (tech/library.ts) read back from
 * Yosys JSON after technology mapping: every cell's output arrives at
 * max(input arrivals) + intrinsic + drive * load, the load being the sum of
 * the input-pin capacitances the net drives (primary outputs add none);
 * primary inputs arrive at 0, register outputs at their clock-to-Q under load;
 * end points are primary outputs and register D pins (+ setup).
 */
import type { CellLibrary, LibCell } from '../tech/library.js';

export interface MappedCell {
  readonly type: string;
  /** Input pin -> net. */
  readonly inputs: ReadonlyMap<string, number>;
  readonly output: number;
}

export interface MappedNetlist {
  readonly cells: readonly MappedCell[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

interface YosysModule {
  ports: Record<string, { direction: string; bits: (number | string)[] }>;
  cells: Record<string, { type: string; connections: Record<string, (number | string)[]> }>;
}

/** Net number of a constant in a mapped netlist (Yosys JSON "0"/"1"; no driver, arrives at 0). */
export const CONST = -1;
/** helu-sim's own mapping (map.ts) tells the constant 1 apart (any negative net is a constant). */
export const CONST_ONE = -2;
const bitOf = (b: number | string) => (typeof b === 'number' ? b : CONST);

/** The top module of a Yosys `write_json` document as a mapped netlist (pin directions from the library). */
export function readMappedJson(json: string, top: string, library: CellLibrary): MappedNetlist {
  const lib = new Map(library.cells.map((c) => [c.name, c]));
  const doc = JSON.parse(json) as { modules: Record<string, YosysModule> };
  const m = doc.modules[top];
  if (!m) throw new Error(`internal: Yosys JSON has no module '${top}'`);
  const inputs: number[] = [],
    outputs: number[] = [];
  for (const p of Object.values(m.ports)) (p.direction === 'input' ? inputs : outputs).push(...p.bits.map(bitOf));
  const cells = Object.values(m.cells).map((c) => {
    const ins = new Map<string, number>();
    let output = CONST;
    for (const [pin, bits] of Object.entries(c.connections)) {
      if (libCell(lib, c.type).output === pin) output = bitOf(bits[0]!);
      else ins.set(pin, bitOf(bits[0]!));
    }
    return { type: c.type, inputs: ins, output };
  });
  return { cells, inputs, outputs };
}

function libCell(lib: ReadonlyMap<string, LibCell>, type: string): LibCell {
  const c = lib.get(type);
  if (!c) throw new Error(`internal: mapped cell '${type}' is not in the library`);
  return c;
}

/** Area (um^2), cells by type and the critical path (ps) of a mapped netlist. */
export function mappedFigures(
  net: MappedNetlist,
  library: CellLibrary,
): { areaUm2: number; cells: Record<string, number>; delayPs: number } {
  const lib = new Map(library.cells.map((c) => [c.name, c]));
  const load = new Map<number, number>();
  const cells: Record<string, number> = {};
  let areaUm2 = 0;
  for (const c of net.cells) {
    const lc = libCell(lib, c.type);
    cells[c.type] = (cells[c.type] ?? 0) + 1;
    areaUm2 += lc.areaUm2;
    for (const [pin, b] of c.inputs) if (pin !== 'CK') load.set(b, (load.get(b) ?? 0) + lc.pinCapFf);
  }
  const driver = new Map<number, MappedCell>();
  for (const c of net.cells) driver.set(c.output, c);
  const arrival = new Map<number, number>();
  const primary = new Set(net.inputs);
  const visiting = new Set<number>();
  const arrive = (b: number): number => {
    if (b < 0 || primary.has(b)) return 0;
    const known = arrival.get(b);
    if (known !== undefined) return known;
    const c = driver.get(b);
    if (!c) return 0;
    const lc = libCell(lib, c.type);
    const own = lc.intrinsicPs + lc.drivePsPerFf * (load.get(b) ?? 0);
    if (lc.setupPs !== undefined) {
      arrival.set(b, own);
      return own;
    }
    if (visiting.has(b)) throw new Error('internal: combinational loop in the mapped netlist');
    visiting.add(b);
    let t = 0;
    for (const i of c.inputs.values()) t = Math.max(t, arrive(i));
    visiting.delete(b);
    arrival.set(b, t + own);
    return t + own;
  };
  let delayPs = 0;
  for (const b of net.outputs) delayPs = Math.max(delayPs, arrive(b));
  for (const c of net.cells) {
    const lc = libCell(lib, c.type);
    if (lc.setupPs !== undefined) delayPs = Math.max(delayPs, arrive(c.inputs.get('D') ?? CONST) + lc.setupPs);
  }
  return { areaUm2, cells, delayPs };
}
