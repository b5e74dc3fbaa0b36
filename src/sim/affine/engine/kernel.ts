import type { LayerEvents } from '../../model.js';

/** One compiled layer: input code tensors (batched, batch-major) -> output codes; events counted into ev. */
export type Kernel = (ins: readonly Int32Array[], batch: number, ev: LayerEvents) => Int32Array;
