/** helu-sim library API: every room's public surface. */
export * from './errors.js';
export * from './random.js';
export * from './fixedpoint/index.js';
export * from './netlist/index.js';
export * from './verilog/index.js';
export * from './activations/index.js';
export * from './models/index.js';
export * from './sim/index.js';
export * from './hardware/index.js';
export * from './report/index.js';
export * from './demo/index.js';
export * from './study/index.js';
