// Import of already-quantized ONNX models (QDQ and QOperator) as affine integer models.
export { importQuantizedOnnx, loadQuantizedOnnx } from './import.js';
export { isQuantizedOnnx } from './read.js';
