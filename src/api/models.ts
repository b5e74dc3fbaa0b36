/**
 * helu-sim/models: the float network graph, float inference, data sets,
 * training (TF.js, loaded when training starts) and model files (ONNX,
 * TensorFlow.js layers, helu-sim's graph JSON).
 */
export type { Graph, GraphDef, GraphNode, Tensor, TensorInfo, OpKind } from '../models/graph.js';
export { sizeOf, shapeOf, graphInput, tensor, OP_KINDS } from '../models/graph.js';
export { buildGraph } from '../models/shapes.js';
export { runFloat, macsPerSample, type Precision, type RunOptions as FloatRunOptions, type FloatRunResult } from '../models/infer.js';
export { importOnnx, loadOnnx, ONNX_OPSETS } from '../models/onnx/import.js';
export { exportOnnx, EXPORT_OPSET } from '../models/onnx/export.js';
export {
  loadModel,
  loadGraph,
  saveGraph,
  MODEL_FORMATS_HELP,
  type LoadedModel,
  type ModelLoadOptions,
  type ModelRunResult,
} from '../models/load.js';
export { graphToJson, graphFromJson } from '../models/formats/native.js';
export { loadTfjsModel } from '../models/formats/tfjs.js';
export { splitOf, type Dataset, type DataSplit, type SplitName } from '../models/datasets/types.js';
export { loadDataset, loadDigits, DATASET_HELP, type DatasetOptions } from '../models/datasets/index.js';
export { loadCsv, type CsvOptions } from '../models/datasets/csv.js';
export { readNpy, readNpz, type NumpyArray } from '../models/datasets/npy.js';
export { evaluateGraph, accuracyOf, type Accuracy, type EvalOptions } from '../models/evaluate.js';
export { planArchitecture, ARCH_HELP, type LayerSpec } from '../models/train/arch.js';
export { train, type TrainOptions, type TrainResult, type EpochRecord, type ProgressCallback } from '../models/train/train.js';
