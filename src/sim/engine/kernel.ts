import type { LayerEvents } from '../model.js';

/**
 * A compiled layer: input code arrays (batch-major, exact integers in
 * doubles) -> output code array; saturation and wrap events are added to ev.
 */
export type IntKernel = (ins: Float64Array[], batch: number, ev: LayerEvents) => Float64Array;
