/**
 * Systolic-array cycle model of SCALE-Sim v2 (Samajdar et al., "SCALE-Sim:
 * Systolic CNN Accelerator Simulator", arXiv 1811.02883; scalesim-project/
 * scale-sim-v2, compute/systolic_compute_{ws,os}.py), array of R rows x C columns.
 *
 * The layer is the GEMM  ifmap (pixels x window) * filter (window x filters),
 * pixels = outputPixels * batch (im2col rows), window = Fh*Fw*Cin/groups.
 *   ws (weight stationary):  S_R = window, S_C = filters, T = pixels,
 *                            cycles per fold = 2R + C + T - 2
 *                            (R cycles to load the weights, then R + C + T - 2 to stream and drain).
 *   os (output stationary):  S_R = pixels, S_C = filters, T = window,
 *                            cycles per fold = R + C + T - 2.
 *   is (input stationary):   S_R = window, S_C = pixels, T = filters,
 *                            cycles per fold = 2R + C + T - 2 (ws with the roles of ifmap and filter
 *                            swapped: the ifmap window is held in the array, filters stream through).
 *   folds = ceil(S_R / R) * ceil(S_C / C); cycles = folds * cycles per fold (folds run back to back,
 *   no overlap between folds, as SCALE-Sim's demand matrices concatenate them).
 * Grouped / depthwise convolution (which SCALE-Sim v2 does not model): each group is mapped as its
 * own layer with Cin/groups input channels and filters/groups filters, the groups run one after
 * another, so folds and cycles are `groups` times those of one group.
 * A dense layer (pixels = batch) is the same GEMM: for ws T = batch, for os S_R = batch.
 */
import { UserError } from '../errors.js';
import { checkLayerShape, layerMacs, type LayerShape } from './layer.js';

export type Dataflow = 'ws' | 'os' | 'is';
export const DATAFLOWS: readonly Dataflow[] = ['ws', 'os', 'is'];

export interface ArrayShape {
  readonly rows: number;
  readonly cols: number;
}

/** Parses 'RxC' (e.g. '16x16', '32X8'); UserError otherwise. R, C in 1..65536. */
export function parseArray(s: string): ArrayShape {
  const m = /^\s*([0-9]+)\s*[xX]\s*([0-9]+)\s*$/.exec(s);
  const rows = m ? Number(m[1]) : NaN;
  const cols = m ? Number(m[2]) : NaN;
  if (!m || rows < 1 || cols < 1 || rows > 65536 || cols > 65536) {
    throw new UserError(`array '${s}' is not valid; expected RxC with R and C in 1..65536, e.g. '16x16'`);
  }
  return { rows, cols };
}

export function arrayToString(a: ArrayShape): string {
  return `${a.rows}x${a.cols}`;
}

/** Parses 'ws', 'os' or 'is' (case-insensitive); UserError otherwise. */
export function parseDataflow(s: string): Dataflow {
  const d = s.trim().toLowerCase();
  if (d === 'ws' || d === 'os' || d === 'is') return d;
  throw new UserError(`dataflow '${s}' is not valid; accepted: ws (weight stationary), os (output stationary), is (input stationary)`);
}

/** SCALE-Sim's GEMM operand dimensions of one group of the layer. */
export interface GemmMapping {
  readonly sr: number;
  readonly sc: number;
  readonly t: number;
  /** Groups mapped one after another (1 for an ordinary layer). */
  readonly groups: number;
}

export function mapLayer(l: LayerShape, dataflow: Dataflow): GemmMapping {
  const groups = l.groups ?? 1;
  const window = l.Fh * l.Fw * (l.Cin / groups);
  const pixels = l.outputPixels * l.batch;
  const filters = l.filters / groups;
  if (dataflow === 'ws') return { sr: window, sc: filters, t: pixels, groups };
  if (dataflow === 'is') return { sr: window, sc: pixels, t: filters, groups };
  return { sr: pixels, sc: filters, t: window, groups };
}

export interface CycleEstimate extends GemmMapping {
  readonly dataflow: Dataflow;
  readonly rowFolds: number;
  readonly colFolds: number;
  /** groups * rowFolds * colFolds. */
  readonly folds: number;
  readonly cyclesPerFold: number;
  /** folds * cyclesPerFold. */
  readonly cycles: number;
  readonly macs: number;
  /** macs / (R * C * cycles), in (0, 1]. */
  readonly utilization: number;
}

function checkArray(a: ArrayShape): void {
  if (!Number.isSafeInteger(a.rows) || !Number.isSafeInteger(a.cols) || a.rows < 1 || a.cols < 1) {
    throw new UserError(`array ${a.rows}x${a.cols} is not valid; rows and cols must be positive integers`);
  }
}

/** Folds, cycles and utilization of one layer on an R x C array (formulas in the file comment). */
export function systolicCycles(l: LayerShape, a: ArrayShape, dataflow: Dataflow): CycleEstimate {
  checkLayerShape(l);
  checkArray(a);
  const m = mapLayer(l, dataflow);
  const R = a.rows;
  const C = a.cols;
  const rowFolds = Math.ceil(m.sr / R);
  const colFolds = Math.ceil(m.sc / C);
  const folds = m.groups * rowFolds * colFolds;
  const cyclesPerFold = dataflow === 'os' ? R + C + m.t - 2 : 2 * R + C + m.t - 2;
  const cycles = folds * cyclesPerFold;
  const macs = layerMacs(l);
  return { ...m, dataflow, rowFolds, colFolds, folds, cyclesPerFold, cycles, macs, utilization: macs / (R * C * cycles) };
}

/**
 * SRAM operand traffic of the mapping, in elements, as SCALE-Sim v2 counts its
 * demand requests (ifmap_reads, filter_reads, ofmap_writes), times groups:
 *   ws: ifmap = colFolds*T*S_R, filter = S_R*S_C, ofmap = rowFolds*T*S_C
 *   os: ifmap = colFolds*S_R*T, filter = rowFolds*T*S_C, ofmap = S_R*S_C
 *   is: ifmap = S_R*S_C, filter = colFolds*T*S_R, ofmap = rowFolds*T*S_C
 * (SCALE-Sim's os report adds R + C ofmap writes per fold beyond the S_R*S_C
 * outputs; helu-sim counts the outputs only.)
 * In ws and is with rowFolds > 1 each output is produced as rowFolds partial sums:
 * (rowFolds-1)*T*S_C of the ofmap writes are partial sums, each read back once
 * (partialSumReads) to be added to the next fold's result; the last T*S_C writes
 * are final outputs. os keeps the sums in the PEs: every ofmap write is final.
 */
export interface SramTraffic {
  readonly ifmapReads: number;
  readonly filterReads: number;
  readonly outputWrites: number;
  readonly partialSumWrites: number;
  readonly partialSumReads: number;
}

export function sramTraffic(e: CycleEstimate): SramTraffic {
  const g = e.groups;
  if (e.dataflow !== 'os') {
    const partial = g * (e.rowFolds - 1) * e.t * e.sc;
    const streamed = g * e.colFolds * e.t * e.sr;
    const stationary = g * e.sr * e.sc;
    return {
      ifmapReads: e.dataflow === 'ws' ? streamed : stationary,
      filterReads: e.dataflow === 'ws' ? stationary : streamed,
      outputWrites: g * e.t * e.sc,
      partialSumWrites: partial,
      partialSumReads: partial,
    };
  }
  return {
    ifmapReads: g * e.colFolds * e.sr * e.t,
    filterReads: g * e.rowFolds * e.t * e.sc,
    outputWrites: g * e.sr * e.sc,
    partialSumWrites: 0,
    partialSumReads: 0,
  };
}
