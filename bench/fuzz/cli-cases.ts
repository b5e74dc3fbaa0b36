import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphToJson, importOnnx } from '../../src/models/index.js';
import { intModelToJson, quantizeModel } from '../../src/sim/index.js';
import { HOSTILE } from './mutate.js';
import { onnxMlp } from './seeds.js';

/*
 * The command-line contract: for a bad command line, exit code 2 and exactly
 * one line on stderr ('helu-sim: ...'), no stack trace, no temporary file
 * left, and an existing output file unchanged.
 */

export interface CliCase {
  args: string[];
  expect: number;
  output?: string;
}
export interface CliResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Files the cases read: valid models, empty, truncated, binary-as-JSON, text-as-ONNX, a directory. */
export function writeCliFiles(dir: string): void {
  mkdirSync(join(dir, 'adir'), { recursive: true });
  const onnx = onnxMlp();
  const g = importOnnx(onnx, 'mlp.onnx');
  const q = quantizeModel(g, { x: Float64Array.from({ length: 16 * 4 }, (_, i) => i % 7), count: 4 }, { storeFloat: false });
  const files: Record<string, string | Uint8Array> = {
    'mlp.onnx': onnx,
    'mlp.json': graphToJson(g),
    'mlp.q.json': intModelToJson(q),
    'empty.onnx': '',
    'empty.json': '',
    'trunc.onnx': onnx.slice(0, onnx.length >> 1),
    'binary.json': onnx,
    'text.onnx': '{"hello": 1}\n',
    'binary.q.json': onnx,
    'prev.q.json': 'previous output\n',
    'inputs.json': '{"inputs": [[1,2]]}',
    'bad.csv': 'a,b\n1,2\n',
    'nl.json': '{"format":"helu-sim-graph","version":1,"nodes":[{"name":"a\\nb","op":"Nope\\u001b[31m"}]}',
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

const NUMBERS = ['0', '-1', '1.5', 'abc', '1e999', '99999999999999999999', '', ' 3', '0x10', 'NaN'];
const HOSTILE_NAMES = HOSTILE.filter(
  (h): h is string => typeof h === 'string' && h !== '' && !h.includes('\u0000') && h.length < 100 && h !== 'relu' && h !== 'fixed<8,4>',
);

/** The cases, with paths relative to the directory writeCliFiles filled (the child's cwd). */
export function cliCases(): CliCase[] {
  const c: CliCase[] = [];
  const bad = (...args: string[]) => c.push({ args, expect: 2 });
  for (const f of ['missing.onnx', 'empty.onnx', 'trunc.onnx', 'text.onnx', 'binary.json', 'empty.json', 'adir', 'nl.json']) {
    bad('eval', f);
    bad('run', f, '--input', 'inputs.json');
    c.push({ args: ['quantize', f, '--calib', 'random:16', '-o', 'prev.q.json'], expect: 2, output: 'prev.q.json' });
  }
  for (const f of ['missing.q.json', 'binary.q.json', 'empty.json', 'mlp.json', 'adir']) {
    bad('verify', f, '--dataset', 'digits');
    bad('cost', f);
  }
  for (const n of HOSTILE_NAMES) {
    bad('activation', n, '--in', 'fixed<8,4>');
    bad('activation', 'helu', '--in', n);
    bad('fixed', n, '1');
    bad('cost', 'mlp.q.json', '--tech', n);
    bad('eval', 'mlp.onnx', '--dataset', n);
    bad('verilog', n, '--in', 'fixed<8,4>', '-o', 'vout');
  }
  for (const v of NUMBERS) {
    bad('quantize', 'mlp.onnx', '--calib', 'random:16', '--bits', v, '-o', 'x.q.json');
    bad('cost', 'mlp.q.json', '--batch', v);
    bad('eval', 'mlp.onnx', '--dataset', 'random:16', '--limit', v);
    if (v !== '0') bad('activation', 'helu', '--in', 'fixed<8,4>', '--pipeline', v);
    bad('train', '--epochs', v);
    bad('--max-tensor-mb', v, 'eval', 'mlp.onnx');
  }
  bad('nosuchcommand');
  bad('eval', 'mlp.onnx', '--no-such-option');
  bad('eval', 'mlp.onnx', '--dataset', 'random:16');
  bad('eval', 'mlp.onnx', '--dataset', 'bad.csv');
  bad('--max-tensor-mb', '1', 'eval', 'mlp.onnx', '--dataset', 'random:4096x4096');
  c.push({ args: ['quantize', 'mlp.onnx', '--calib', 'random:16', '--bits', '99', '-o', 'prev.q.json'], expect: 2, output: 'prev.q.json' });
  c.push({
    args: ['quantize', 'mlp.onnx', '--calib', 'random:16', '-o', 'adir/sub/../../prev.q.json/x'],
    expect: 2,
    output: 'prev.q.json',
  });
  c.push({ args: ['fixed', 'fixed<8,4>', '1.5'], expect: 0 });
  c.push({ args: ['cost', 'mlp.q.json'], expect: 0 });
  return c;
}

/** Runs the CLI (compiled main.js) in `cwd`; a hung run is killed after `timeoutMs`. */
export function runCli(main: string, cwd: string, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--max-old-space-size=1024', main, ...args], {
      cwd,
      env: { ...process.env, HELU_SIM_MAX_TENSOR_MB: '256' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/** Temporary files of the atomic writer left in `dir` (and one level below). */
export function leftoverTemps(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (/\.tmp-\d+-[0-9a-f]+$/.test(e.name)) out.push(e.name);
    else if (e.isDirectory()) for (const f of readdirSync(join(dir, e.name))) if (/\.tmp-\d+-[0-9a-f]+$/.test(f)) out.push(join(e.name, f));
  }
  return out;
}

/** What is wrong with a case's result (undefined when the contract holds). */
export function contractViolation(k: CliCase, r: CliResult, dir: string): string | undefined {
  if (r.status !== k.expect) return `exit ${r.status ?? r.signal}, expected ${k.expect}: ${r.stderr.slice(0, 300)}`;
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (k.expect === 2) {
    if (lines.length !== 1) return `${lines.length} stderr lines: ${JSON.stringify(r.stderr.slice(0, 300))}`;
    if (!lines[0]!.startsWith('helu-sim: ') || /internal error|\bat .*:\d+:\d+/.test(lines[0]!))
      return `not a user error line: ${lines[0]}`;
  }
  const temps = leftoverTemps(dir);
  if (temps.length > 0) return `temporary files left: ${temps.join(', ')}`;
  if (k.output && readFileSync(join(dir, k.output), 'utf8') !== 'previous output\n') return `existing output '${k.output}' changed`;
  return undefined;
}
