import {
  EXHAUSTIVE_MAX_BITS,
  FUNCTIONAL_MAX_BITS,
  getActivation,
  rawModel,
  tableIndexShift,
  UNIT_MAX_BITS,
  verificationOf,
  type ActivationDef,
  type ActivationSpec,
  type UnitVerification,
} from '../activations/index.js';
import { UserError, VerificationFailure } from '../errors.js';
import { bitsToCode, codeToBits, formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { checkWritableDir, writeFilesAtomic } from '../io/atomic.js';
import { checkAgainstModel, costOf, loadTech, pipeline, type Netlist, type Tech } from '../netlist/index.js';
import { behavioralVerilog, CASE_ROM_MAX_BITS, type BehavioralForm } from './behavioral.js';
import { exportFiles, type ExportBundle } from './bundle.js';
import { checkModuleName } from './identifier.js';
import type { RomStyle } from './module.js';
import { moduleName } from './naming.js';
import { structuralVerilog } from './structural.js';
import type { VectorOptions } from './vectors.js';

export type VerilogStyle = 'behavioral' | 'structural';
export const VERILOG_STYLES: readonly VerilogStyle[] = ['behavioral', 'structural'];

export interface VerilogExportOptions {
  /** Activation name ('helu', 'leakyrelu:0.01') or spec; UserError when unknown. */
  readonly activation: string | ActivationSpec;
  readonly in: FixedFormat;
  /** Output format; default the activation's defaultOutput(in). */
  readonly out?: FixedFormat;
  /** 'behavioral' (default): readable RTL or a ROM; 'structural': helu-sim's gate netlist. */
  readonly style?: VerilogStyle;
  /** Register ranks (latency in cycles); default 0, combinational. */
  readonly pipeline?: number;
  /** Module name; default moduleName(activation, in). Must be a legal Verilog identifier. */
  readonly module?: string;
  /** How a behavioral table ROM is written: 'readmemh' (default) or 'case'. */
  readonly rom?: RomStyle;
  /** Technology of the cost figures (default 'nangate45'). */
  readonly tech?: string;
  /** Testbench vector choice (default: exhaustive up to 16 input bits, else edge cases + 100,000 random). */
  readonly vectors?: VectorOptions;
  /**
   * The circuit's proof against the model when the caller has one (src/prove,
   * as `helu-sim verilog` does); otherwise it is checked here: exhaustively up
   * to 20 input bits, else on a random sample, and not at all above 53 bits
   * (UserError: such units need the proof).
   */
  readonly verification?: UnitVerification;
  /** Set by callers that validate the options before proving the circuit (the proof is then passed as `verification`). */
  readonly proofToCome?: boolean;
}

/** The `<module>.json` document. */
export interface VerilogExportSummary {
  module: string;
  activation: string;
  family: 'logic' | 'table';
  style: VerilogStyle;
  /** How the module computes y: a BehavioralForm, or 'gates' for structural. */
  form: BehavioralForm | 'gates';
  input: string;
  output: string;
  /** Cycles from x to y (register ranks); 0 = combinational. */
  latency: number;
  ports: { x: number; y: number; clk: boolean };
  /** Files written, by name. */
  files: string[];
  /** Cost of helu-sim's gate netlist for the unit (pipelined when asked), whatever the style. */
  circuit: {
    tech: string;
    gates: number;
    transistors: number;
    nand2Equivalents: number;
    depth: number;
    registers: number;
    cells: Record<string, number>;
  };
  romBits: number;
  verification: {
    /** helu-sim's netlist against the model: a proof (exhaustive or sat) or a labelled sample. */
    circuit: UnitVerification;
    /** The vectors the testbench applies (golden outputs from the functional model). */
    testbench: { method: 'exhaustive' | 'random'; vectors: number; seed?: number; edgeCases?: number };
  };
}

export interface VerilogExport {
  readonly module: string;
  /** File name -> content, everything produced in memory. */
  readonly files: Map<string, string>;
  readonly summary: VerilogExportSummary;
}

/** The functional model as raw input pattern -> raw output pattern (number path up to 32 bits, bigint beyond). */
export function goldenModel(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): (xRaw: bigint) => bigint {
  if (inFmt.width <= 32 && outFmt.width <= 32) {
    const f = def.functional(inFmt, outFmt);
    return (xRaw) => codeToBits(BigInt(f(Number(bitsToCode(xRaw, inFmt)))), outFmt);
  }
  return (xRaw) => codeToBits(def.functionalBig(bitsToCode(xRaw, inFmt), inFmt, outFmt), outFmt);
}

function checkOptions(o: VerilogExportOptions, def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): number {
  if (inFmt.width > UNIT_MAX_BITS || outFmt.width > UNIT_MAX_BITS) {
    throw new UserError(`verilog: formats up to ${UNIT_MAX_BITS} bits, got ${formatToString(inFmt)} -> ${formatToString(outFmt)}`);
  }
  if (o.verification === undefined && !o.proofToCome && (inFmt.width > FUNCTIONAL_MAX_BITS || outFmt.width > FUNCTIONAL_MAX_BITS)) {
    throw new UserError(
      `verilog: units wider than ${FUNCTIONAL_MAX_BITS} bits are verified by a proof only, got ${formatToString(inFmt)} -> ${formatToString(outFmt)}`,
    );
  }
  const style = o.style ?? 'behavioral';
  if (!VERILOG_STYLES.includes(style)) throw new UserError(`unknown style '${String(style)}'; accepted: ${VERILOG_STYLES.join(', ')}`);
  const rom = o.rom ?? 'readmemh';
  if (rom !== 'readmemh' && rom !== 'case') throw new UserError(`unknown ROM style '${String(rom)}'; accepted: readmemh, case`);
  if (rom === 'case' && style === 'behavioral' && def.family === 'table' && tableIndexShift(inFmt) > 0) {
    throw new UserError(`--rom case: tables of inputs up to ${CASE_ROM_MAX_BITS} bits, got ${formatToString(inFmt)}; use --rom readmemh`);
  }
  const stages = o.pipeline ?? 0;
  if (!Number.isInteger(stages) || stages < 0) throw new UserError(`pipeline must be a non-negative integer, got ${stages}`);
  return stages;
}

/** Builds helu-sim's circuit (pipelined when asked) and checks it against the functional model (or takes the caller's proof). */
function verifiedCircuit(
  def: ActivationDef,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
  stages: number,
  given?: UnitVerification,
): { net: Netlist; check: UnitVerification } {
  const comb = def.circuit(inFmt, outFmt);
  const net = stages > 0 ? pipeline(comb, stages) : comb;
  const v = given ?? verificationOf(checkAgainstModel(net, rawModel(def, inFmt, outFmt), { exhaustiveMaxBits: EXHAUSTIVE_MAX_BITS }));
  if (v.mismatches > 0) {
    const why = v.counterexample !== undefined ? `counterexample ${v.counterexample}` : `${v.mismatches} of ${v.vectors} inputs differ`;
    throw new VerificationFailure(
      `${def.name} ${formatToString(inFmt)} -> ${formatToString(outFmt)}: the circuit disagrees with the fixed-point model (${why}); nothing written`,
    );
  }
  return { net, check: v };
}

function circuitSummary(net: Netlist, tech: Tech): VerilogExportSummary['circuit'] {
  const c = costOf(net, tech);
  return {
    tech: tech.name,
    gates: c.gates,
    transistors: c.transistors,
    nand2Equivalents: c.nand2Equivalents,
    depth: c.depth,
    registers: c.registers,
    cells: c.cells as Record<string, number>,
  };
}

function testbenchSummary(v: ExportBundle['vectors']): VerilogExportSummary['verification']['testbench'] {
  return { method: v.method, vectors: v.count, ...(v.seed !== undefined ? { seed: v.seed, edgeCases: v.edgeCases } : {}) };
}

/**
 * Checks the options of an export (activation, formats, style, ROM style,
 * pipeline, module name, technology) without building anything: UserError
 * on the first bad one. Callers that prove the circuit first check here.
 */
export function validateExportOptions(o: VerilogExportOptions): {
  def: ActivationDef;
  inFmt: FixedFormat;
  outFmt: FixedFormat;
  stages: number;
  name: string;
  tech: Tech;
} {
  const def = getActivation(o.activation);
  const inFmt = o.in;
  const outFmt = o.out ?? def.defaultOutput(inFmt);
  const stages = checkOptions(o, def, inFmt, outFmt);
  const name = o.module !== undefined ? checkModuleName(o.module) : moduleName(def.name, inFmt);
  return { def, inFmt, outFmt, stages, name, tech: loadTech(o.tech ?? 'nangate45') };
}

/**
 * Every file of one exported activation unit, in memory: `<module>.v`
 * (behavioral or structural), `<module>_tb.v` and its vector file
 * `<module>_tb.mem`, for table activations `<module>.mem`, `.coe`, `.mif`,
 * and `<module>.json` (the summary). Throws UserError on bad options and
 * VerificationFailure if helu-sim's circuit disagrees with its model.
 */
export function exportActivation(o: VerilogExportOptions): VerilogExport {
  const { def, inFmt, outFmt, stages, name, tech } = validateExportOptions(o);
  const style = o.style ?? 'behavioral';
  const { net, check } = verifiedCircuit(def, inFmt, outFmt, stages, o.verification);
  const comment = [
    `${name}: ${def.name} activation, x ${formatToString(inFmt)} -> y ${formatToString(outFmt)}, ${style}, latency ${stages} cycle(s).`,
    `Ports carry raw bit patterns (two's complement for fixed, unsigned for ufixed). Written by helu-sim verilog.`,
  ];
  const frame = { name, inWidth: inFmt.width, outWidth: outFmt.width, pipeline: stages, comment };
  const behavioral = style === 'behavioral' ? behavioralVerilog(def, inFmt, outFmt, frame, o.rom) : undefined;
  const table = def.family === 'table' && def.table ? def.table(inFmt, outFmt) : undefined;
  const bundle = exportFiles({
    name,
    signed: inFmt.signed,
    inWidth: inFmt.width,
    outWidth: outFmt.width,
    pipeline: stages,
    moduleText: behavioral ? behavioral.text : structuralVerilog(net, name, comment),
    table,
    tableComment: table
      ? [
          `${def.name}: ${formatToString(inFmt)} -> ${formatToString(outFmt)}; entry i = output bits for table index i (the top ${Math.log2(table.length)} input bits)`,
        ]
      : undefined,
    golden: goldenModel(def, inFmt, outFmt),
    vectors: o.vectors,
  });
  const summary: VerilogExportSummary = {
    module: name,
    activation: def.name,
    family: def.family,
    style,
    form: behavioral ? behavioral.form : 'gates',
    input: formatToString(inFmt),
    output: formatToString(outFmt),
    latency: stages,
    ports: { x: inFmt.width, y: outFmt.width, clk: stages > 0 },
    files: [...bundle.files.keys(), `${name}.json`],
    circuit: circuitSummary(net, tech),
    romBits: def.tableBits(inFmt, outFmt),
    verification: { circuit: check, testbench: testbenchSummary(bundle.vectors) },
  };
  const files = new Map(bundle.files);
  files.set(`${name}.json`, JSON.stringify(summary, null, 2) + '\n');
  return { module: name, files, summary };
}

/**
 * exportActivation, then every file written into `dir` with writeFilesAtomic
 * (a new directory appears whole; in an existing one each file is replaced
 * atomically). Nothing is written when building the files fails or `dir`
 * cannot be written (UserError). Returns the export and the written paths.
 */
export function writeActivationExport(dir: string, o: VerilogExportOptions): VerilogExport & { paths: string[] } {
  checkWritableDir(dir);
  const exp = exportActivation(o);
  return { ...exp, paths: writeFilesAtomic(dir, exp.files) };
}
