/*
 * End to end: `helu-sim demo` as a user runs it (the compiled CLI, stdout not
 * a terminal), into temporary directories. Checks every file, every SVG as
 * XML, the verification, and that the numbers the printed summary shows
 * (parsed here from the text, independently of the code that prints them)
 * are the numbers of report.json. Also `--json`, the written integer model
 * under `helu-sim verify`, the Verilog testbenches under Icarus Verilog, and
 * the error paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkXml } from '../../src/report/xml-check.js';
import { simulateExport } from '../helpers/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'dist', 'src', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'helu-demo-'));
const outA = join(tmp, 'a');
const outB = join(tmp, 'nested', 'b');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cliAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [main, ...args], { cwd: root });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function cli(...args: string[]): Run {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, relative, '/'-separated. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? tree(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]));
}

const num = (s: string) => Number(s.replace(/,/g, ''));
/** A value printed to `digits` significant digits equals `x` within half a unit of its last digit. */
function expectSig(printed: string, x: number, digits = 4): void {
  const p = num(printed);
  const ulp = 10 ** (Math.floor(Math.log10(Math.abs(x))) - (digits - 1));
  expect(Math.abs(p - x)).toBeLessThanOrEqual(ulp / 2 + 1e-12 * Math.abs(x));
}
/** '95.28 %' equals 100 * x to two decimals. */
function expectPercent(printed: string, x: number): void {
  expect(Math.abs(Number(printed) - 100 * x)).toBeLessThanOrEqual(0.005 + 1e-9);
}
function match(text: string, re: RegExp): RegExpExecArray {
  const m = re.exec(text);
  if (!m) throw new Error(`summary has no line matching ${re}`);
  return m;
}

let a: Run, b: Run;
let report: any;

beforeAll(async () => {
  expect(existsSync(main)).toBe(true);
  [a, b] = await Promise.all([
    cliAsync('demo', '-o', outA, '--epochs', '3', '--seed', '3'),
    cliAsync('demo', '-o', outB, '--epochs', '1', '--json'),
  ]);
  if (a.status !== 0) throw new Error(`demo failed (${a.status}): ${a.stderr}`);
  report = JSON.parse(readFileSync(join(outA, 'report.json'), 'utf8'));
}, 400_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('helu-sim demo: files', () => {
  it('writes every file report.json lists, and nothing else', () => {
    const expected = [
      'report.md',
      'report.json',
      'training-curves.svg',
      'dead-neurons.svg',
      'transfer-helu.svg',
      'transfer-gelu.svg',
      'helu-circuit.svg',
      'activation-cost.svg',
      'accelerator-whatif.svg',
      'model.q.json',
      'helu.onnx',
      'verilog/helu_w8i4.v',
      'verilog/helu_w8i4_tb.v',
      'verilog/helu_w8i4_tb.mem',
      'verilog/helu_w8i4.json',
      'verilog/gelu_w8i4.v',
      'verilog/gelu_w8i4_tb.v',
      'verilog/gelu_w8i4_tb.mem',
      'verilog/gelu_w8i4.mem',
      'verilog/gelu_w8i4.coe',
      'verilog/gelu_w8i4.mif',
      'verilog/gelu_w8i4.json',
    ];
    expect([...report.files].sort()).toEqual([...expected].sort());
    expect(tree(outA).sort()).toEqual([...expected].sort());
    for (const f of expected) expect(statSync(join(outA, f)).size, f).toBeGreaterThan(0);
    // no staging directory left beside the output
    expect(readdirSync(tmp).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('every SVG is well-formed XML with an <svg> root', () => {
    const svgs = report.files.filter((f: string) => f.endsWith('.svg'));
    expect(svgs).toHaveLength(7);
    for (const f of svgs) {
      const x = checkXml(readFileSync(join(outA, f), 'utf8'));
      expect(x, f).toMatchObject({ ok: true, root: 'svg' });
    }
  });

  it('report.md embeds every SVG and links only to files that exist', () => {
    const md = readFileSync(join(outA, 'report.md'), 'utf8');
    const links = [...md.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    for (const l of links) expect(existsSync(join(outA, l)), l).toBe(true);
    for (const f of report.files.filter((x: string) => x.endsWith('.svg'))) expect(md).toContain(`](${f})`);
    expect(md).toContain(`**${report.verification.valuesCompared.toLocaleString('en-US')} values compared, 0 mismatches**`);
  });
});

describe('helu-sim demo: numbers', () => {
  it('verification: all 1,797 samples, every layer, 0 mismatches', () => {
    const v = report.verification;
    expect(v.samples).toBe(1797);
    expect(v.mode).toBe('gate');
    expect([v.mismatches, v.maxLsbError, v.eventMismatches]).toEqual([0, 0, 0]);
    // the input and 6 layers (flatten, dense, act, dense, act, dense) of the 64-32-10 MLP, per sample
    expect(v.valuesCompared).toBe(1797 * (64 + 64 + 64 + 64 + 32 + 32 + 10));
    expect(v.intAccuracy).toBe(v.floatAccuracy);
    expect(report.training.runs.map((r: { activation: string }) => r.activation)).toEqual(['relu', 'helu']);
    expect(report.seed).toBe(3);
    expect(report.epochs).toBe(3);
  });

  it('printed training table = report.json', () => {
    const s = a.stdout;
    const [relu, helu] = report.training.runs;
    const t = match(s, /^ {2}test accuracy +([\d.]+) % +([\d.]+) %$/m);
    expectPercent(t[1]!, relu.testAccuracy);
    expectPercent(t[2]!, helu.testAccuracy);
    const tr = match(s, /^ {2}train accuracy +([\d.]+) % +([\d.]+) %$/m);
    expectPercent(tr[1]!, relu.trainAccuracy);
    expectPercent(tr[2]!, helu.trainAccuracy);
    const dead = [...s.matchAll(/^ {2}dead units (\w+) +([\d.]+) % +([\d.]+) %$/gm)];
    expect(dead.map((m) => m[1])).toEqual(['dense1', 'dense2']);
    dead.forEach((m, i) => {
      expectPercent(m[2]!, relu.deadFraction[i]);
      expectPercent(m[3]!, helu.deadFraction[i]);
    });
    // the report's per-epoch history ends at the final dead fractions
    expect(helu.history).toHaveLength(3);
    expect(helu.history[2].deadFraction).toEqual(helu.deadFraction);
  });

  it('printed verification = report.json', () => {
    const s = a.stdout;
    const v = report.verification;
    expect(num(match(s, /^ {2}samples +([\d,]+)$/m)[1]!)).toBe(v.samples);
    expect(num(match(s, /^ {2}values compared +([\d,]+)$/m)[1]!)).toBe(v.valuesCompared);
    const mm = match(s, /^ {2}mismatches +([\d,]+) \(max LSB error (\d+)\)$/m);
    expect([num(mm[1]!), num(mm[2]!)]).toEqual([v.mismatches, v.maxLsbError]);
    const rows: [string, string][] = [
      ['float \\(unquantized\\)', 'unquantizedAccuracy'],
      ['quantized float', 'floatAccuracy'],
      ['integer', 'intAccuracy'],
    ];
    for (const [label, key] of rows) {
      const m = match(s, new RegExp(`^ {4}${label} +([\\d.]+) % +([\\d.]+) %$`, 'm'));
      expectPercent(m[1]!, v[key]);
      expectPercent(m[2]!, v.test[key]);
    }
    const units = [...s.matchAll(/^ {2}(?:activation units)? +(act\d+): (\w+) (\S+) -> (\S+), (\d+) gates, depth (\d+)$/gm)];
    expect(units.map((m) => [m[1], m[2], m[3], m[4], num(m[5]!), num(m[6]!)])).toEqual(
      report.quantization.activations.map((u: Record<string, unknown>) => [u.layer, u.name, u.input, u.output, u.gates, u.depth]),
    );
  });

  it('printed activation cost table and accelerator = report.json', () => {
    const s = a.stdout;
    const names = ['helu', 'relu', 'leakyrelu', 'relu6', 'hardswish', 'gelu', 'silu', 'sigmoid', 'tanh'];
    const units = report.activationUnits.units;
    expect(units.map((u: { activation: string }) => u.activation)).toEqual(names);
    for (const u of units) {
      const m = match(
        s,
        new RegExp(
          `^ {2}${u.activation} +([\\d,]+) +([\\d,]+) +(\\d+) +([\\d.,]+) +([\\d.,]+) +([\\d.,]+) +([\\d,]+) +proven \\((\\w+), ([\\d,]+) inputs\\)$`,
          'm',
        ),
      );
      expect([num(m[1]!), num(m[2]!), num(m[3]!), num(m[7]!)]).toEqual([u.gates, u.transistors, u.depth, u.romBits]);
      expectSig(m[4]!, u.delayPs);
      expectSig(m[5]!, u.areaUm2);
      expectSig(m[6]!, u.energyFjPerOp);
      expect([m[8], num(m[9]!), u.verification.proven]).toEqual([u.verification.method, u.verification.vectors, true]);
    }
    const e = report.accelerator.estimate;
    const acc = match(
      s,
      /^ {2}Accelerator for the network: (\d+)x(\d+) WS array at ([\d.,]+) MHz, nangate45: ([\d,]+) cycles, ([\d.]+) µs per batch of 1, ([\d,]+) inferences\/s, ([\d.]+) mm², ([\d.,]+) nJ per inference$/m,
    );
    expect([num(acc[1]!), num(acc[2]!), num(acc[4]!)]).toEqual([16, 16, e.total.cycles]);
    expectSig(acc[3]!, e.array.clockMhz);
    expectSig(acc[5]!, e.total.latencyUs);
    expectSig(acc[6]!, e.total.inferencesPerSecond);
    expectSig(acc[7]!, e.total.areaMm2);
    expectSig(acc[8]!, e.total.energyPj / 1000);
    expect(e.whatIf.activation).toBe('gelu');
    const w = match(s, /^ {2}\| gelu +\| +([\d.]+) \| +([\d.,-]+) \| +([\d.]+) \| +([\d.,-]+) \|/m);
    expectSig(w[1]!, e.whatIf.report.total.areaMm2);
    expectSig(w[2]!, e.whatIf.delta.areaUm2);
    expectSig(w[3]!, e.whatIf.report.total.energyPj / 1000);
    expectSig(w[4]!, e.whatIf.delta.energyPj);
    // the what-if plot's GELU row is the same estimate
    const row = report.accelerator.whatIf.find((r: { activation: string }) => r.activation === 'gelu');
    expect(row.areaUm2).toBe(e.whatIf.report.total.areaUm2);
  });

  it('printed Verilog and report lines = report.json', () => {
    const s = a.stdout;
    for (const v of report.verilog) {
      const m = match(s, new RegExp(`^ {2}${v.module}: ${v.activation} (\\S+) -> (\\S+), behavioral \\((\\S+)\\), ([\\d,]+) gates`, 'm'));
      expect([m[1], m[2], m[3], num(m[4]!)]).toEqual([v.input, v.output, v.form, v.circuit.gates]);
      const c = match(s.slice(m.index), /^ {4}circuit proven \((\w+), ([\d,]+) inputs\); testbench ([\d,]+) golden vectors$/m);
      expect([c[1], num(c[2]!), v.verification.circuit.proven, num(c[3]!)]).toEqual([
        v.verification.circuit.method,
        v.verification.circuit.vectors,
        true,
        v.verification.testbench.vectors,
      ]);
    }
    const f = match(s, /^5\. Report: .*, (\d+) SVG pictures \((\d+) files in all\)$/m);
    expect([num(f[1]!), num(f[2]!)]).toEqual([7, report.files.length]);
    expect(match(s, /^done in ([\d.]+) s$/m)[1]).toBe(report.seconds.total.toFixed(1));
    expect(a.stderr).toBe('');
  });
});

describe('helu-sim demo: outputs work downstream', () => {
  it('--json prints exactly report.json on stdout and nothing on stderr (not a terminal)', () => {
    expect(b.status).toBe(0);
    expect(b.stderr).toBe('');
    const doc = JSON.parse(b.stdout);
    expect(doc).toEqual(JSON.parse(readFileSync(join(outB, 'report.json'), 'utf8')));
    expect(doc.epochs).toBe(1);
    expect(doc.verification.mismatches).toBe(0);
  });

  it('helu-sim verify on the written integer model agrees with the report', () => {
    const r = cli('verify', join(outA, 'model.q.json'), '--dataset', 'digits', '--mode', 'gate', '--json');
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    const d = report.verification;
    expect([v.samples, v.valuesCompared, v.mismatches]).toEqual([d.samples, d.valuesCompared, 0]);
    expect([v.floatAccuracy, v.intAccuracy, v.unquantizedAccuracy]).toEqual([d.floatAccuracy, d.intAccuracy, d.unquantizedAccuracy]);
  });

  it('the Verilog testbenches pass under Icarus Verilog', async () => {
    for (const v of report.verilog) {
      const r = await simulateExport(join(outA, 'verilog'), v.module);
      expect(r.verdict, `${v.module}: ${r.stdout}`).toEqual({ pass: true, mismatches: 0 });
    }
  });
});

describe('helu-sim demo: errors', () => {
  it('unwritable output (a file, or below a file): exit 2, one stderr line, nothing written', async () => {
    const file = join(tmp, 'plain-file');
    writeFileSync(file, 'keep');
    const before = readdirSync(tmp).sort();
    const outs = [file, join(file, 'sub')];
    const runs = await Promise.all(outs.map((o) => cliAsync('demo', '-o', o, '--epochs', '1')));
    for (const [i, r] of runs.entries()) {
      expect(r.status, outs[i]).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^helu-sim: .*plain-file.*file/);
    }
    expect(readdirSync(tmp).sort()).toEqual(before);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('bad options: exit 2, one stderr line, nothing written', async () => {
    const o = join(tmp, 'never');
    const cases = [['--epochs', '0'], ['--epochs', 'x'], ['--seed', '-1'], ['--seed', '4294967296'], ['--bogus']];
    const runs = await Promise.all(cases.map((args) => cliAsync('demo', '-o', o, ...args)));
    for (const [i, r] of runs.entries()) {
      expect(r.status, cases[i]!.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('(run with --help')),
      ).toHaveLength(1);
      expect(existsSync(o)).toBe(false);
    }
  });

  it('--help describes every option with its default', () => {
    const r = cli('demo', '--help');
    expect(r.status).toBe(0);
    for (const s of [
      '-o, --output <dir>',
      '(default: "reports/demo")',
      '--seed <n>',
      '(default: 1)',
      '--epochs <n>',
      '(default: 20)',
      '--json',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });
});
