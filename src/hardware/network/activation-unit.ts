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
import { circuitReport, describeActivation, getActivation, verificationOf, type ActivationReport } from '../../activations/index.js';
import { parseFormat } from '../../fixedpoint/index.js';
import type { RequantScheme } from '../../fixedpoint/requant.js';
import { checkAgainstModel, type Netlist, type Tech } from '../../netlist/index.js';
import { activationCircuit, activationTable } from '../../sim/engine/affine/table.js';
import { tensorParams } from '../../sim/quantize/affine/types.js';
import type { TensorQuant } from '../../sim/quantize/model.js';
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

/** The unit's circuit: the activation's circuit between pow2 formats, or the affine 256-entry table ROM. */
export function activationUnitCircuit(s: ActivationUnitSpec): Netlist {
  if (s.in.kind === 'pow2' && s.out.kind === 'pow2') {
    const def = getActivation(s.activation);
    return def.circuit(parseFormat(s.in.format), parseFormat(s.out.format));
  }
  const inP = tensorParams(s.in, 'in');
  const outP = tensorParams(s.out, 'out');
  return activationCircuit(s.activation, activationTable(s.activation, inP, outP, s.requant ?? 'onnxruntime'), inP, outP);
}

function affineReport(s: ActivationUnitSpec, tech: Tech): ActivationReport {
  const inP = tensorParams(s.in, 'in');
  const outP = tensorParams(s.out, 'out');
  const table = activationTable(s.activation, inP, outP, s.requant ?? 'onnxruntime');
  const net = activationCircuit(s.activation, table, inP, outP);
  const v = checkAgainstModel(net, (xRaw) => table.codes[xRaw]! & 0xff);
  return circuitReport(net, tech, {
    activation: s.activation,
    input: quantText(s.in),
    output: quantText(s.out),
    inWidth: 8,
    cycles: 0,
    romBits: 256 * 8,
    verification: verificationOf(v),
  });
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
