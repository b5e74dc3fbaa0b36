/*
 * The exported-Verilog matrix: activations x input formats x output formats
 * (every rounding and overflow mode appears) x styles, each unit exported
 * into a temporary directory, its testbench run in Icarus Verilog (must print
 * PASS) and the module linted with `verilator --lint-only -Wall` (must be
 * clean). By default a seeded sample of ~150 units (about a minute); --full
 * runs all of them (several minutes).
 * Usage: node dist/bench/verilog-matrix.js [--full] [--seed N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseOutputFormat } from '../src/activations/index.js';
import { UserError } from '../src/errors.js';
import { parseFormat } from '../src/fixedpoint/index.js';
import { VectorRng } from '../src/netlist/index.js';
import { runIverilog, testbenchVerdict, verilatorLint, writeActivationExport, type VerilogStyle } from '../src/verilog/index.js';

const ACTIVATIONS = [
  'helu',
  'leakyrelu',
  'leakyrelu:0.01',
  'leakyrelu:0.3',
  'leakyrelu:0',
  'relu6',
  'clamp',
  'clamp:-0.3:0.3',
  'clamp:2:3',
  'clamp:-9:-8',
  'hardsigmoid',
  'hardswish',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'elu',
];
const INPUTS = ['fixed<8,4>', 'fixed<6,2>', 'ufixed<6,3>', 'fixed<7,-1>', 'fixed<6,8>', 'fixed<1,1>', 'fixed<5,0>', 'fixed<10,4>'];
const OUTPUTS = [
  undefined,
  'fixed<6,2,RND,SAT>',
  'fixed<5,3,TRN_ZERO,WRAP>',
  'fixed<8,5,RND_ZERO,SAT_ZERO>',
  'fixed<10,2,RND_INF,SAT_SYM>',
  'ufixed<6,2,RND_MIN_INF,SAT>',
  'fixed<4,4,RND_CONV,WRAP>',
  'ufixed<7,1,RND_CONV,SAT>',
  'fixed<9,-2,TRN_ZERO,SAT>',
  'fixed<3,9,RND_INF,SAT_SYM>',
];
const STYLES: { style: VerilogStyle; pipeline: number }[] = [
  { style: 'behavioral', pipeline: 0 },
  { style: 'structural', pipeline: 0 },
  { style: 'behavioral', pipeline: 2 },
  { style: 'structural', pipeline: 1 },
];

interface Unit {
  activation: string;
  input: string;
  output?: string;
  style: VerilogStyle;
  pipeline: number;
}

function allUnits(): Unit[] {
  const units: Unit[] = [];
  for (const activation of ACTIVATIONS)
    for (const input of INPUTS) for (const output of OUTPUTS) for (const s of STYLES) units.push({ activation, input, output, ...s });
  return units;
}

/** Exports, simulates and lints one unit: undefined when it passes, else what went wrong. */
async function run(u: Unit, dir: string): Promise<string | undefined> {
  const out = join(dir, `u${performance.now().toFixed(0)}`);
  const e = writeActivationExport(out, {
    activation: u.activation,
    in: parseFormat(u.input),
    out: u.output === undefined ? undefined : parseOutputFormat(u.output),
    style: u.style,
    pipeline: u.pipeline,
  });
  const stdout = await runIverilog(out, [`${e.module}.v`, `${e.module}_tb.v`], `${e.module}_tb`);
  const verdict = testbenchVerdict(stdout);
  if (stdout !== 'PASS\n') return `testbench: ${verdict ? `FAIL ${verdict.mismatches}` : stdout.slice(0, 200)}`;
  const lint = await verilatorLint(join(out, `${e.module}.v`), { top: e.module });
  rmSync(out, { recursive: true, force: true });
  return lint.length > 0 ? `lint: ${lint[0]}` : undefined;
}

async function main(): Promise<void> {
  const full = process.argv.includes('--full');
  const seedArg = process.argv.indexOf('--seed');
  const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 4;
  let units = allUnits();
  if (!full) {
    const rng = new VectorRng(seed);
    units = units.filter(() => rng.bits(16) < 65536 * (150 / units.length));
  }
  console.log(`${units.length} units${full ? ' (full matrix)' : ` sampled from ${allUnits().length}, seed ${seed}`}`);
  const dir = mkdtempSync(join(tmpdir(), 'helu-matrix-'));
  const t0 = performance.now();
  let pass = 0,
    refused = 0;
  const failures: string[] = [];
  try {
    for (const u of units) {
      const label = `${u.activation} ${u.input} -> ${u.output ?? 'default'} ${u.style} p${u.pipeline}`;
      try {
        const problem = await run(u, dir);
        if (problem) failures.push(`${label}: ${problem}`);
        else pass++;
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        refused++; // e.g. clamp bounds the parser refuses
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `PASS and lint clean: ${pass}; refused as bad input: ${refused}; failed: ${failures.length}; ${seconds.toFixed(1)} s (${(seconds / Math.max(units.length, 1)).toFixed(2)} s per unit)`,
  );
  for (const f of failures) console.log(`  ${f}`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
