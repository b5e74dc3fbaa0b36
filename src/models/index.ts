// Public API of src/models: network graph, float inference, datasets,
// training, ONNX / TensorFlow.js / native model files.
export * from './graph.js';
export { buildGraph, inferShape, broadcastShapes } from './shapes.js';
export { windowOutput, samePads } from './window.js';
export { runFloat, runFloat64, runFloat32, macsPerSample, type Precision, type RunOptions, type FloatRunResult } from './infer.js';
export { fuseMatMulBias, pruneUnused } from './passes.js';
export { importOnnx, loadOnnx, ONNX_OPSETS, TRAINED_ACTIVATION_KEY } from './onnx/import.js';
export { exportOnnx, EXPORT_OPSET } from './onnx/export.js';
export * from './datasets/index.js';
export { deadFraction } from './dead.js';
export { evaluateGraph, accuracyOf, argmaxRow, type Accuracy, type EvalOptions } from './evaluate.js';
export { planArchitecture, ARCH_HELP, type LayerSpec, type PlannedLayer } from './train/arch.js';
export { train, type TrainOptions, type TrainResult, type EpochRecord, type ProgressCallback } from './train/train.js';
export { trainedToGraph, type LayerWeights, type ExportInfo } from './train/to-graph.js';
export { loadTf, type TfRuntime } from './train/tf.js';
export { tfActivation } from './train/activation-tf.js';
export {
  loadModel,
  loadGraph,
  saveGraph,
  floatModel,
  MODEL_FORMATS_HELP,
  type LoadedModel,
  type ModelFormat,
  type ModelLoadOptions,
  type ModelRunResult,
} from './load.js';
export { loadTfjsModel } from './formats/tfjs.js';
export { graphToJson, graphFromJson, NATIVE_FORMAT, NATIVE_VERSION } from './formats/native.js';
export { defaultNormalization, type Normalization } from './train/data-tf.js';
