/**
 * Memory tables of an accelerator estimate (the cost command): the SRAMs with
 * their area and energy per access, each layer's SRAM accesses and energy, and
 * with a DRAM bandwidth the compute / stall / total cycles and DRAM traffic.
 */
import type { AcceleratorReport } from '../hardware/index.js';
import { formatInt, formatSig, markdownTable } from './markdown.js';

/** The SRAMs: size, macro area (n/a without a cited figure), energy of one 64-bit access. */
export function sramTable(r: AcceleratorReport): string {
  const b = r.total.breakdown;
  const rows = b.srams.map((s) => [
    s.role,
    formatSig(s.bytes / 1024, 4),
    s.areaUm2 === null ? 'n/a' : formatSig(s.areaUm2, 4),
    formatSig(s.pjPerBit * 64, 4),
  ]);
  const table = markdownTable(['SRAM', 'size (KB)', 'area (µm²)', 'energy / 64-bit access (pJ)'], rows, [
    'left',
    'right',
    'right',
    'right',
  ]);
  return b.sramAreaNote === undefined ? table : `${table}\n${b.sramAreaNote}; the area totals leave SRAM out.\n`;
}

/** Per layer: SRAM accesses of one pass (elements) and SRAM energy per inference. */
export function sramLayerTable(r: AcceleratorReport): string {
  const rows = r.layers.map((l) => [
    l.name,
    formatInt(l.sramAccesses.ifmapReads),
    formatInt(l.sramAccesses.filterReads),
    formatInt(l.sramAccesses.outputWrites + l.sramAccesses.partialSumWrites),
    formatInt(l.sramAccesses.partialSumReads),
    formatSig(l.energyBreakdownPj.sram, 4),
  ]);
  rows.push(['total', '', '', '', '', formatSig(r.total.breakdown.energyPj.sram, 4)]);
  return markdownTable(
    ['layer', 'ifmap reads', 'filter reads', 'ofmap writes', 'partial-sum reads', 'SRAM energy / inference (pJ)'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right'],
  );
}

/** Compute, stall and total cycles per layer and in all, DRAM traffic and energy (with --dram-bw). */
export function dramTable(r: AcceleratorReport): string {
  const nj = (x: number) => formatSig(x / 1e3 / r.array.batch, 3);
  let lo = 0;
  let hi = 0;
  const rows = r.layers.map((l) => {
    lo += l.dram?.energyPj.low ?? 0;
    hi += l.dram?.energyPj.high ?? 0;
    return [
      l.name,
      formatInt(l.computeCycles),
      formatInt(l.stallCycles),
      formatInt(l.cycles),
      formatInt(l.dram?.readBytes ?? 0),
      formatInt(l.dram?.writeBytes ?? 0),
      l.dram ? `${nj(l.dram.energyPj.low)}–${nj(l.dram.energyPj.high)}` : '',
      l.dram?.memoryBound ? 'memory' : 'compute',
    ];
  });
  rows.push([
    'total',
    formatInt(r.total.computeCycles),
    formatInt(r.total.stallCycles),
    formatInt(r.total.cycles),
    '',
    '',
    `${nj(lo)}–${nj(hi)}`,
    '',
  ]);
  return markdownTable(
    ['layer', 'compute cycles', 'stall cycles', 'total cycles', 'DRAM read (B)', 'DRAM write (B)', 'DRAM energy / inference (nJ)', 'bound'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
}
