/**
 * helu-sim/netlist: the gate-level IR (Yosys gate cells, one gate table),
 * the circuit builder and generators, bit-parallel simulation, equivalence
 * checks, cost with technology files, and the Yosys JSON / Verilog writers.
 * The kernel compilers behind simulation are internal.
 */
export { Netlist, GATE_TYPES, ZERO, ONE, type GateType, type Bit, type Cell, type Port } from '../netlist/ir.js';
export { GATES, gateInfo, type GateInfo } from '../netlist/gates.js';
export { CircuitBuilder, prune } from '../netlist/builder.js';
export { constBits, signExtend, zeroExtend } from '../netlist/bits.js';
export { add, subtract, negate, increment, fullAdder, type AdderStyle } from '../netlist/generators/adder.js';
export { lessThan, equalBits, compareConst, andTree, orTree, type CompareOp } from '../netlist/generators/compare.js';
export { muxBits } from '../netlist/generators/mux.js';
export { shiftLeftConst, shiftRightConst, barrelShift } from '../netlist/generators/shift.js';
export { multiply } from '../netlist/generators/multiply.js';
export { multiplyConst } from '../netlist/generators/multiplyConst.js';
export { rom } from '../netlist/generators/rom.js';
export { convertBits } from '../netlist/generators/convert.js';
export { simulateVectors, type SimulateOptions, type SimulateResult } from '../netlist/sim/simulate.js';
export { simulateCycles } from '../netlist/sim/cycles.js';
export {
  checkAgainstModel,
  checkExhaustive,
  type RawModel,
  type EquivalenceOptions,
  type EquivalenceResult,
} from '../netlist/sim/equivalence.js';
export { loadTech, BUILTIN_TECHS, type Tech, type CellTech } from '../netlist/cost/tech.js';
export { costOf, staticTiming, type CostReport } from '../netlist/cost/cost.js';
export { pipeline } from '../netlist/pipeline.js';
export { toYosysJson, fromYosysJson } from '../netlist/io/yosysJson.js';
export { toStructuralVerilog } from '../netlist/io/verilog.js';
