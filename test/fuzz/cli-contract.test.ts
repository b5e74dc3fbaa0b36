// The command-line contract on a sample of bad command lines (the long run,
// `npm run fuzz`, runs the whole matrix of bench/fuzz/cli-cases.ts), and
// interrupted writes: Ctrl-C during an atomic write leaves no temporary file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCases, contractViolation, leftoverTemps, runCli, writeCliFiles } from '../../bench/fuzz/cli-cases.js';
import { main, root } from '../cli/cli-helpers.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'helu-cli-'));
  writeCliFiles(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('command-line contract', () => {
  it('bad files, hostile names, out-of-range numbers: exit 2, one line, nothing left, previous output intact', async () => {
    const all = cliCases();
    // Every 30th case, always including the first and last (the whole matrix runs in `npm run fuzz`).
    const sample = all.filter((_, i) => i % 30 === 0 || i === all.length - 1);
    const results = [];
    for (let i = 0; i < sample.length; i += 4) {
      results.push(...(await Promise.all(sample.slice(i, i + 4).map((k) => runCli(main, dir, k.args)))));
    }
    const violations = sample
      .map((k, i) => contractViolation(k, results[i]!, dir))
      .map((v, i) => (v ? `${JSON.stringify(sample[i]!.args)}: ${v}` : ''))
      .filter(Boolean);
    expect(violations).toEqual([]);
  }, 180_000);

  it('an internal error is one line asking for a report with the command', () => {
    // internalErrorLine is what handleError prints for anything but a user error.
    return import('../../src/cli/common.js').then(({ internalErrorLine }) => {
      const line = internalErrorLine(new TypeError("Cannot read properties of undefined (reading 'kind')\n    at x (y.js:1:2)"), [
        'eval',
        'a b.onnx',
      ]);
      expect(line).not.toContain('\n');
      expect(line).toContain("please report it with the command that triggered it: helu-sim eval 'a b.onnx'");
      expect(line).toContain('TypeError');
    });
  });
});

describe('interrupted writes', () => {
  it('SIGINT during an atomic tree write: exit 130 after the write, no temporary files, the tree whole', async () => {
    const out = mkdtempSync(join(tmpdir(), 'helu-sig-'));
    // A file map whose iteration sends SIGINT to its own process after the first file:
    // the signal arrives in the middle of the write.
    const script = `
      import { writeTreeAtomic } from ${JSON.stringify(join(root, 'dist', 'src', 'io', 'atomic.js'))};
      const files = new Map(Array.from({ length: 50 }, (_, i) => ['f' + i + '.txt', 'x'.repeat(100000)]));
      const real = files[Symbol.iterator].bind(files);
      let n = 0;
      files[Symbol.iterator] = function* () { for (const e of real()) { if (n++ === 1) process.kill(process.pid, 'SIGINT'); yield e; } };
      writeTreeAtomic(${JSON.stringify(join(out, 'tree'))}, files);
      setTimeout(() => process.exit(0), 2000);
    `;
    const code = await new Promise<number | null>((resolve) => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      p.on('close', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(leftoverTemps(out)).toEqual([]);
    expect(readdirSync(join(out, 'tree')).length).toBe(50);
    rmSync(out, { recursive: true, force: true });
  });

  it('SIGINT at random moments of a CLI write: exit 0 or 130, no temporary files, the output old or whole', async () => {
    const out = mkdtempSync(join(tmpdir(), 'helu-sig-'));
    writeFileSync(join(out, 'model.q.json'), 'previous output\n');
    const codes: (number | null)[] = [];
    for (const delay of [700, 1400, 2100]) {
      codes.push(
        await new Promise<number | null>((resolve) => {
          const p = spawn(
            process.execPath,
            [main, 'quantize', join(dir, 'mlp.onnx'), '--calib', 'random:16', '-o', join(out, 'model.q.json')],
            { stdio: 'ignore' },
          );
          setTimeout(() => p.kill('SIGINT'), delay);
          p.on('close', (c, s) => resolve(c ?? (s === 'SIGINT' ? 130 : null)));
        }),
      );
      expect(leftoverTemps(out)).toEqual([]);
      const text = readFileSync(join(out, 'model.q.json'), 'utf8');
      if (text !== 'previous output\n') expect(() => JSON.parse(text)).not.toThrow();
    }
    for (const c of codes) expect([0, 130]).toContain(c);
    rmSync(out, { recursive: true, force: true });
  }, 60_000);
});
