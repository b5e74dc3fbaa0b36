// Public API of src/sim: the integer model file, export (quantization), the
// integer engine, the float reference and verification.
export * from './quantize/model.js';
export { validateIntModel } from './quantize/validate.js';
export { loadIntModel, saveIntModel, isIntModelFile, intModelToJson } from './quantize/io.js';
export { MAX_SIM_WIDTH, parseModelFormat, pow2Format, channelFormats, pow2Quant } from './quantize/quant.js';
export { channelBounds, checkExactness, type ChannelBound } from './quantize/exactness.js';
export { runInteger, type RunIntegerOptions, type IntegerRunResult } from './engine/run.js';
export type { ActivationMode } from './engine/scheme.js';
export { runReference, type ReferenceRunResult } from './reference/run.js';
export {
  verifyModel,
  verifyFailure,
  type VerifyReport,
  type VerifyLayerReport,
  type VerifySamples,
  type VerifyOptions,
  type VerifyProgress,
} from './verify/verify.js';
export type { Mismatch } from './verify/compare.js';
export { quantizeModel, type QuantizeOptions } from './quantize/quantize.js';
export { calibrate, type CalibrationMethod, type CalibrationSamples, type TensorRange } from './quantize/calibrate.js';
export { lowerGraph } from './quantize/lower-graph.js';
export type { FloatNet, FLayer } from './quantize/float-net.js';
export { parseQuantConfig, loadQuantConfig, type QuantConfig, type LayerOverride } from './quantize/config.js';
export { rangeFormat, weightFormat, userFormat, DEFAULT_BITS } from './quantize/choose.js';
export { summarizeModel, storedFloatGraph, renderVerifyReport, type ModelSummary, type LayerSummary } from './verify/summary.js';
export { integerModel } from './model-format.js';

export {
  AFFINE_RANGE,
  FUSED_ACTIVATIONS,
  tensorParams as affineTensorParams,
  affineQuant,
  sameAffine,
  dequantizeCodes as affineDequantize,
  type AffineType,
  type Affine8,
  type AffineParams,
  type FloatRescale,
  type AddConstant,
  type AffineExtras,
  type AffineLayer,
  type FusedActivation,
} from './quantize/affine/types.js';
export { checkAffineLayer } from './quantize/affine/validate.js';
export { activationQuant, weightQuant, biasCodes } from './quantize/affine/params.js';
export { quantizeAffine, type AffineQuantizeOptions } from './quantize/affine/export.js';
export { runAffine, runAffineCodes, type AffineRunOptions, type AffineRunResult } from './engine/run.js';
export { runAffineReference, type AffineReferenceOptions, type AffineReferenceResult } from './reference/run.js';
export type { Arithmetic as AffineArithmetic } from './reference/affine/types.js';
export { compareAffineSchemes, type AffineDifferenceReport, type SchemeDiff, type TensorDiff } from './verify/affine-compare.js';
export {
  activationTable as affineActivationTable,
  activationCircuit as affineActivationCircuit,
  circuitIdentity as affineCircuitIdentity,
  type ActivationTable as AffineActivationTable,
} from './engine/affine/table.js';
export * from './importers/quantized-onnx/index.js';
