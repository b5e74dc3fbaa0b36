// CLI start-up: --version, and a quick command loads only its own module and light dependencies
// (each command's file is imported when it runs; heavy dependencies when used).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, root } from './cli-helpers.js';

function probed(...args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const probe = join(root, 'dist', `startup-${process.pid}-${args[0]}.jsonl`);
  const r = spawnSync(process.execPath, ['--import', join(root, 'bench', 'load-probe.mjs'), main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, HELU_PROBE: probe, HELU_PROBE_MODULES: '1' },
  });
  const modules = (JSON.parse(readFileSync(probe, 'utf8')) as { modules: string[] }).modules;
  rmSync(probe, { force: true });
  return { status: r.status, stdout: r.stdout, modules };
}

const HEAVY = ['/vega', '@tensorflow', '@yowasp', 'netlistsvg', 'onnx-proto', 'protobufjs', '/yaml/', 'piscina', 'cli-progress', '@stdlib'];

describe('CLI start-up', () => {
  it('--version prints the package version', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const r = probed('--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.modules.filter((m) => /\/dist\/src\/cli\/(?!main|program|commands|common)[a-z-]+\.js$/.test(m))).toEqual([]);
  });

  it('fixed loads fixed.js and no other command, and none of the heavy dependencies', () => {
    const r = probed('fixed', 'fixed<8,4>', '1.5');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1.5    24    0x18  00011000  1.5    0      no');
    const commands = r.modules.filter((m) => /\/dist\/src\/cli\/[a-z-]+\.js$/.test(m)).map((m) => m.replace(/.*\//, ''));
    expect(new Set(commands)).toEqual(new Set(['main.js', 'program.js', 'commands.js', 'common.js', 'fixed.js']));
    for (const h of HEAVY) expect(r.modules.join('\n'), h).not.toContain(h);
    expect(r.modules.some((m) => m.includes('/dist/src/sim/') || m.includes('/dist/src/models/'))).toBe(false);
  });

  it('help still lists every command', () => {
    const r = spawnSync(process.execPath, [main, '--help'], { cwd: root, encoding: 'utf8' });
    for (const c of [
      'demo',
      'fixed',
      'activation',
      'verilog',
      'prove',
      'train',
      'eval',
      'run',
      'quantize',
      'verify',
      'merge',
      'cost',
      'study',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });
});
