/**
 * The activation unit of an activation layer, as the accelerator model's
 * shared unit carrying the activation command's JSON.
 *
 * pow2 layers: describeActivation of the layer's activation between its input
 * and output formats (the circuit the integer engine simulates in gate mode).
 * affine layers: the 256-entry table between the two 8-bit affine tensors as a
 * ROM (sim/affine/table.ts, the circuit the affine engine simulates), costed and
 * verified against its table the same way, in a report of the same shape.
 */
import { describeActivation, energyStream, type ActivationReport } from '../../activations/index.js';
import { parseFormat } from '../../fixedpoint/index.js';
import type { RequantScheme } from '../../fixedpoint/requant.js';
import { checkAgainstModel, costOf, energyPerOpFj, simulateVectors, type Tech } from '../../netlist/index.js';
import { activationCircuit, activationTable } from '../../sim/affine/table.js';
import { tensorParams } from '../../sim/affine/types.js';
import type { TensorQuant } from '../../sim/model.js';
import type { SharedUnit } from '../accelerator-types.js';

export interface ActivationUnitSpec {
  /** activationToString text, e.g. 'helu', 'leakyrelu:0.125'. */
  readonly activation: string;
  readonly in: TensorQuant;
  readonly out: TensorQuant;
  /** Rounding rule of affine tables (the model's requantization scheme). */
  readonly requant?: RequantScheme;
}

function quantText(q: TensorQuant): string {
  return q.kind === 'pow2' ? q.format : `${q.type} scale=${q.scale.join(',')} zp=${q.zeroPoint.join(',')}`;
}

export function activationUnitKey(s: ActivationUnitSpec): string {
  return `${s.activation} ${quantText(s.in)} -> ${quantText(s.out)}`;
}

function affineReport(s: ActivationUnitSpec, tech: Tech): ActivationReport {
  const inP = tensorParams(s.in, 'in');
  const outP = tensorParams(s.out, 'out');
  const table = activationTable(s.activation, inP, outP, s.requant ?? 'onnxruntime');
  const net = activationCircuit(s.activation, table, inP, outP);
  const cost = costOf(net, tech);
  const v = checkAgainstModel(net, (xRaw) => table.codes[xRaw]! & 0xff);
  const xs = energyStream(8);
  const sim = simulateVectors(net, { x: xs }, xs.length, { toggles: true });
  return {
    activation: s.activation,
    input: quantText(s.in),
    output: quantText(s.out),
    cells: cost.cells,
    gates: cost.gates,
    transistors: cost.transistors,
    nand2Equivalents: cost.nand2Equivalents,
    depth: cost.depth,
    delayPs: cost.delayPs,
    cycles: 0,
    areaUm2: cost.areaUm2,
    energyFjPerOp: energyPerOpFj(net, sim.toggles!, xs.length, tech),
    romBits: 256 * 8,
    verification: { method: v.method, vectors: v.vectors, mismatches: v.mismatches },
  };
}

/**
 * Builds, costs and verifies the unit. `techArg` is the technology name or
 * file (describeActivation loads it itself); `tech` the same, loaded.
 */
export function activationUnit(s: ActivationUnitSpec, techArg: string, tech: Tech): SharedUnit {
  let report: ActivationReport;
  if (s.in.kind === 'pow2' && s.out.kind === 'pow2') {
    report = describeActivation(s.activation, parseFormat(s.in.format), parseFormat(s.out.format), { tech: techArg });
  } else {
    report = affineReport(s, tech);
  }
  return {
    key: activationUnitKey(s),
    areaUm2: report.areaUm2,
    delayPs: report.delayPs,
    energyPjPerOp: report.energyFjPerOp / 1000,
    cycles: report.cycles,
    report,
  };
}
