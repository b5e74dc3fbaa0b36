/**
 * helu-sim/sim: the integer model (pow2 fixed point or affine int8),
 * quantization of a float graph into it, the integer engine, the independent
 * float reference, verification, and importers of quantized ONNX and QONNX
 * files.
 */
export type {
  IntModel,
  Pow2Model,
  AffineModel,
  IntScheme,
  IntLayer,
  IntOp,
  IntInput,
  TensorQuant,
  Pow2Quant,
  AffineQuant,
  WeightQuant,
  DenseLayer,
  ConvLayer,
  PoolLayer,
  GlobalAvgPoolLayer,
  FlattenLayer,
  ReshapeLayer,
  TransposeLayer,
  AddLayer,
  ConcatLayer,
  ActivationLayer,
  Accumulator,
  LayerEvents,
} from '../sim/quantize/model.js';
export { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, INT_OPS } from '../sim/quantize/model.js';
export { validateIntModel } from '../sim/quantize/validate.js';
export { loadIntModel, saveIntModel, intModelToJson } from '../sim/quantize/io.js';
export { loadIntegerModel, loadAnyModel, modelFileKind, type ModelFileKind } from '../sim/importers/load.js';
export { quantizeModel, type QuantizeOptions } from '../sim/quantize/quantize.js';
export { quantizeAffine, type AffineQuantizeOptions } from '../sim/quantize/affine/export.js';
export { parseQuantConfig, loadQuantConfig, type QuantConfig, type LayerOverride } from '../sim/quantize/config.js';
export { compile, CompiledModel, type IntegerRunResult, type RunOptions } from '../sim/engine/compile.js';
export {
  runInteger,
  runAffine,
  runAffineCodes,
  type RunIntegerOptions,
  type AffineRunOptions,
  type AffineRunResult,
} from '../sim/engine/run.js';
export type { ActivationMode } from '../sim/engine/scheme.js';
export {
  runReference,
  runAffineReference,
  type ReferenceRunResult,
  type AffineReferenceOptions,
  type AffineReferenceResult,
} from '../sim/reference/run.js';
export {
  verifyModel,
  type VerifyReport,
  type VerifyLayerReport,
  type VerifySamples,
  type VerifyOptions,
  type VerifyProgress,
} from '../sim/verify/verify.js';
export type { Mismatch } from '../sim/verify/compare.js';
export { compareAffineSchemes, type AffineDifferenceReport } from '../sim/verify/affine-compare.js';
export { summarizeModel, type ModelSummary, type LayerSummary } from '../sim/verify/summary.js';
export { importQuantizedOnnx } from '../sim/importers/quantized-onnx/import.js';
export { importQonnx } from '../sim/importers/qonnx/import.js';
