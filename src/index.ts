/**
 * helu-sim's package root: what the README's library example and its "other
 * entry points" use. Each area has its own subpath with a fuller surface
 * (helu-sim/fixedpoint, /netlist, /activations, /models, /sim, /hardware,
 * /verilog, /testing; src/api/*.ts): generic names (quantize, convert,
 * train, compile) live there, under their area. Nothing here loads Vega,
 * TF.js, Yosys or onnx-proto until a function that needs them runs; the
 * package serves these entry points bundled (rolldown.config.mjs).
 */
export { UserError, VerificationFailure } from './errors.js';
export {
  parseFormat,
  formatToString,
  quantizeNumber,
  requantize,
  makeRequantizer,
  ROUNDINGS,
  OVERFLOWS,
  REQUANT_SCHEMES,
  type FixedFormat,
  type Rounding,
  type Overflow,
  type RequantScheme,
  type RequantParams,
} from './api/fixedpoint.js';
export {
  getActivation,
  describeActivation,
  parseActivation,
  activationToString,
  type ActivationSpec,
  type ActivationDef,
} from './api/activations.js';
export {
  loadOnnx,
  exportOnnx,
  loadGraph,
  saveGraph,
  loadDataset,
  splitOf,
  runFloat,
  type Graph,
  type Dataset,
  type DataSplit,
} from './api/models.js';
export {
  quantizeModel,
  quantizeAffine,
  saveIntModel,
  loadIntModel,
  loadIntegerModel,
  runInteger,
  runReference,
  verifyModel,
  type IntModel,
  type Pow2Model,
  type AffineModel,
  type VerifyReport,
} from './api/sim.js';
export { costNetwork, type NetworkCostReport } from './api/hardware.js';
export { exportActivation, writeActivationExport } from './api/verilog.js';
