/*
 * writeTreeAtomic (src/io/atomic.ts), the demo's writer: a tree of files with
 * subdirectories appears whole or not at all, and never leaves staging files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkWritableDir, writeTreeAtomic } from '../../src/io/atomic.js';

const tmp = mkdtempSync(join(tmpdir(), 'helu-tree-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const files = () =>
  new Map<string, string | Uint8Array>([
    ['report.md', '# r\n'],
    ['a.svg', '<svg/>'],
    ['verilog/x.v', 'module x; endmodule\n'],
    ['verilog/deep/t.mem', '00\n'],
    ['bin.onnx', new Uint8Array([0, 1, 2, 255])],
  ]);

function listing(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listing(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]))
    .sort();
}

describe('writeTreeAtomic', () => {
  it('a new directory (with missing parents) appears with every file and no staging leftovers', () => {
    const dir = join(tmp, 'p', 'q', 'new');
    const paths = writeTreeAtomic(dir, files());
    expect(paths).toEqual([...files().keys()].map((k) => join(dir, k)));
    expect(listing(dir)).toEqual([...files().keys()].sort());
    expect(readFileSync(join(dir, 'verilog/x.v'), 'utf8')).toBe('module x; endmodule\n');
    expect([...readFileSync(join(dir, 'bin.onnx'))]).toEqual([0, 1, 2, 255]);
    expect(readdirSync(join(tmp, 'p', 'q'))).toEqual(['new']);
  });

  it('into an existing directory: replaces its files, keeps the others', () => {
    const dir = join(tmp, 'existing');
    mkdirSync(join(dir, 'verilog'), { recursive: true });
    writeFileSync(join(dir, 'report.md'), 'old');
    writeFileSync(join(dir, 'verilog', 'mine.v'), 'user file');
    writeTreeAtomic(dir, files());
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe('# r\n');
    expect(readFileSync(join(dir, 'verilog', 'mine.v'), 'utf8')).toBe('user file');
    expect(listing(dir)).toEqual([...files().keys(), 'verilog/mine.v'].sort());
    expect(readdirSync(tmp).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a file, or a path below a file, before writing anything', () => {
    const file = join(tmp, 'f');
    writeFileSync(file, 'keep');
    for (const dir of [file, join(file, 'sub'), join(file, 'sub', 'deeper')]) {
      const before = readdirSync(tmp).sort();
      expect(() => writeTreeAtomic(dir, files())).toThrow(UserError);
      expect(() => checkWritableDir(dir)).toThrow(/is a file/);
      expect(readdirSync(tmp).sort()).toEqual(before);
      expect(readFileSync(file, 'utf8')).toBe('keep');
    }
  });

  it('rejects relative paths that could leave the directory or hide files (a bug, not a user error)', () => {
    for (const bad of ['../x', '/abs', 'a//b', './a', 'a/../b', '.hidden', 'v/.tmp', 'a\\b', '']) {
      expect(() => writeTreeAtomic(join(tmp, 'never'), new Map([[bad, 'x']])), bad).toThrow(/internal: bad output file path/);
    }
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });
});
