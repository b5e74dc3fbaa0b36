/**
 * helu-sim/hardware: the cost of an integer model on a systolic array
 * (activation and requantization units, MAC datapaths, SRAM, DRAM), layer
 * cycle estimates, and the PE / requantization units as Verilog.
 */
export {
  costNetwork,
  DEFAULT_ARRAY,
  DEFAULT_DATAFLOW,
  DEFAULT_TECH,
  type NetworkCostOptions,
  type NetworkCostReport,
  type NetworkLayerReport,
} from '../hardware/network/network.js';
export {
  systolicCycles,
  sramTraffic,
  parseArray,
  parseDataflow,
  DATAFLOWS,
  type ArrayShape,
  type Dataflow,
  type CycleEstimate,
} from '../hardware/systolic.js';
export { denseShape, convShape, layerMacs, type LayerShape } from '../hardware/layer.js';
export { estimateAccelerator } from '../hardware/accelerator.js';
export type { AcceleratorOptions, AcceleratorReport, LayerCostInput, LayerCostReport } from '../hardware/accelerator-types.js';
export { exportPe, exportRequant, writeUnitExport, type UnitExport, type UnitExportOptions } from '../hardware/verilog/unit-export.js';
