/**
 * Memory in the latency: DRAM traffic through double-buffered SRAMs, after
 * SCALE-Sim v2's memory system (scalesim/memory: double-buffered read buffers
 * for ifmap and filter that prefetch the next set of operands from DRAM while
 * the array reads the active set, a write buffer draining ofmap to DRAM; a
 * request that misses the active buffer waits for the prefetch: stall
 * cycles). helu-sim models it at fold granularity (a fold is the unit whose
 * operands SCALE-Sim's demand matrices cover), with one DRAM interface of
 * `bytesPerCycle` shared by reads and writes:
 *   read bytes R = filter bytes + ifmap bytes (each operand element fetched
 *     from DRAM once; the SRAM holds it while folds reuse it),
 *   write bytes W = ofmap bytes; per fold r = ceil(R / folds), w = ceil(W / folds);
 *   fill:   the first fold's operands arrive before it starts: ceil(r / bw) cycles;
 *   steady: fold k+1's operands and fold k's outputs move while fold k computes
 *           (C cycles): each of the folds - 1 transitions stalls
 *           max(0, ceil((r + w) / bw) - C) cycles;
 *   drain:  the last fold's outputs are written after it: ceil(w / bw) cycles.
 *   stall = fill + (folds - 1) * steady + drain; total = compute + stall.
 * A layer is memory-bound when the steady term is positive.
 */
import { UserError } from '../errors.js';
import { layerInputs, layerOutputs, layerWeights, type LayerShape } from './layer.js';
import type { OperandWidths } from './memory.js';
import type { CycleEstimate } from './systolic.js';

export interface DramTraffic {
  readonly readBytes: number;
  readonly writeBytes: number;
  /** Cycles the array waits for the interface (fill + steady stalls + drain). */
  readonly stallCycles: number;
  /** Whether fold transitions stall (the interface, not the array, sets the pace). */
  readonly memoryBound: boolean;
}

export function checkDramBandwidth(bw: number): number {
  if (!(bw > 0) || !Number.isFinite(bw)) throw new UserError(`DRAM bandwidth must be a positive number of bytes per cycle, got ${bw}`);
  return bw;
}

/** DRAM traffic and stall cycles of one layer pass (rules in the file comment). */
export function dramTraffic(l: LayerShape, w: OperandWidths, e: CycleEstimate, bytesPerCycle: number): DramTraffic {
  const bw = checkDramBandwidth(bytesPerCycle);
  const bytes = (elements: number, bits: number) => Math.ceil((elements * bits) / 8);
  const readBytes = bytes(layerWeights(l), w.weightBits) + bytes(l.filters, w.biasBits ?? 0) + bytes(layerInputs(l), w.inputBits);
  const writeBytes = bytes(layerOutputs(l), w.outputBits);
  const r = Math.ceil(readBytes / e.folds);
  const wr = Math.ceil(writeBytes / e.folds);
  const steady = Math.max(0, Math.ceil((r + wr) / bw) - e.cyclesPerFold);
  const stallCycles = Math.ceil(r / bw) + (e.folds - 1) * steady + Math.ceil(wr / bw);
  return { readBytes, writeBytes, stallCycles, memoryBound: steady > 0 };
}
