/**
 * Proofs that an activation unit equals its fixed-point model for every
 * input: helu-sim's own circuits and users' Verilog units, by bit-parallel
 * enumeration or by a Yosys SAT proof against the behavioral Verilog of the
 * model, with checked counterexamples.
 *
 * The processing element and the requantization units are proven the
 * same way, decomposed at their multipliers (pe.ts, pe-staged.ts,
 * requant-affine.ts; the multiplier by its carry-save stages,
 * multiplier-stages.ts).
 *
 * Room order: above src/hardware (the PE and requantization units) and
 * src/verilog (the specification is the behavioral
 * Verilog; Yosys runs through src/verilog) and src/activations; below
 * src/models and the CLI.
 */
export * from './types.js';
export { proveNetlist, proveActivation, proveRtl, chooseMethod, ENUMERATION_BUDGET_SECONDS } from './prove.js';
export { enumerationSeconds, enumerationWidth, ENUMERATION_MAX_BITS, NS_PER_INPUT, NS_PER_CELL_INPUT } from './enumerate.js';
export { inputSupport, modelIgnoredLowBits, enumeratedLowBits, netlistView } from './support.js';
export { specDesign, SPEC_TOP, type SpecDesign } from './spec.js';
export { exactDecimal, checkedCounterexample } from './counterexample.js';
export { evaluateOnce } from './evaluate.js';
export { loadUserRtl, loadUserUnit, type UserRtl, type ExpectedPort } from './user-rtl.js';
export { checkPipelineRanks, transparentCopy } from './registers.js';
export { describeProvenActivations, writeProvenActivationExport, proofVerification } from './units.js';
export * from './unit-types.js';
export { provePe, provePeNetlist, provePeRtl } from './pe.js';
export { provePeStaged } from './pe-staged.js';
export { proveAffineRequant, proveAffineRequantNetlist, proveAffineRequantRtl } from './requant-affine.js';
export { proveMultiplierStages, withTraceCells, type MultiplierPorts } from './multiplier-stages.js';
export { proveRequant, proveRequantNetlist, proveRequantRtl } from './requant.js';
export { peModel } from './pe-model.js';
export { frontCut, backNetlist, portSupport, type Cut } from './cut.js';
export { mapFront, FRONT_MAX_BITS, type FrontMapping, type BitMap } from './front.js';
export { evaluatePorts } from './evaluate.js';
