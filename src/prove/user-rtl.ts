import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { fromYosysJson, type Netlist } from '../netlist/index.js';
import { runYosysScript, yosysErrorLines, YOSYS_GATE_SET } from '../verilog/index.js';
import { checkPipeline, transparentCopy } from './registers.js';

export interface UserRtl {
  /** The Verilog file. */
  readonly file: string;
  /** Top module (default: the file's top as Yosys finds it with `hierarchy -auto-top`). */
  readonly top?: string;
  /** Clock cycles from x to y (0: combinational, no clk). */
  readonly latency?: number;
}

const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The .v file and the memory files its `$readmemh`/`$readmemb` calls name, found next to it. */
function readDesign(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read Verilog file '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const files: Record<string, string> = { 'user_rtl.v': text };
  for (const m of text.matchAll(/\$readmem[hb]\s*\(\s*"([^"]+)"/g)) {
    const name = m[1]!, path = join(dirname(file), name);
    if (!PLAIN_NAME.test(name) || name === 'user_rtl.v') throw new UserError(`${basename(file)}: memory file '${name}' must be a plain file name next to the Verilog file`);
    if (!existsSync(path)) throw new UserError(`${basename(file)}: memory file '${name}' not found next to it`);
    files[name] = readFileSync(path, 'utf8');
  }
  return files;
}

/** Synthesis of the user's unit to helu-sim's gate cells (one Yosys run; registers become $_DFF_P_). */
function synthScript(top: string | undefined): string {
  if (top !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(top)) throw new UserError(`--top '${top}' is not a Verilog module name`);
  return [
    'read_verilog -defer user_rtl.v',
    top !== undefined ? `hierarchy -check -top ${top}` : 'hierarchy -check -auto-top',
    'synth -flatten',
    'dfflegalize -cell $_DFF_P_ 01',
    `abc -g ${YOSYS_GATE_SET}`,
    'opt_clean',
    'write_json __user.json',
  ].join('\n');
}

function checkPorts(net: Netlist, inFmt: FixedFormat, outFmt: FixedFormat, latency: number): void {
  const want = `input x[${inFmt.width}], output y[${outFmt.width}]${latency > 0 ? ', input clk' : ''} (${formatToString(inFmt)} -> ${formatToString(outFmt)}, latency ${latency})`;
  const has = net.ports.map((p) => `${p.direction} ${p.name}[${p.bits.length}]`).join(', ');
  const x = net.inputs().find((p) => p.name === 'x'), y = net.outputs().find((p) => p.name === 'y');
  const clk = net.inputs().find((p) => p.name === 'clk');
  const ok = x?.bits.length === inFmt.width && y?.bits.length === outFmt.width && net.ports.length === (clk ? 3 : 2)
    && (latency > 0 ? clk?.bits.length === 1 : clk === undefined);
  if (!ok) throw new UserError(`module '${net.name}' has ports ${has}; expected ${want}`);
}

/**
 * Reads the user's Verilog unit, synthesizes it with Yosys (`synth -flatten`,
 * ABC onto helu-sim's gate set), checks its ports (x, y raw bit patterns of
 * the formats' widths; clk when latency > 0) and, for a clocked unit, that it
 * is a plain pipeline of `latency` stages. Returns its combinational function
 * as a netlist. UserError for unreadable Verilog, a construct Yosys or
 * helu-sim's gate set cannot represent, or wrong ports.
 */
export async function loadUserRtl(rtl: UserRtl, inFmt: FixedFormat, outFmt: FixedFormat): Promise<Netlist> {
  const latency = rtl.latency ?? 0;
  const run = await runYosysScript(readDesign(rtl.file), synthScript(rtl.top), { allowFailure: true });
  const json = run.files['__user.json'];
  if (run.exitCode !== 0 || json === undefined) throw new UserError(`${basename(rtl.file)}: ${yosysErrorLines(run.stdout).replace(/user_rtl\.v/g, basename(rtl.file))}`);
  const net = fromYosysJson(JSON.parse(String(json)));
  checkPorts(net, inFmt, outFmt, latency);
  if (latency === 0 && net.cells.some((c) => c.type === '$_DFF_P_')) throw new UserError(`module '${net.name}' has registers; give its --latency`);
  checkPipeline(net, latency);
  return transparentCopy(net);
}
