// `helu-sim fixed` end to end: spawns the built CLI (npm run build first).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking: several invocations can run at once. */
function cliAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [MAIN, ...args]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('helu-sim fixed', () => {
  it('--json: codes, raw patterns, values, errors, overflow (docs/fixed-point.md example)', () => {
    const r = cli('fixed', 'fixed<3,2,RND>', '1.25', '-1.25', '9', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('fixed<3,2,RND>');
    expect(doc.values).toEqual([
      { input: '1.25', code: 3, hex: '0x3', binary: '011', value: 1.5, error: 0.25, overflow: false },
      { input: '-1.25', code: -2, hex: '0x6', binary: '110', value: -1, error: 0.25, overflow: false },
      // 9 -> 18 half-LSBs -> code 18 wraps modulo 8 to 2 (value 1)
      { input: '9', code: 2, hex: '0x2', binary: '010', value: 1, error: -8, overflow: true },
    ]);
  });

  it('uses the exact decimal value and keeps every bit of 64-bit codes', () => {
    const r = cli('fixed', 'fixed<64,1,RND_CONV,SAT>', '0.1', '-1', '1', '--json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout).values;
    // 0.1 * 2^63 = 922337203685477580.8 -> 922337203685477581
    expect(v[0]).toMatchObject({ code: '922337203685477581', hex: '0x0ccccccccccccccd', overflow: false });
    expect(v[1]).toMatchObject({ code: '-9223372036854775808', hex: '0x8000000000000000', overflow: false });
    expect(v[2]).toMatchObject({ code: '9223372036854775807', overflow: true });
  });

  it('readable table without --json', () => {
    const r = cli('fixed', 'ufixed<8,4,RND_CONV,SAT>', '2.53125', '-1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ufixed<8,4,RND_CONV,SAT>');
    expect(r.stdout).toMatch(/2\.53125\s+40\s+0x28\s+00101000\s+2\.5\s+-0\.03125\s+no/); // 40.5 LSBs, tie to even 40
    expect(r.stdout).toMatch(/-1\s+0\s+0x00\s+00000000\s+0\s+1\s+yes/);
  });

  it('bad format or value: one line on stderr, exit 2', async () => {
    const cases = [
      ['fixed<8>', '1'],
      ['fixed<8,4,ROUND>', '1'],
      ['int8', 'abc'],
      ['int8', '1', 'Infinity'],
    ];
    const results = await Promise.all(cases.map((args) => cliAsync('fixed', ...args)));
    for (const [k, args] of cases.entries()) {
      const r = results[k]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(args.find((a) => a !== '1' && a !== 'int8')!);
    }
  });
});
