import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { fromYosysJson, type Netlist } from '../netlist/index.js';
import { runYosysScript, yosysErrorLines, YOSYS_GATE_SET } from '../verilog/index.js';
import { checkPipelineRanks, transparentCopy } from './registers.js';

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
export function readDesign(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read Verilog file '${file}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const files: Record<string, string> = { 'user_rtl.v': text };
  for (const m of text.matchAll(/\$readmem[hb]\s*\(\s*"([^"]+)"/g)) {
    const name = m[1]!,
      path = join(dirname(file), name);
    if (!PLAIN_NAME.test(name) || name === 'user_rtl.v')
      throw new UserError(`${basename(file)}: memory file '${name}' must be a plain file name next to the Verilog file`);
    if (!existsSync(path)) throw new UserError(`${basename(file)}: memory file '${name}' not found next to it`);
    files[name] = readFileSync(path, 'utf8');
  }
  return files;
}

/**
 * Synthesis of the user's unit to helu-sim's gate cells (one Yosys run;
 * registers become $_DFF_P_). `keepOperators`: the word-level operators are
 * mapped one by one (`techmap`, no `alumacc`, no ABC), so that a multiplier
 * stays a cone of its own whose outputs are the product's bits, as the
 * decomposed proofs of the PE need; otherwise `synth -flatten` and ABC.
 */
function synthScript(top: string | undefined, keepOperators: boolean): string {
  if (top !== undefined && !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(top)) throw new UserError(`--top '${top}' is not a Verilog module name`);
  return [
    'read_verilog -defer user_rtl.v',
    top !== undefined ? `hierarchy -check -top ${top}` : 'hierarchy -check -auto-top',
    ...(keepOperators ? ['proc', 'flatten', 'opt_clean', 'memory', 'techmap', 'opt -fast'] : ['synth -flatten']),
    'dfflegalize -cell $_DFF_P_ 01',
    ...(keepOperators ? ['opt_clean'] : [`abc -g ${YOSYS_GATE_SET}`, 'opt_clean']),
    'write_json __user.json',
  ].join('\n');
}

/** A port the unit must have: name, direction, width. */
export interface ExpectedPort {
  readonly name: string;
  readonly direction: 'input' | 'output';
  readonly width: number;
}

function checkPorts(net: Netlist, want: readonly ExpectedPort[], clocked: boolean, what: string): void {
  const has = net.ports.map((p) => `${p.direction} ${p.name}[${p.bits.length}]`).join(', ');
  const all = [...want, ...(clocked ? [{ name: 'clk', direction: 'input' as const, width: 1 }] : [])];
  const ok =
    net.ports.length === all.length &&
    all.every((w) => net.ports.some((p) => p.name === w.name && p.direction === w.direction && p.bits.length === w.width));
  if (!ok)
    throw new UserError(
      `module '${net.name}' has ports ${has}; expected ${all.map((p) => `${p.direction} ${p.name}[${p.width}]`).join(', ')} (${what})`,
    );
}

/**
 * Reads the user's Verilog unit and synthesizes it with Yosys onto
 * helu-sim's gate set, checks its ports against `ports` (plus clk when
 * clocked) and, for a clocked unit, that it is a plain pipeline with the
 * given register stages (checkPipelineRanks). Returns its combinational
 * function as a netlist. UserError for unreadable Verilog, a construct Yosys
 * or helu-sim's gate set cannot represent, or wrong ports.
 */
export async function loadUserUnit(
  rtl: Omit<UserRtl, 'latency'>,
  ports: readonly ExpectedPort[],
  stages: { inputs: Record<string, number>; outputs: Record<string, number> },
  what: string,
  opts: { keepOperators?: boolean } = {},
): Promise<Netlist> {
  const run = await runYosysScript(readDesign(rtl.file), synthScript(rtl.top, opts.keepOperators ?? false), { allowFailure: true });
  const json = run.files['__user.json'];
  if (run.exitCode !== 0 || json === undefined)
    throw new UserError(`${basename(rtl.file)}: ${yosysErrorLines(run.stdout).replace(/user_rtl\.v/g, basename(rtl.file))}`);
  const net = fromYosysJson(JSON.parse(String(json)));
  const clocked = Object.values(stages.outputs).some((r) => r > 0);
  checkPorts(net, ports, clocked, what);
  if (!clocked && net.cells.some((c) => c.type === '$_DFF_P_'))
    throw new UserError(`module '${net.name}' has registers; give its --latency`);
  if (clocked) checkPipelineRanks(net, stages.inputs, stages.outputs);
  return transparentCopy(net);
}

/**
 * Reads the user's activation unit (ports x, y raw bit patterns of the
 * formats' widths; clk when latency > 0, a plain pipeline of `latency`
 * stages) and returns its combinational function (loadUserUnit).
 */
export async function loadUserRtl(rtl: UserRtl, inFmt: FixedFormat, outFmt: FixedFormat): Promise<Netlist> {
  const latency = rtl.latency ?? 0;
  const ports: ExpectedPort[] = [
    { name: 'x', direction: 'input', width: inFmt.width },
    { name: 'y', direction: 'output', width: outFmt.width },
  ];
  try {
    return await loadUserUnit(
      rtl,
      ports,
      { inputs: { x: 0 }, outputs: { y: latency } },
      `${formatToString(inFmt)} -> ${formatToString(outFmt)}, latency ${latency}`,
    );
  } catch (e) {
    if (e instanceof UserError && latency > 0 && /pipeline|register stage/.test(e.message))
      throw new UserError(`${e.message}; --latency ${latency} needs a plain ${latency}-stage pipeline`);
    throw e;
  }
}
