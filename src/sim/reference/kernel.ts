import type { LayerEvents } from '../quantize/model.js';

/**
 * A layer of the float reference: input tensors (batch-major float64; what a
 * tensor holds is the scheme's choice: pow2 the real values, affine the codes
 * its ONNX definitions produce) -> output tensor; saturation and wrap events
 * found by the reference's own logic are added to ev.
 */
export type RefKernel = (ins: Float64Array[], batch: number, ev: LayerEvents) => Float64Array;
