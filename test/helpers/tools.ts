/**
 * Shared helpers for tests that run the external tools on generated Verilog:
 * Icarus Verilog (iverilog + vvp), Verilator lint, and Yosys (@yowasp/yosys).
 * The tools are required, not optional: CI installs iverilog and verilator,
 * and a missing tool fails the test with a message naming the package.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIverilog, verilatorLint } from '../../src/verilog/simulators.js';
import { testbenchVerdict, type TestbenchFiles } from '../../src/verilog/testbench.js';

export { runIverilog, verilatorLint } from '../../src/verilog/simulators.js';
export { runYosysScript } from '../../src/verilog/yosys.js';
export { yosysGateCount } from '../../src/verilog/yosys-gates.js';
export { yosysEquivalent } from '../../src/verilog/yosys-equiv.js';

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'helu-test-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes each named file into `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

export interface SimulationResult {
  /** vvp's stdout. */
  readonly stdout: string;
  /** The testbench's verdict line; undefined if it printed none. */
  readonly verdict: { pass: boolean; mismatches: number } | undefined;
}

/**
 * Simulates a generated testbench against its module with Icarus Verilog in a
 * temporary directory holding `files` (the module's `.v` and any data such as
 * its `.mem`) plus the testbench and its vector file.
 */
export async function simulateTestbench(files: Readonly<Record<string, string>>, tb: TestbenchFiles): Promise<SimulationResult> {
  return withTempDir(async (dir) => {
    writeTree(dir, { ...files, [tb.verilogFile]: tb.verilog, [tb.vectorFile]: tb.vectors });
    const sources = [...Object.keys(files).filter((f) => f.endsWith('.v')), tb.verilogFile];
    const stdout = await runIverilog(dir, sources, tb.top);
    return { stdout, verdict: testbenchVerdict(stdout) };
  });
}

/**
 * Simulates an exported unit where it was written: `<name>.v` and
 * `<name>_tb.v` in `dir` (with their .mem files beside them).
 */
export async function simulateExport(dir: string, name: string): Promise<SimulationResult> {
  const stdout = await runIverilog(dir, [`${name}.v`, `${name}_tb.v`], `${name}_tb`);
  return { stdout, verdict: testbenchVerdict(stdout) };
}

/** Lints `text` as `<name>.v` (the file name Verilator expects for module `name`); resolves with the warnings. */
export async function lintModule(name: string, text: string, extra: Readonly<Record<string, string>> = {}): Promise<string[]> {
  return withTempDir(async (dir) => {
    writeTree(dir, { ...extra, [`${name}.v`]: text });
    return verilatorLint(join(dir, `${name}.v`), { top: name });
  });
}
