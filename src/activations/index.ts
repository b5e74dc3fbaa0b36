// Public API of src/activations: the float functions, one registry of
// activations (float function, fixed-point model, circuit), and their reports.
export * from './float.js';
export * from './types.js';
export { PRECOMPUTE_MAX_BITS, FUNCTIONAL_MAX_BITS } from './common.js';
export * from './formats.js';
export { quantizeSlope, SLOPE_BITS, DEFAULT_LEAKY_SLOPE, type DyadicSlope } from './leaky.js';
export { clampBounds } from './clamp.js';
export { TABLE_INDEX_MAX_BITS, tableIndexShift, tableEntries } from './table.js';
export * from './registry.js';
export * from './describe.js';
export * from './render.js';
