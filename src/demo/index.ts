// Public API of src/demo: the end-to-end demo (train, export, verify, cost, Verilog, report).
export * from './types.js';
export { runDemo, demoFailure, REPORT_MD, REPORT_JSON, MODEL_FILE, ONNX_FILE, MAX_DEMO_EPOCHS } from './run.js';
export { DEMO_ARCH, DEMO_EPOCHS, DEMO_SEED, demoHiddenLayers } from './train-step.js';
export { DEMO_BITS, activationUnits } from './verify-step.js';
export { DEMO_ACTIVATIONS, DEMO_SWAP } from './cost-step.js';
export { DEMO_VERILOG, VERILOG_DIR } from './verilog-step.js';
export { FIGURES, TRANSFER_RANGE, transferData, activationLabel, renderFigures } from './figures.js';
export { renderReportMarkdown } from './report-md.js';
export { headerText, trainingText, verificationText, activationCostText, costText, verilogText, reportText } from './summary.js';
