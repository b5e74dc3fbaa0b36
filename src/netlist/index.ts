export * from './ir.js';
export * from './builder.js';
export * from './bits.js';
export { add, subtract, negate, increment, fullAdder, type AdderStyle } from './generators/adder.js';
export { lessThan, equalBits, compareConst, andTree, orTree, type CompareOp } from './generators/compare.js';
export { muxBits, gateBits } from './generators/mux.js';
export { shiftLeftConst, shiftRightConst, barrelShift } from './generators/shift.js';
export { sumRows } from './generators/rows.js';
export { multiply, traceMultipliers, type MultiplierTrace } from './generators/multiply.js';
export { multiplyConst, multiplyConstWidth, csdDigits } from './generators/multiplyConst.js';
export { rom } from './generators/rom.js';
export { convertBits, roundUp } from './generators/convert.js';
export { simulateVectors, type SimulateOptions, type SimulateResult } from './sim/simulate.js';
export { simulateCycles } from './sim/cycles.js';
export {
  checkAgainstModel,
  checkExhaustive,
  edgeAndRandomPatterns,
  type RawModel,
  type EquivalenceOptions,
  type EquivalenceResult,
} from './sim/equivalence.js';
export { compileKernel, type Kernel, type KernelSpec } from './sim/kernel.js';
export { interpretKernel } from './sim/interp.js';
export { makeKernel, AUTO_COMPILE_WORDS, type SimEngine } from './sim/engine.js';
export { schedule as netlistSchedule, type Schedule } from './sim/schedule.js';
export { transpose32, popcount32 } from './sim/transpose.js';
export { VectorRng } from './sim/random.js';
export { loadTech, validateTech, BUILTIN_TECHS, type Tech, type CellTech } from './cost/tech.js';
export { costOf, energyPerOpFj, staticTiming, CMOS_TRANSISTORS, type CostReport } from './cost/cost.js';
export { pipeline } from './pipeline.js';
export { toYosysJson, fromYosysJson } from './io/yosysJson.js';
export { toStructuralVerilog } from './io/verilog.js';
export { isVerilogIdentifier, sanitizeIdentifier } from './io/identifiers.js';
