// Verilog export of the processing element and the requantization units.
export * from './golden.js';
export * from './stimulus.js';
export { peRtl } from './pe-rtl.js';
export { requantRtl } from './requant-rtl.js';
export * from './unit-export.js';
