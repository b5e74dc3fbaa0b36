/**
 * Step 4: Verilog of the network's activation unit (HeLU, logic) and of the
 * table-based GELU unit between the same formats: the module, its lookup
 * table (.mem, .coe, .mif; GELU only), a self-checking testbench with golden
 * vectors from the functional model, and the summary JSON, under verilog/.
 */
import { parseFormat } from '../fixedpoint/index.js';
import { exportActivation, type VerilogExportSummary } from '../verilog/index.js';
import type { DemoOptions } from './types.js';

export const DEMO_VERILOG = ['helu', 'gelu'] as const;
export const VERILOG_DIR = 'verilog';

export interface VerilogStep {
  summaries: VerilogExportSummary[];
  /** Relative path ('verilog/<file>') -> content. */
  files: Map<string, string>;
  seconds: number;
}

export function verilogStep(unit: { input: string; output: string }, opts: DemoOptions): VerilogStep {
  const t0 = Date.now();
  const files = new Map<string, string>();
  const summaries = DEMO_VERILOG.map((activation, i) => {
    opts.onProgress?.('verilog', i, DEMO_VERILOG.length, activation);
    const exp = exportActivation({ activation, in: parseFormat(unit.input), out: parseFormat(unit.output) });
    for (const [name, text] of exp.files) files.set(`${VERILOG_DIR}/${name}`, text);
    return exp.summary;
  });
  opts.onProgress?.('verilog', DEMO_VERILOG.length, DEMO_VERILOG.length, 'done');
  return { summaries, files, seconds: (Date.now() - t0) / 1000 };
}
