// The README's 'Library API' example, compiled with the project so the example stays true to the types,
// and timed step by step. The code between the markers is the README's, with its import from 'helu-sim'
// pointing at the sources (test/demo/readme.test.ts checks that the two stay identical).
// Run from the repository root: it reads reports/demo/helu.onnx (written by `helu-sim demo`) and writes rtl/ in a
// temporary directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const t0 = Date.now();
const rtlDir = mkdtempSync(join(tmpdir(), 'helu-api-'));
process.chdir(rtlDir);
const root = new URL('../..', import.meta.url).pathname;
const modelPath = join(root, 'reports', 'demo', 'helu.onnx');

// README:begin
import {
  costNetwork,
  loadDataset,
  loadOnnx,
  parseFormat,
  quantizeModel,
  saveIntModel,
  splitOf,
  verifyModel,
  writeActivationExport,
} from '../src/index.js';

// 1. A float network (ONNX; `helu-sim demo` writes this one) and the bundled data set.
const graph = loadOnnx(modelPath);
const digits = loadDataset('digits');

// 2. Quantize: 8-bit pow2 fixed point, formats calibrated on the training split.
const model = quantizeModel(graph, digits.train, { bits: 8 });
saveIntModel('helu.q.json', model);

// 3. Verify: every value of every layer, integer engine against the float reference,
//    each activation simulated as its gate-level circuit.
const check = verifyModel(model, splitOf(digits, 'all'), { mode: 'gate', float: graph });
console.log(`${check.valuesCompared} values compared, ${check.mismatches} mismatches, integer accuracy ${check.intAccuracy}`);

// 4. Cost on a 16x16 systolic array (nangate45), and again with GELU in every activation unit.
const cost = costNetwork(model, { array: { rows: 16, cols: 16 }, swapActivation: 'gelu' });
console.log(`${cost.total.areaMm2} mm², ${cost.total.energyPj} pJ per inference; GELU adds ${cost.whatIf?.delta.areaUm2} µm²`);

// 5. Verilog of the first activation layer's unit, with its testbench, into rtl/.
const act = model.layers.find((l) => l.op === 'activation');
if (act?.op === 'activation' && act.in.kind === 'pow2' && act.out.kind === 'pow2') {
  const unit = writeActivationExport('rtl', {
    activation: act.activation,
    in: parseFormat(act.in.format),
    out: parseFormat(act.out.format),
  });
  console.log(`wrote ${unit.paths.join(', ')}`);
}
// README:end

rmSync(rtlDir, { recursive: true, force: true });
console.log(`library API example: ${((Date.now() - t0) / 1000).toFixed(2)} s (${check.mismatches === 0 ? 'bit-exact' : 'MISMATCH'})`);
startupFigures();

/**
 * Start-up cost, as CPU time (user + system; the machine is shared, so wall
 * time is noise), median of interleaved repetitions in fresh processes:
 * importing the package root (the bundled dist/pkg the package exports, and
 * the unbundled dist/src modules for comparison) measured inside the process
 * around the import; `helu-sim fixed` and `helu-sim --version` as whole
 * processes (bench/load-probe.mjs), next to a bare `node -e 0`.
 */
function startupFigures(reps = 7): void {
  const probeFile = join(rtlDir + '-probe.jsonl');
  const importCpu = (file: string) => () => {
    const code = `const u = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const d = process.cpuUsage(u); console.log((d.user + d.system) / 1000);`;
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim());
  };
  const processCpu = (args: string[]) => () => {
    rmSync(probeFile, { force: true });
    execFileSync(process.execPath, ['--import', join(root, 'bench', 'load-probe.mjs'), ...args], {
      cwd: root,
      env: { ...process.env, HELU_PROBE: probeFile },
      stdio: 'ignore',
    });
    return (JSON.parse(readFileSync(probeFile, 'utf8')) as { cpuMs: number }).cpuMs;
  };
  const main = join(root, 'dist', 'src', 'cli', 'main.js');
  const cases: [string, () => number][] = [
    ['import helu-sim (dist/pkg, bundled)', importCpu(join(root, 'dist', 'pkg', 'index.js'))],
    ['import dist/src/index.js (unbundled)', importCpu(join(root, 'dist', 'src', 'index.js'))],
    ["helu-sim fixed 'fixed<8,4>' 1.5 (whole process)", processCpu([main, 'fixed', 'fixed<8,4>', '1.5'])],
    ['helu-sim --version (whole process)', processCpu([main, '--version'])],
    ['node -e 0 (whole process, the floor)', processCpu(['-e', '0'])],
  ];
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) cases.forEach(([, f], i) => times[i]!.push(f()));
  rmSync(probeFile, { force: true });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const floor = median(times[4]!);
  cases.forEach(([name], i) => {
    const m = median(times[i]!);
    console.log(`${name.padEnd(50)} ${m.toFixed(0).padStart(5)} ms CPU${i >= 2 && i < 4 ? ` (${(m / floor).toFixed(2)}x bare node)` : ''}`);
  });
  console.log(
    `root import target < 150 ms: ${median(times[0]!) < 150 ? 'met' : 'NOT met'}; fixed command target < 300 ms: ${median(times[2]!) < 300 ? 'met' : 'NOT met'}`,
  );
}
