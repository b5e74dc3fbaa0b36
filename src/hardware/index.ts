// Public API of src/hardware: per-layer and accelerator cost models.
export * from './layer.js';
export * from './systolic.js';
export * from './figures.js';
export * from './energy.js';
export * from './tech-figures.js';
export * from './memory.js';
export * from './units.js';
export * from './accelerator-types.js';
export * from './accelerator.js';
export * from './whatif.js';
export * from './network/index.js';
export * from './verilog/index.js';
export * from './synth/index.js';
export * from './dram.js';
