import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
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
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`cannot write '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/**
 * Writes a set of files into `dir` with no partial result. A new directory is
 * staged whole in a sibling temporary directory and renamed into place; into an
 * existing directory each file is written atomically after every file's content
 * has been produced (the caller passes finished contents, so no error can occur
 * half-way through producing them).
 */
export function writeFilesAtomic(dir: string, files: ReadonlyMap<string, string | Uint8Array>): string[] {
  for (const name of files.keys()) {
    if (name !== basename(name) || name.startsWith('.')) throw new Error(`internal: bad output file name '${name}'`);
  }
  const parent = dirname(dir);
  if (!existsSync(dir)) {
    if (!existsSync(parent)) ensureWritableDir(parent);
    const stage = tempName(dir);
    try {
      mkdirSync(stage);
      for (const [name, data] of files) writeFileSync(join(stage, name), data);
      renameSync(stage, dir);
    } catch (e) {
      rmSync(stage, { recursive: true, force: true });
      throw new UserError(`cannot write output directory '${dir}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  } else {
    ensureWritableDir(dir);
    for (const [name, data] of files) writeFileAtomic(join(dir, name), data);
  }
  return [...files.keys()].map((n) => join(dir, n));
}
