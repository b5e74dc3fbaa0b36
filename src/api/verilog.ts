/**
 * helu-sim/verilog: an activation unit as Verilog (behavioral or structural)
 * with its lookup tables and a self-checking testbench, and the runners of
 * Icarus Verilog, Verilator and Yosys (loaded when run) on such files.
 */
export {
  exportActivation,
  writeActivationExport,
  VERILOG_STYLES,
  type VerilogStyle,
  type VerilogExportOptions,
  type VerilogExport,
  type VerilogExportSummary,
} from '../verilog/export.js';
export { memFile, coeFile, mifFile } from '../verilog/tables.js';
export { testbench, testbenchVerdict, type TestbenchSpec, type TestbenchFiles } from '../verilog/testbench.js';
export { runIverilog, verilatorLint, ToolError, type ToolOptions } from '../verilog/simulators.js';
export { runYosysScript, type YosysRun } from '../verilog/yosys.js';
