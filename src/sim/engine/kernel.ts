import type { LayerEvents } from '../quantize/model.js';

/**
 * A compiled layer of either scheme: input code tensors (batch-major, exact
 * integers held in doubles) -> output codes; saturation and wrap events are
 * added to ev. One representation for pow2 (codes up to 53 bits) and affine
 * (8-bit codes) lets every scheme share the driver and the geometry.
 */
export type Kernel = (ins: readonly Float64Array[], batch: number, ev: LayerEvents) => Float64Array;
