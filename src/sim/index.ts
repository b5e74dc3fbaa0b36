// Public API of src/sim: the integer model file, export (quantization), the
// integer engine, the float reference and verification.
export * from './model.js';
export { validateIntModel, registerLayerChecker, type LayerChecker } from './validate.js';
export { loadIntModel, saveIntModel, isIntModelFile, intModelToJson } from './io.js';
export { MAX_SIM_WIDTH, parseModelFormat, pow2Format, channelFormats, pow2Quant } from './quant.js';
export { channelBounds, checkExactness, type ChannelBound } from './exactness.js';
export { runInteger, type RunIntegerOptions, type IntegerRunResult } from './engine/run.js';
export type { ActivationMode } from './engine/activation.js';
export { runReference, type ReferenceRunResult } from './reference/run.js';
export {
  verifyModel, verifyFailure, type VerifyReport, type VerifyLayerReport, type VerifySamples, type VerifyOptions, type VerifyProgress,
} from './verify.js';
export type { Mismatch } from './compare.js';
export { quantizeModel, type QuantizeOptions } from './export/quantize.js';
export { calibrate, type CalibrationMethod, type CalibrationSamples, type TensorRange } from './export/calibrate.js';
export { lowerGraph } from './export/lower-graph.js';
export type { FloatNet, FLayer } from './export/float-net.js';
export { parseQuantConfig, loadQuantConfig, type QuantConfig, type LayerOverride } from './export/config.js';
export { rangeFormat, weightFormat, userFormat, DEFAULT_BITS } from './export/choose.js';
export { summarizeModel, storedFloatGraph, renderVerifyReport, type ModelSummary, type LayerSummary } from './summary.js';
export { integerModel } from './model-format.js';
export * from './affine/index.js';
export * from './importers/quantized-onnx/index.js';
