/**
 * Memory in the latency: SCALE-Sim v2's memory system (double-buffered ifmap,
 * filter and ofmap SRAMs in front of DRAM, scalesim/memory/*) driven by the
 * array's demand (scratchpad/demand.ts), as docs/memory-model.md restates it.
 *
 * Per layer (each group of a grouped convolution is one SCALE-Sim layer; the
 * groups run one after another, so stalls and traffic are `groups` times one
 * group's): fresh buffers; each demand cycle i (in fold order) is issued at
 * cycle i + stalls so far; its stall is the largest of the three SRAMs'
 * (scratchpad/buffers.ts), floored at 0; the layer's stall cycles are the sum.
 * Each SRAM has its own DRAM interface of the given bandwidth (SCALE-Sim's
 * user-bandwidth mode gives all three the one configured bandwidth).
 * An element is one word: SCALE-Sim counts 1-byte words; helu-sim counts an
 * element of b bits as ceil(b / 8) bytes, so an SRAM of S bytes holds
 * floor(S / ceil(b / 8)) elements and B bytes per cycle move
 * floor(B / ceil(b / 8)) elements per cycle.
 */
import { UserError } from '../errors.js';
import { DRAM_ACCESS64_PJ } from './figures.js';
import type { LayerShape } from './layer.js';
import type { OperandWidths } from './memory.js';
import { ifmapCopyIndex, outputDims, windowsOverlap, type CopyIndex } from './scratchpad/addresses.js';
import { ReadBuffer, WriteBuffer } from './scratchpad/buffers.js';
import { foldDemand, streamLengths } from './scratchpad/demand.js';
import type { ArrayShape, CycleEstimate } from './systolic.js';

/** SRAM sizes in KB (1024 bytes), as SCALE-Sim's IfmapSramSzkB / FilterSramSzkB / OfmapSramSzkB. */
export interface SramSizesKb {
  readonly ifmap: number;
  readonly filter: number;
  readonly ofmap: number;
}

export const DEFAULT_SRAM_KB: SramSizesKb = { ifmap: 64, filter: 64, ofmap: 64 };

export interface MemoryConfig {
  /** DRAM interface bytes per cycle, one interface per SRAM. */
  readonly bytesPerCycle: number;
  readonly sramKb: SramSizesKb;
}

export interface DramTraffic {
  /** DRAM bytes read into the ifmap and filter SRAMs (SCALE-Sim's prefetch counts). */
  readonly ifmapReadBytes: number;
  readonly filterReadBytes: number;
  readonly readBytes: number;
  /** Output bytes drained to DRAM. */
  readonly writeBytes: number;
  /** Cycles the array waits for the SRAMs' DRAM side. */
  readonly stallCycles: number;
  /** Whether any demand cycle stalled. */
  readonly memoryBound: boolean;
  /** DRAM energy of the pass, pJ: (read + write bytes) * 8 / 64 accesses at the cited low and high 64-bit access energy. */
  readonly energyPj: { readonly low: number; readonly high: number };
}

export function checkDramBandwidth(bw: number): number {
  if (!Number.isSafeInteger(bw) || bw < 1)
    throw new UserError(`DRAM bandwidth must be a positive integer number of bytes per cycle, got ${bw}`);
  return bw;
}

/** Parses 'I,F,O' (KB each, e.g. '64,64,32'); UserError otherwise. */
export function parseSramKb(s: string): SramSizesKb {
  const parts = s.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isSafeInteger(x) || x < 1)) {
    throw new UserError(`SRAM sizes '${s}' are not valid; expected three positive integers of KB, ifmap,filter,ofmap, e.g. '64,64,32'`);
  }
  return { ifmap: parts[0]!, filter: parts[1]!, ofmap: parts[2]! };
}

interface Port {
  readonly elementBytes: number;
  readonly size: number;
  readonly bw: number;
}

function port(what: string, kb: number, bits: number, bytesPerCycle: number): Port {
  const elementBytes = Math.ceil(bits / 8);
  const bw = Math.floor(bytesPerCycle / elementBytes);
  if (bw < 1) throw new UserError(`DRAM bandwidth ${bytesPerCycle} B/cycle is below one ${what} element (${elementBytes} B) per cycle`);
  const size = Math.floor((kb * 1024) / elementBytes);
  if (size < 2) throw new UserError(`the ${what} SRAM of ${kb} KB holds fewer than 2 elements of ${elementBytes} B`);
  return { elementBytes, size, bw };
}

/**
 * The ifmap copy index of a convolution whose windows overlap (by-value hits,
 * scratchpad/addresses.ts); null when every im2col element has its own address
 * or the layer carries no spatial geometry.
 */
function overlappingCopies(e: CycleEstimate, a: ArrayShape, shape: LayerShape | undefined): CopyIndex | null {
  const g = shape?.im2col;
  if (!shape || !g) return null;
  const k = { Fh: shape.Fh, Fw: shape.Fw, C: shape.Cin / (shape.groups ?? 1) };
  const [Ho, Wo] = outputDims(g, k);
  if (Ho * Wo !== shape.outputPixels) {
    throw new Error(`layer '${shape.name ?? '?'}': im2col geometry gives ${Ho} x ${Wo} outputs, the shape ${shape.outputPixels}`);
  }
  return windowsOverlap(g, k) ? ifmapCopyIndex(e, a.rows, a.cols, g, k, shape.batch) : null;
}

/**
 * Stall cycles and DRAM traffic of one pass of the layer (rules in the file
 * comment); `shape` (with its im2col geometry) makes overlapping convolution
 * windows share ifmap addresses as SCALE-Sim's by-value lookup does.
 */
export function dramTraffic(e: CycleEstimate, a: ArrayShape, w: OperandWidths, mem: MemoryConfig, shape?: LayerShape): DramTraffic {
  const bw = checkDramBandwidth(mem.bytesPerCycle);
  const pi = port('ifmap', mem.sramKb.ifmap, w.inputBits, bw);
  const pf = port('filter', mem.sramKb.filter, w.weightBits, bw);
  const po = port('ofmap', mem.sramKb.ofmap, w.outputBits, bw);
  const n = streamLengths(e);
  const ifmap = new ReadBuffer(pi.size, pi.bw, n.ifmap, overlappingCopies(e, a, shape));
  const filter = new ReadBuffer(pf.size, pf.bw, n.filter);
  const ofmap = new WriteBuffer(po.size, po.bw);
  let stalls = 0;
  let row = 0;
  let written = 0;
  for (let fc = 0; fc < e.colFolds; fc++) {
    for (let fr = 0; fr < e.rowFolds; fr++) {
      const d = foldDemand({ R: a.rows, C: a.cols, e }, fc, fr);
      for (let i = 0; i < e.cyclesPerFold; i++, row++) {
        const cycle = row + stalls;
        const si = d.ifmap(i);
        const sf = d.filter(i);
        const nw = d.writes(i);
        written += nw;
        const s = Math.max(
          0,
          si ? ifmap.request(si[0], si[1], cycle) : 0,
          sf ? filter.request(sf[0], sf[1], cycle) : 0,
          nw > 0 ? ofmap.write(nw, cycle) : 0,
        );
        stalls += s;
      }
    }
  }
  const g = e.groups;
  const ifmapReadBytes = g * ifmap.dramElements * pi.elementBytes;
  const filterReadBytes = g * filter.dramElements * pf.elementBytes;
  const accesses = (ifmapReadBytes + filterReadBytes + g * written * po.elementBytes) / 8;
  return {
    energyPj: { low: accesses * DRAM_ACCESS64_PJ.value[0], high: accesses * DRAM_ACCESS64_PJ.value[1] },
    ifmapReadBytes,
    filterReadBytes,
    readBytes: ifmapReadBytes + filterReadBytes,
    writeBytes: g * written * po.elementBytes,
    stallCycles: g * stalls,
    memoryBound: stalls > 0,
  };
}
