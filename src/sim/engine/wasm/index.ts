/*
 * WebAssembly SIMD128 kernels (built from ./assembly by `npm run build`):
 * exact integer GEMM on int16 operands (int32 accumulation), a wide exact
 * GEMM (int32 operands, int64 accumulation), a float64 GEMM with a fixed
 * summation order, and int16 convolution (im2col + GEMM). Synchronous; each
 * thread (worker_threads) instantiates its own module and memory. Exact
 * guarantees and layouts: docs/kernels.md.
 */
export { packWeightsI16, type PackedI16 } from './pack-i16.js';
export { packWeightsI32, packWeightsF64, type PackedI32, type PackedF64 } from './pack-wide.js';
export type { WeightLayout } from './packed.js';
export { gemmI16 } from './gemm-i16.js';
export { gemmWide, gemmF64 } from './gemm-wide.js';
export { convI16 } from './conv-i16.js';
export { convWide } from './conv-wide.js';
export { convF64 } from './conv-f64.js';
export {
  convOutputShape,
  prepareConvF64,
  prepareConvI16,
  prepareConvI32,
  type ConvGeometry,
  type ConvWeights,
  type ConvWeightsF64,
  type ConvWeightsI16,
  type ConvWeightsI32,
} from './conv-weights.js';
export { exactGemmPath, type ExactPath } from './choose.js';
