// The README's 'Library API' example, compiled with the project so the example stays true to the types,
// and timed step by step. The code between the markers is the README's, with its import from 'helu-sim'
// pointing at the sources (test/demo/readme.test.ts checks that the two stay identical).
// Run from the repository root: it reads reports/demo/helu.onnx (written by `helu-sim demo`) and writes rtl/ in a
// temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const t0 = Date.now();
const rtlDir = mkdtempSync(join(tmpdir(), 'helu-api-'));
process.chdir(rtlDir);
const root = new URL('../..', import.meta.url).pathname;
const modelPath = join(root, 'reports', 'demo', 'helu.onnx');

// README:begin
import {
  costNetwork, loadDataset, loadOnnx, parseFormat, quantizeModel, saveIntModel, splitOf, verifyModel, writeActivationExport,
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
  const unit = writeActivationExport('rtl', { activation: act.activation, in: parseFormat(act.in.format), out: parseFormat(act.out.format) });
  console.log(`wrote ${unit.paths.join(', ')}`);
}
// README:end

rmSync(rtlDir, { recursive: true, force: true });
console.log(`library API example: ${((Date.now() - t0) / 1000).toFixed(2)} s (${check.mismatches === 0 ? 'bit-exact' : 'MISMATCH'})`);
