// Static timing of mapped netlists lives with the mapper (src/netlist/synth).
export * from '../../netlist/synth/mapped-timing.js';
