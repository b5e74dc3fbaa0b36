import { renderActivationTable, unitVerificationText, type ActivationReport } from '../activations/index.js';
import { UserError, VerificationFailure } from '../errors.js';
import { activationUnit } from '../hardware/network/activation-unit.js';
import { loadTech } from '../netlist/index.js';
import { loadIntegerModel } from '../sim/importers/load.js';
import { printJson } from './common.js';
import { modelActivationSpecs } from './verilog-model.js';

/**
 * `helu-sim activation --model <file>`: every activation unit of a model
 * (an integer model, a quantized ONNX or QONNX file) built, verified against
 * its model and costed, as `cost` builds them: pow2 units are the
 * activation's circuit between the layer's formats, affine units the
 * 256-entry table ROM between the two 8-bit tensors.
 */
export function runModelActivations(path: string, o: { tech: string; json: boolean }): void {
  const units = [...modelActivationSpecs(loadIntegerModel(path)).values()];
  if (!units.length)
    throw new UserError(`'${path}' has no activation layers: its activations are fused into the requantization of its dense/conv layers`);
  const tech = loadTech(o.tech);
  const reports = units.map((u) => activationUnit(u.spec, o.tech, tech).report as ActivationReport);
  if (o.json) printJson(reports.map((r, i) => ({ ...r, layers: units[i]!.layers })));
  else process.stdout.write(renderActivationTable(reports));
  const bad = reports.filter((r) => r.verification.mismatches > 0);
  if (bad.length) throw new VerificationFailure(bad.map((r) => `${r.activation}: ${unitVerificationText(r.verification)}`).join('; '));
}
