/**
 * Verilog export: module names, behavioral module writers, lookup tables in
 * .mem/.coe/.mif, self-checking testbenches, and the harness that runs Icarus
 * Verilog, Verilator and Yosys on them.
 *
 * Room order: this room sits above src/activations (the activation export
 * takes an activation's functional model and circuit) and below src/models;
 * the activation library never imports it.
 */
export * from './identifier.js';
export * from './naming.js';
export { memFile, coeFile, mifFile } from './tables.js';
export * from './table-readers.js';
export * from './mif-reader.js';
export * from './module.js';
export * from './vectors.js';
export * from './testbench.js';
export { runIverilog, verilatorLint, ToolError, type ToolOptions } from './simulators.js';
export { runYosysScript, yosysErrorLines, type YosysFiles, type YosysRun, type VerilogDesign } from './yosys.js';
export * from './yosys-gates.js';
export * from './yosys-equiv.js';
export * from './bundle.js';
export * from './export.js';
export { behavioralVerilog, CASE_FALLBACK_MAX_BITS, CASE_ROM_MAX_BITS, type BehavioralForm, type BehavioralModule } from './behavioral.js';
export { structuralVerilog, renameNetlist } from './structural.js';
