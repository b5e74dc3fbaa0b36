// Network-level cost: MAC datapath and requantization units from helu-sim's own circuits, IntModel -> accelerator estimate.
export * from './circuit.js';
export * from './stimulus.js';
export * from './mac.js';
export * from './requant.js';
export * from './tech.js';
export * from './activation-unit.js';
export * from './layers.js';
export * from './network.js';
export * from './activation-whatif.js';
export * from './activation-toggles.js';
export * from './pe-toggles.js';
export * from './energy-breakdown.js';
