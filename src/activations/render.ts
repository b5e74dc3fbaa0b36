import { unitVerificationText } from './describe.js';
import type { ActivationReport } from './types.js';

function fixed(x: number, digits: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

const COLUMNS: ReadonlyArray<[string, (r: ActivationReport) => string]> = [
  ['activation', (r) => r.activation],
  ['output', (r) => r.output],
  ['gates', (r) => String(r.gates)],
  ['transistors', (r) => String(r.transistors)],
  ['GE', (r) => fixed(r.nand2Equivalents, 1)],
  ['depth', (r) => String(r.depth)],
  ['delay ps', (r) => fixed(r.delayPs, 1)],
  ['cycles', (r) => String(r.cycles)],
  ['area um2', (r) => fixed(r.areaUm2, 3)],
  ['energy fJ', (r) => fixed(r.energyFjPerOp, 3)],
  ['ROM bits', (r) => String(r.romBits)],
  ['verification', (r) => unitVerificationText(r.verification)],
];

/** A plain-text table of activation reports, one row each, columns aligned (text left, figures right). */
export function renderActivationTable(reports: readonly ActivationReport[]): string {
  const rows = reports.map((r) => COLUMNS.map(([, get]) => get(r)));
  const head = COLUMNS.map(([h]) => h);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const left = new Set([0, 1, COLUMNS.length - 1]);
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (left.has(j) ? c.padEnd(widths[j]) : c.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  const cellLine = (r: ActivationReport) => {
    const parts = Object.entries(r.cells).map(([t, n]) => `${n} ${t}`);
    return `  ${r.activation} cells: ${parts.length ? parts.join(', ') : 'none (wiring)'}`;
  };
  return [line(head), ...rows.map(line), '', ...reports.map(cellLine)].join('\n') + '\n';
}
