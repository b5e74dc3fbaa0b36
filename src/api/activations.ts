/**
 * helu-sim/activations: every activation as a float function, a fixed-point
 * model and a gate-level circuit (one registry), and the unit report
 * (verification, cost) the `activation` command prints.
 */
export {
  ACTIVATION_KINDS,
  ACTIVATION_SYNTAX,
  DEFAULT_ALPHA,
  parseActivation,
  normalizeActivation,
  activationToString,
  activationFloat,
  activationGrad,
  type ActivationKind,
  type ActivationSpec,
  type PartialActivationSpec,
} from '../activations/float.js';
export type { ActivationDef, ActivationReport, UnitVerification, ActivationFamily } from '../activations/types.js';
export { getActivation, allActivations, ACTIVATION_NAMES } from '../activations/registry.js';
export { describeActivation, describeActivations, type DescribeOptions } from '../activations/describe.js';
export { parseOutputFormat } from '../activations/formats.js';
export { quantizeSlope, SLOPE_BITS, DEFAULT_LEAKY_SLOPE, type DyadicSlope } from '../activations/leaky.js';
