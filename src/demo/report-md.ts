/**
 * report.md: the demo's numbers as GitHub-flavoured Markdown, the SVG pictures
 * embedded by relative links (the report is read in place, next to them).
 */
import { unitVerificationText } from '../activations/index.js';
import { acceleratorDelta } from '../hardware/index.js';
import {
  acceleratorLayerTable,
  acceleratorSummary,
  acceleratorTotalTable,
  formatInt,
  formatPercent,
  formatSig,
  markdownTable,
  whatIfTable,
} from '../report/index.js';
import { DEMO_SWAP } from './cost-step.js';
import { activationLabel, FIGURES } from './figures.js';
import { percent } from './summary.js';
import type { DemoResult } from './types.js';
import { VERILOG_DIR } from './verilog-step.js';

const img = (alt: string, file: string) => `![${alt}](${file})`;

function intro(r: DemoResult): string[] {
  const d = r.dataset;
  return [
    '# helu-sim demo report',
    '',
    `Written by \`helu-sim demo\` (helu-sim ${r.tool.version}, seed ${r.seed}, ${r.epochs} epochs, ${r.seconds.total.toFixed(1)} s). ` +
      `Data: the bundled ${d.name} set, ${formatInt(d.samples)} images of shape [${d.inputShape.join(', ')}] in ${d.classes} classes ` +
      `(the first ${formatInt(d.train)} train, the last ${formatInt(d.test)} test). All numbers are in [report.json](report.json).`,
    '',
    '1. [Training: ReLU vs HeLU](#1-training-relu-vs-helu)',
    '2. [8-bit export and bit-exact verification](#2-8-bit-export-and-bit-exact-verification)',
    '3. [Activation units](#3-activation-units)',
    '4. [Accelerator estimate](#4-accelerator-estimate)',
    '5. [Verilog](#5-verilog)',
    '',
  ];
}

function training(r: DemoResult): string[] {
  const t = r.training;
  const runs = t.runs;
  const rows = [
    ['test accuracy', ...runs.map((x) => percent(x.testAccuracy))],
    ['train accuracy', ...runs.map((x) => percent(x.trainAccuracy))],
    ...t.hiddenLayers.map((l, i) => [
      `dead units, ${l.name} (${l.units})`,
      ...runs.map((x) => `${percent(x.deadFraction[i]!)} (${Math.round(x.deadFraction[i]! * l.units)})`),
    ]),
  ];
  return [
    '## 1. Training: ReLU vs HeLU',
    '',
    `The same MLP (\`${r.arch}\`: ${t.hiddenLayers.map((l) => l.units).join(' and ')} hidden units, 10 outputs) trained twice with TF.js (${t.backend} backend) ` +
      `from the same seed, so both runs start from the same weights and see the same mini-batches. HeLU computes ReLU in the forward pass; ` +
      `its gradient passes for x > −α (hysteresis), so a unit just below zero still learns. A unit is dead when its output is 0 for every training sample. ` +
      `Both runs took ${t.seconds.toFixed(1)} s. One seed of one small network cannot answer which activation trains better: ` +
      '`helu-sim study` does, over seeds and activations with intervals and paired tests (its report: reports/study/report.md in the repository).',
    '',
    markdownTable(['', ...runs.map((x) => activationLabel(x.activation))], rows, ['left', ...runs.map(() => 'right' as const)]),
    img('Training curves: loss, train and test accuracy per epoch, ReLU vs HeLU', FIGURES.training),
    '',
    img('Dead-unit fraction per epoch and hidden layer, ReLU vs HeLU', FIGURES.dead),
    '',
  ];
}

function verification(r: DemoResult): string[] {
  const q = r.quantization;
  const v = r.verification;
  const layers = markdownTable(
    ['layer', 'op', 'output format', 'weights', 'accumulator', 'mismatches', 'max LSB error', 'saturations', 'SQNR (dB)'],
    q.layers.map((l) => {
      const vl = v.layers.find((x) => x.name === l.name);
      return [
        l.name,
        l.activation ? `${l.op} (${l.activation}, ${l.circuit!.gates} gates)` : l.op,
        l.out,
        Array.isArray(l.weights) ? 'per channel' : (l.weights ?? ''),
        l.acc?.join(', ') ?? '',
        vl?.mismatches ?? '',
        vl?.maxLsbError ?? '',
        vl?.saturations ?? '',
        vl?.sqnrDb == null ? '' : formatSig(vl.sqnrDb, 4),
      ];
    }),
    ['left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
  );
  const acc = markdownTable(
    ['accuracy', `all ${formatInt(v.samples)} samples`, `test split (${formatInt(v.test.samples)})`],
    [
      ['float, unquantized', percent(v.unquantizedAccuracy), percent(v.test.unquantizedAccuracy)],
      ['quantized float (reference)', percent(v.floatAccuracy), percent(v.test.floatAccuracy)],
      ['integer (gate-level activations)', percent(v.intAccuracy), percent(v.test.intAccuracy)],
    ],
    ['left', 'right', 'right'],
  );
  return [
    '## 2. 8-bit export and bit-exact verification',
    '',
    `The HeLU network exported to ${q.bits}-bit \`${q.scheme}\` fixed point: every tensor a format \`fixed<W,I>\`, integer bits from calibrated ranges ` +
      `(${q.calibration}), accumulators as wide as the exact worst case. Input format \`${q.input}\`. The integer model is [model.q.json](model.q.json) ` +
      `(the float network is [helu.onnx](helu.onnx)).`,
    '',
    `Verification ran all ${formatInt(v.samples)} samples through the integer engine, every activation evaluated by simulating its gate-level circuit ` +
      `(${q.activations.map((u) => `${u.layer}: \`${u.name}\` \`${u.input}\` → \`${u.output}\`, ${u.gates} gates`).join('; ')}), and through the float reference of the same quantized network, ` +
      `and compared every value of every layer: **${formatInt(v.valuesCompared)} values compared, ${formatInt(v.mismatches)} mismatches** ` +
      `(max error ${v.maxLsbError} LSB; saturation counts disagreeing: ${v.eventMismatches}).`,
    '',
    acc,
    layers,
  ];
}

function units(r: DemoResult): string[] {
  const u = r.activationUnits;
  const table = markdownTable(
    [
      'activation',
      'kind',
      'gates',
      'transistors',
      'NAND2 eq.',
      'depth',
      'delay (ps)',
      'area (µm²)',
      'energy / op (fJ)',
      'ROM bits',
      'circuit check',
    ],
    u.units.map((x) => {
      const kind = x.romBits > 0 ? 'table' : 'logic';
      return [
        x.activation,
        kind,
        x.gates,
        x.transistors,
        formatSig(x.nand2Equivalents, 4),
        x.depth,
        formatSig(x.delayPs, 4),
        formatSig(x.areaUm2, 4),
        formatSig(x.energyFjPerOp, 4),
        x.romBits,
        unitVerificationText(x.verification),
      ];
    }),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
  );
  return [
    '## 3. Activation units',
    '',
    `Each unit maps the input format of the network's first activation layer (${r.quantization.activation.layer}), \`${u.input}\`, to its output format \`${u.output}\` ` +
      `(a drop-in replacement for the network's unit; functions with negative outputs saturate at 0 there), built by helu-sim as a gate netlist (Yosys internal cells), ` +
      `checked against its fixed-point model on every input, and costed with the ${u.tech} technology file ` +
      `(energy: average over the same random input stream for every unit). Table activations are ROMs converted to logic.`,
    '',
    table,
    img('Area, gates and energy per evaluation of each activation unit', FIGURES.activationCost),
    '',
    `Transfer curves: the float function (line) and the fixed-point unit (staircase, one step per input code).`,
    '',
    img('HeLU transfer curve, float vs fixed point', FIGURES.transferHelu),
    img('GELU transfer curve, float vs fixed point', FIGURES.transferGelu),
    '',
    `The network's HeLU unit as helu-sim builds it (Yosys JSON drawn by netlistsvg; ANDNOT is A & ~B):`,
    '',
    img('Gate-level schematic of the HeLU unit', FIGURES.schematic),
    '',
  ];
}

function accelerator(r: DemoResult): string[] {
  const e = r.accelerator.estimate;
  const own = r.quantization.activation.name;
  const swap = e.whatIf ? [{ activation: e.whatIf.activation, report: e.whatIf.report, delta: e.whatIf.delta }] : [];
  const all = markdownTable(
    ['activation unit', 'area (mm²)', 'Δ area', 'activation units (µm²)', 'energy / inference (nJ)', 'Δ energy', 'latency (µs)'],
    r.accelerator.whatIf.map((w) => [
      w.activation,
      formatSig(w.areaUm2 / 1e6, 4),
      formatPercent(w.delta.areaRatio - 1, 2),
      formatSig(w.activationAreaUm2, 4),
      formatSig(w.energyPj / 1e3, 4),
      formatPercent(w.delta.energyRatio - 1, 2),
      formatSig(w.latencyUs, 4),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  return [
    '## 4. Accelerator estimate',
    '',
    `The integer network on a systolic array (default options of \`helu-sim cost\`): ${acceleratorSummary(e)}.`,
    '',
    acceleratorLayerTable(e),
    acceleratorTotalTable(e),
    `What-if: every activation unit ${activationLabel(DEMO_SWAP)} instead of ${activationLabel(own)} (same formats, same array):`,
    '',
    whatIfTable([{ activation: own, report: e, delta: acceleratorDelta(e, e) }, ...swap]),
    'Every activation unit in turn:',
    '',
    all,
    img('Accelerator area and energy per inference by activation unit', FIGURES.whatIf),
    '',
  ];
}

function verilog(r: DemoResult, outDir: string): string[] {
  const rows = r.verilog.map((s) => [
    s.module,
    `${s.activation} (${s.family})`,
    `${s.style}, ${s.form}`,
    s.circuit.gates,
    s.romBits,
    `${s.verification.testbench.vectors} (${s.verification.testbench.method})`,
    s.files.map((f) => `[${f}](${VERILOG_DIR}/${f})`).join(' '),
  ]);
  const first = r.verilog[0];
  return [
    '## 5. Verilog',
    '',
    `Verilog-2001 for the network's activation unit and for the table-based GELU unit between the same formats, each with a self-checking ` +
      `testbench whose golden vectors come from helu-sim's fixed-point model (GELU also with its table as .mem, .coe and .mif).`,
    '',
    markdownTable(['module', 'activation', 'form', 'gates', 'ROM bits', 'testbench vectors', 'files'], rows, [
      'left',
      'left',
      'left',
      'right',
      'right',
      'right',
      'left',
    ]),
    ...(first
      ? [
          'Run a testbench in the verilog directory (it prints PASS or FAIL with a count):',
          '',
          '```sh',
          `cd ${VERILOG_DIR} && iverilog -g2005 -o tb.vvp ${first.module}.v ${first.module}_tb.v && vvp -n tb.vvp`,
          '```',
          '',
        ]
      : []),
    '## Reproduce',
    '',
    '```sh',
    `helu-sim demo -o ${outDir} --seed ${r.seed} --epochs ${r.epochs}`,
    `helu-sim verify ${outDir}/model.q.json --dataset digits --mode gate`,
    `helu-sim cost ${outDir}/model.q.json --swap-activation gelu`,
    '```',
    '',
  ];
}

/** The whole report.md; `outDir` (as the user gave it) appears in the commands that reproduce it. */
export function renderReportMarkdown(r: DemoResult, outDir = 'reports/demo'): string {
  return [...intro(r), ...training(r), ...verification(r), ...units(r), ...accelerator(r), ...verilog(r, outDir)].join('\n');
}
