/**
 * Gate-level schematics: a Yosys JSON netlist (write_json format) drawn as SVG
 * by the npm package netlistsvg (layout by elkjs).
 *
 * netlistsvg's default skin draws $_ANDNOT_ (A & ~B) as a NAND and $_ORNOT_
 * (A | ~B) as a NOR; the skin used here replaces those two with AND / OR
 * symbols that carry an inversion bubble on input B, so the drawing says what
 * the cell computes. Cells without port_directions get them from the gate
 * library's pin names (inputs A, B, S, D, C; outputs Y, Q).
 * netlistsvg keeps its skin in module state: renders are serialised here.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';

const require = createRequire(import.meta.url);

interface NetlistSvg {
  render(skin: string, netlist: unknown): Promise<string | undefined>;
}

let cachedSkin: string | undefined;

const ANDNOT_SYMBOL = `
  <g s:type="andnot" transform="translate(550,50)" s:width="36" s:height="25">
    <s:alias val="$_ANDNOT_"/>
    <path d="M0,5 L6,5" class="$cell_id"/>
    <path d="M6,0 L6,25 L21,25 A15 12.5 0 0 0 21,0 Z" class="$cell_id"/>
    <circle cx="3" cy="20" r="3" class="$cell_id"/>
    <g s:x="0" s:y="5" s:pid="A"/>
    <g s:x="0" s:y="20" s:pid="B"/>
    <g s:x="36" s:y="12.5" s:pid="Y"/>
  </g>`;

const ORNOT_SYMBOL = `
  <g s:type="ornot" transform="translate(650,50)" s:width="36" s:height="25">
    <s:alias val="$_ORNOT_"/>
    <path d="M0,5 L9,5" class="$cell_id"/>
    <path d="M6,25 L21,25 A15 12.5 0 0 0 21,0 L6,0" class="$cell_id"/>
    <path d="M6,0 A30 25 0 0 1 6,25" class="$cell_id"/>
    <circle cx="5" cy="20" r="3" class="$cell_id"/>
    <g s:x="0" s:y="5" s:pid="A"/>
    <g s:x="2" s:y="20" s:pid="B"/>
    <g s:x="36" s:y="12.5" s:pid="Y"/>
  </g>`;

/** netlistsvg's default skin with the ANDNOT / ORNOT symbols described above. */
export function schematicSkin(): string {
  if (cachedSkin !== undefined) return cachedSkin;
  const base = readFileSync(require.resolve('netlistsvg/lib/default.svg'), 'utf8');
  const stripped = base.replace(/\s*<s:alias val="\$_ANDNOT_"\s*\/>/, '').replace(/\s*<s:alias val="\$_ORNOT_"\s*\/>/, '');
  const end = stripped.lastIndexOf('</svg>');
  if (end < 0) throw new Error('internal: netlistsvg default skin has no </svg>');
  cachedSkin = stripped.slice(0, end) + ANDNOT_SYMBOL + ORNOT_SYMBOL + '\n' + stripped.slice(end);
  return cachedSkin;
}

const OUTPUT_PINS = new Set(['Y', 'Q']);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTop(m: unknown): boolean {
  return isObject(m) && isObject(m['attributes']) && Number(m['attributes']['top']) === 1;
}

/** The chosen module (default: the one with attribute top = 1, else the first) with port directions filled in. */
function prepare(yosysJson: unknown, module?: string): { name: string; netlist: Json; cells: number } {
  const modules = isObject(yosysJson) && isObject(yosysJson['modules']) ? yosysJson['modules'] : undefined;
  const names = modules ? Object.keys(modules) : [];
  if (!modules || names.length === 0) throw new UserError('schematic: expected a Yosys JSON netlist with a non-empty "modules" object');
  const top = names.find((n) => isTop(modules[n]));
  const name = module ?? top ?? names[0]!;
  const mod = modules[name];
  if (!isObject(mod)) throw new UserError(`schematic: module '${name}' not found; modules: ${names.join(', ')}`);
  const cells: Json = {};
  for (const [key, c] of Object.entries(isObject(mod['cells']) ? mod['cells'] : {})) {
    if (!isObject(c) || !isObject(c['connections'])) throw new UserError(`schematic: cell '${key}' has no connections`);
    const dirs = isObject(c['port_directions'])
      ? c['port_directions']
      : Object.fromEntries(Object.keys(c['connections']).map((p) => [p, OUTPUT_PINS.has(p) ? 'output' : 'input']));
    cells[key] = { ...c, port_directions: dirs };
  }
  return { name, netlist: { modules: { [name]: { ...mod, cells } } }, cells: Object.keys(cells).length };
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Draws a Yosys JSON netlist as an SVG document. `maxCells` (default 2000)
 * refuses netlists too large to lay out in reasonable time (UserError).
 */
export async function renderSchematic(yosysJson: object, opts: { module?: string; maxCells?: number } = {}): Promise<string> {
  const { netlist, cells, name } = prepare(yosysJson, opts.module);
  const limit = opts.maxCells ?? 2000;
  if (cells > limit) throw new UserError(`schematic: module '${name}' has ${cells} cells; at most ${limit} can be drawn`);
  const lib = require('netlistsvg') as NetlistSvg;
  const skin = schematicSkin();
  const run = queue.then(() => lib.render(skin, netlist));
  queue = run.catch(() => undefined);
  const svg = await run;
  // netlistsvg logs a layout failure and resolves undefined instead of rejecting.
  if (typeof svg !== 'string' || !svg.startsWith('<svg')) throw new Error(`schematic: netlistsvg could not lay out module '${name}'`);
  return svg;
}
