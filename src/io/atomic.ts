import { accessSync, constants as fsConstants, mkdirSync, renameSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Temporary files and directories being written. Writes are synchronous, so a
 * signal handler can only run between them; without one, Ctrl-C during a
 * write would kill the process with its temporary file left behind. While a
 * write is in flight, SIGINT/SIGTERM/SIGHUP are caught; the handler removes
 * whatever is still in flight and exits 128 + the signal number (130 for
 * Ctrl-C). The handlers stay until the event loop has turned once after the
 * last write, so a signal that arrived during a write is still delivered.
 */
const inFlight = new Set<string>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
let handlersInstalled = false;
let releaseScheduled = false;

/** Removes a temporary path; one that cannot exist (its parent is a file) or is already gone is no error. */
function removeTemp(p: string): void {
  try {
    rmSync(p, { recursive: true, force: true });
  } catch {
    // ENOTDIR and friends: nothing was created there
  }
}

function onSignal(signal: NodeJS.Signals): void {
  for (const p of inFlight) removeTemp(p);
  inFlight.clear();
  process.exit(128 + SIGNALS[signal as keyof typeof SIGNALS]);
}

function beginWrite(tmp: string): void {
  inFlight.add(tmp);
  if (handlersInstalled) return;
  for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
  handlersInstalled = true;
}

function endWrite(tmp: string): void {
  inFlight.delete(tmp);
  if (inFlight.size > 0 || releaseScheduled) return;
  releaseScheduled = true;
  // Timers run before the poll phase that delivers signals, immediates after it.
  setTimeout(
    () =>
      setImmediate(() => {
        releaseScheduled = false;
        if (inFlight.size > 0 || !handlersInstalled) return;
        for (const s of Object.keys(SIGNALS)) process.off(s, onSignal);
        handlersInstalled = false;
      }),
    0,
  ).unref();
}

/** Checks that `dir` exists (or can be created) and is a directory, with a user-facing error otherwise. */
export function ensureWritableDir(dir: string): void {
  try {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new UserError(`output path '${dir}' is a file; expected a directory`);
      return;
    }
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot create output directory '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory,
 * then rename, so a reader never sees a truncated file and an error leaves none.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  beginWrite(tmp);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    removeTemp(tmp);
    throw new UserError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  } finally {
    endWrite(tmp);
  }
}

/**
 * Writes a set of files (plain names, no subfolders) into `dir` with no
 * partial result: writeTreeAtomic's guarantees, for a flat directory.
 */
export function writeFilesAtomic(dir: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  for (const name of files.keys()) {
    if (name !== basename(name)) throw new Error(`internal: bad output file name '${name}'`);
  }
  return writeTreeAtomic(dir, files);
}

/**
 * Refuses an output directory that cannot be written, before any work is done:
 * `dir` (or, when it does not exist yet, its nearest existing ancestor) must be
 * a writable directory. UserError naming the path otherwise.
 */
export function checkWritableDir(dir: string): void {
  let p = resolve(dir);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (!statSync(p).isDirectory()) {
    throw new UserError(
      p === resolve(dir)
        ? `output path '${dir}' is a file; expected a directory`
        : `cannot create output directory '${dir}': '${p}' is a file`,
    );
  }
  try {
    accessSync(p, fsConstants.W_OK);
  } catch (e) {
    throw new UserError(`cannot write output directory '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function checkRelativePath(rel: string): void {
  const parts = rel.split('/');
  if (rel === '' || isAbsolute(rel) || rel.includes('\\') || parts.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) {
    throw new Error(`internal: bad output file path '${rel}'`);
  }
}

/**
 * Writes a tree of files (keys are relative paths with '/' separators, e.g.
 * 'verilog/helu.v') into `dir` with no partial result. The whole tree is first
 * written into a sibling temporary directory, so a failure (disk full, a
 * permission) happens before anything under `dir` changes and leaves nothing
 * behind. Then a new `dir` is the staged directory renamed into place (one
 * rename: the tree appears whole); into an existing `dir` every file is moved
 * into place by rename (each file appears whole; other files in `dir` are kept).
 * Returns the written paths.
 */
export function writeTreeAtomic(dir: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  for (const rel of files.keys()) checkRelativePath(rel);
  checkWritableDir(dir);
  const parent = dirname(resolve(dir));
  if (!existsSync(parent)) ensureWritableDir(parent);
  const stage = tempName(resolve(dir));
  beginWrite(stage);
  try {
    mkdirSync(stage);
    for (const [rel, data] of files) {
      mkdirSync(dirname(join(stage, rel)), { recursive: true });
      writeFileSync(join(stage, rel), data);
    }
    if (!existsSync(dir)) renameSync(stage, dir);
    else {
      if (!statSync(dir).isDirectory()) throw new UserError(`output path '${dir}' is a file; expected a directory`);
      for (const rel of files.keys()) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        renameSync(join(stage, rel), join(dir, rel));
      }
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot write output directory '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  } finally {
    removeTemp(stage);
    endWrite(stage);
  }
  return [...files.keys()].map((rel) => join(dir, rel));
}
