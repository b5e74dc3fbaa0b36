import { ToolError } from './simulators.js';

/**
 * Yosys through the npm package @yowasp/yosys (Yosys compiled to WebAssembly):
 * no system install, runs in-process on an in-memory file tree. The first
 * run in a process compiles the WebAssembly (a few seconds); later runs take
 * about a second each, so callers should batch work into one script.
 */

export type YosysFiles = Record<string, string | Uint8Array>;

export interface YosysRun {
  /** Yosys's log (stdout and stderr interleaved). */
  readonly stdout: string;
  /** Top-level files of the tree after the run (inputs and files the script wrote). */
  readonly files: YosysFiles;
  readonly exitCode: number;
}

const SCRIPT = '__helu_script.ys';
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Runs `script` (Yosys commands separated by newlines or ';') on the files in
 * `files` (plain names, no directories). Rejects with ToolError on a non-zero
 * exit unless `allowFailure`, in which case exitCode says how it ended.
 */
export async function runYosysScript(files: YosysFiles, script: string, opts: { readonly allowFailure?: boolean } = {}): Promise<YosysRun> {
  for (const name of Object.keys(files)) {
    if (!SAFE_NAME.test(name) || name === SCRIPT || name === 'share') throw new Error(`internal: bad Yosys file name '${name}'`);
  }
  const { runYosys, Exit } = await import('@yowasp/yosys');
  let log = '';
  const sink = () => {
    const decoder = new TextDecoder();
    return (bytes: Uint8Array | null) => {
      log += bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    };
  };
  let tree: unknown;
  let exitCode = 0;
  try {
    tree = await runYosys(['-Q', '-s', SCRIPT], { ...files, [SCRIPT]: script }, { stdout: sink(), stderr: sink() });
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    exitCode = e.code;
    tree = e.files;
  }
  const out: YosysFiles = {};
  for (const [name, v] of Object.entries((tree ?? {}) as Record<string, unknown>)) {
    if (name !== SCRIPT && (typeof v === 'string' || v instanceof Uint8Array)) out[name] = v;
  }
  if (exitCode !== 0 && !opts.allowFailure)
    throw new ToolError('yosys', `yosys exited with code ${exitCode}: ${yosysErrorLines(log)}`, log);
  return { stdout: log, files: out, exitCode };
}

/** The ERROR lines of a Yosys log, or its last lines when there are none. */
export function yosysErrorLines(log: string): string {
  const lines = log.trim().split(/\r?\n/);
  const errors = lines.filter((l) => /ERROR/.test(l));
  return (errors.length > 0 ? errors : lines.slice(-3)).join(' | ');
}

/** A design given as one Verilog text (stored as `<name>.v`) or as named files (.v read, others data such as .mem). */
export type VerilogDesign = string | Readonly<Record<string, string>>;

/** The design's files and the names of its Verilog sources. */
export function designFiles(design: VerilogDesign, name: string): { files: Record<string, string>; sources: string[] } {
  const files: Record<string, string> = typeof design === 'string' ? { [`${name}.v`]: design } : { ...design };
  const sources = Object.keys(files).filter((f) => /\.s?v$/.test(f));
  if (sources.length === 0) throw new Error('internal: design has no .v file');
  return { files, sources };
}

/** Checks `top` can be spliced into a script. */
export function checkTopName(top: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(top)) throw new Error(`internal: '${top}' is not a simple module name`);
  return top;
}
