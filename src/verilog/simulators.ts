import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, basename, join, resolve } from 'node:path';

/** An external tool was missing, failed to run, or rejected its input. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly tool: string,
    message: string,
    readonly output: string = '',
  ) {
    super(message);
  }
}

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const DEBIAN_PACKAGE: Record<string, string> = { iverilog: 'iverilog', vvp: 'iverilog', verilator: 'verilator' };

/** Runs `cmd args` in `cwd`; resolves with its exit code and output (never rejects on a non-zero exit). */
function run(cmd: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<ExecResult> {
  return new Promise((done, fail) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (e && e.code === 'ENOENT') {
        fail(new ToolError(cmd, `${cmd} not found on PATH (install the Debian package '${DEBIAN_PACKAGE[cmd] ?? cmd}')`));
      } else if (e && e.killed) {
        fail(new ToolError(cmd, `${cmd} timed out after ${timeoutMs} ms`, `${stdout}${stderr}`));
      } else {
        done({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      }
    });
  });
}

export interface ToolOptions {
  /** Per tool invocation (default 120,000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Compiles `files` (paths relative to `dir` or absolute) with Icarus Verilog
 * (`iverilog -g2005 -s top`) and runs the result with `vvp -n` in `dir`, so
 * `$readmemh` paths resolve against `dir`. The compiled image goes to a
 * private temporary directory, leaving `dir` untouched. Resolves with vvp's
 * stdout; rejects with ToolError when compilation or simulation fails.
 */
export async function runIverilog(dir: string, files: readonly string[], top: string, opts: ToolOptions = {}): Promise<string> {
  const timeout = opts.timeoutMs ?? 120_000;
  const work = mkdtempSync(join(tmpdir(), 'helu-iverilog-'));
  try {
    const image = join(work, 'sim.vvp');
    const compile = await run('iverilog', ['-g2005', '-o', image, '-s', top, ...files], dir, timeout);
    if (compile.code !== 0)
      throw new ToolError('iverilog', `iverilog failed: ${firstLines(compile.stderr || compile.stdout)}`, compile.stderr);
    const sim = await run('vvp', ['-n', image], dir, timeout);
    if (sim.code !== 0) throw new ToolError('vvp', `vvp failed: ${firstLines(sim.stderr || sim.stdout)}`, sim.stdout + sim.stderr);
    return sim.stdout;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Lints one file with `verilator --lint-only -Wall` (in the file's directory,
 * `--top-module` when given). Resolves with Verilator's warning and error
 * lines (the first line of each `%Warning...`/`%Error...` message); an empty
 * list means the file is lint clean.
 */
export async function verilatorLint(file: string, opts: ToolOptions & { readonly top?: string } = {}): Promise<string[]> {
  const path = resolve(file);
  const args = ['--lint-only', '-Wall', ...(opts.top ? ['--top-module', opts.top] : []), basename(path)];
  const r = await run('verilator', args, dirname(path), opts.timeoutMs ?? 120_000);
  const messages = `${r.stdout}\n${r.stderr}`.split(/\r?\n/).filter((l) => /^%(Warning|Error)/.test(l));
  if (r.code !== 0 && messages.length === 0)
    throw new ToolError('verilator', `verilator failed: ${firstLines(r.stderr || r.stdout)}`, r.stderr);
  return messages.filter((l) => !/^%Error: Exiting due to/.test(l));
}

function firstLines(s: string, n = 5): string {
  return s.trim().split(/\r?\n/).slice(0, n).join(' | ');
}
