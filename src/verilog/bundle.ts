import { checkModuleName } from './identifier.js';
import { coeFile, memFile, mifFile } from './tables.js';
import { testbench } from './testbench.js';
import { selectVectors, type VectorOptions, type VectorSelection } from './vectors.js';

export interface ExportSpec {
  /** Module name (checked); file names derive from it. */
  readonly name: string;
  /** Input format's signedness (chooses the edge cases) and widths. */
  readonly signed: boolean;
  readonly inWidth: number;
  readonly outWidth: number;
  /** Register ranks of the module (testbench latency); default 0. */
  readonly pipeline?: number;
  /** Text of module `name` (behavioral or structural). */
  readonly moduleText: string;
  /** Raw output pattern per raw input pattern, for table-based units: adds .mem, .coe and .mif. */
  readonly table?: readonly bigint[];
  /** Comment lines for the .coe and .mif headers. */
  readonly tableComment?: readonly string[];
  /** The golden model: raw input pattern -> raw output pattern. */
  readonly golden: (xRaw: bigint) => bigint;
  readonly vectors?: VectorOptions;
}

export interface ExportBundle {
  /** File name -> content: `<name>.v`, `<name>_tb.v`, `<name>_tb.mem`, and for tables `<name>.mem|.coe|.mif`. */
  readonly files: Map<string, string>;
  /** Which vectors the testbench applies (method, count, seed). */
  readonly vectors: { method: VectorSelection['method']; count: number; seed?: number; edgeCases?: number };
  /** Testbench top module, `<name>_tb`. */
  readonly testbenchTop: string;
}

/**
 * Every file of one exported unit, produced in memory so the caller can write
 * them with writeFilesAtomic (nothing is written if anything here throws).
 * Golden outputs come from `golden` on the vectors chosen by selectVectors.
 */
export function exportFiles(spec: ExportSpec): ExportBundle {
  const name = checkModuleName(spec.name);
  const sel = selectVectors({ signed: spec.signed, width: spec.inWidth }, spec.vectors);
  const outputs = sel.inputs.map((x) => spec.golden(x));
  const tb = testbench({ name, inWidth: spec.inWidth, outWidth: spec.outWidth, latency: spec.pipeline ?? 0, inputs: sel.inputs, outputs });
  const files = new Map<string, string>([
    [`${name}.v`, spec.moduleText],
    [tb.verilogFile, tb.verilog],
    [tb.vectorFile, tb.vectors],
  ]);
  if (spec.table) {
    files.set(`${name}.mem`, memFile(spec.table, spec.outWidth));
    files.set(`${name}.coe`, coeFile(spec.table, spec.outWidth, spec.tableComment));
    files.set(`${name}.mif`, mifFile(spec.table, spec.outWidth, spec.tableComment));
  }
  const vectors = {
    method: sel.method,
    count: sel.inputs.length,
    ...(sel.seed !== undefined ? { seed: sel.seed, edgeCases: sel.edgeCases } : {}),
  };
  return { files, vectors, testbenchTop: tb.top };
}
