// Synthesis in the loop: generated Liberty library, Yosys + ABC mapping, figures read back.
export * from './yosys-synth.js';
export * from './mapped-timing.js';
export * from './compare.js';
export * from './network-units.js';
