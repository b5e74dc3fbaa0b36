/**
 * report.md of the study: the question, what was run, the answer with its
 * uncertainty, the pictures (relative links), the verification, and the
 * command that reproduces it.
 */
import { formatInt, formatSig, markdownTable } from '../report/index.js';
import { recordsOf } from './aggregate.js';
import { deadFigure, heluAlpha, STUDY_FIGURES, studyLabel } from './figures.js';
import type { Interval } from './stats.js';
import type { ActivationSummary, StudyResult } from './types.js';
import { differenceText, PAPER_ALPHA, PAPER_RESULTS, signText, verdictText } from './verdict.js';

const img = (alt: string, file: string) => `![${alt}](${file})`;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const meanSd = (i: Interval) => (i.n < 2 ? pct(i.mean) : `${pct(i.mean)} ± ${(100 * i.sd).toFixed(2)}`);
const ciText = (i: Interval) => (i.lo === null || i.hi === null ? 'n/a' : `[${(100 * i.lo).toFixed(2)}, ${(100 * i.hi).toFixed(2)}]`);

function design(r: StudyResult): string[] {
  const rows = r.datasets.map((d) => [
    d.name,
    `\`${d.arch}\``,
    `${d.trainSamples === undefined ? 'all' : formatInt(d.trainSamples)} / ${d.testSamples === undefined ? 'all' : formatInt(d.testSamples)}`,
    d.epochs,
    `${d.hyper.optimizer}, lr ${d.hyper.learningRate}, batch ${d.hyper.batchSize}, label smoothing ${d.hyper.labelSmoothing}`,
    d.hiddenLayers.map((l) => `${l.name} ${l.units}`).join(', '),
  ]);
  return [
    markdownTable(
      ['data set', 'architecture', 'train / test samples', 'epochs', 'hyperparameters (every activation)', 'watched layers'],
      rows,
    ),
    `Activations: ${r.activations.map((a) => `\`${a}\``).join(', ')}; seeds ${r.seeds.join(', ')}. For one seed every activation starts from the same initial weights and sees ` +
      'the same mini-batches in the same order; only the activation differs. The hyperparameters were fixed before the first run and are the same for every activation ' +
      '(no tuning toward an outcome). `cnn` layers `8c3b` are 8 filters of 3x3 followed by BatchNorm (folded into the convolution at export).',
    '',
    'Every trained network is exported to 8-bit pow2 fixed point (formats calibrated on its training split), verified bit-exact against the float reference of the same ' +
      'quantized network on every sample of both splits with each activation simulated as its gate-level circuit, and costed on a 16x16 systolic array (nangate45) with its own formats. ' +
      "Accuracies compared are the integer network's on the test split (what would be deployed); the float network's are listed too.",
    '',
  ];
}

function answer(r: StudyResult): string[] {
  const paper = markdownTable(
    ['task (paper)', 'ReLU', 'HeLU', 'GELU', 'HeLU − ReLU'],
    PAPER_RESULTS.map((p) => [
      p.task,
      `${p.relu.toFixed(2)} %`,
      `${p.helu.toFixed(2)} %`,
      `${p.gelu.toFixed(2)} %`,
      `+${(p.helu - p.relu).toFixed(2)} pp`,
    ]),
    ['left', 'right', 'right', 'right', 'right'],
  );
  const lines = r.datasets.flatMap((d) => {
    const s = r.summaries.filter((x) => x.dataset === d.name);
    const helu = s.find((x) => heluAlpha(x.activation) === PAPER_ALPHA) ?? s.find((x) => heluAlpha(x.activation) !== undefined);
    const others = s.filter((x) => x.vsBaseline);
    return [
      `**${d.name}** (${r.seeds.length} seed(s)). The paper's sign (HeLU above ReLU): ${helu ? `${signText(helu.vsBaseline)} for ${studyLabel(helu.activation)}` : 'HeLU not run'}.`,
      '',
      ...others.map((x) => `- ${verdictText(x, studyLabel(x.activation), studyLabel(r.baseline))}`),
      '',
    ];
  });
  return [
    '## 1. The answer, with its uncertainty',
    '',
    'The paper reports, for a Wide ResNet trained on CIFAR (scale far beyond this study):',
    '',
    paper,
    `This study runs small networks on small data (below), on two CPU cores in minutes. A difference is called resolved when the 95 % t-interval of the mean paired ` +
      `difference over seeds excludes 0; otherwise it is within noise. The Wilcoxon signed-rank test (exact) is the distribution-free check on the same pairs.`,
    '',
    ...lines,
  ];
}

/** Gates of the activation units over the seeds' networks (min–max: formats are calibrated per network and layer). */
function unitGates(r: StudyResult, x: ActivationSummary): string {
  const g = recordsOf(r.networks, x.dataset, x.activation).flatMap((n) => n.quantization.units.map((u) => u.gates));
  const lo = Math.min(...g),
    hi = Math.max(...g);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

function accuracyTable(r: StudyResult, d: string): string {
  const s = r.summaries.filter((x) => x.dataset === d);
  const rows = s.map((x: ActivationSummary) => [
    studyLabel(x.activation),
    x.seeds.length,
    meanSd(x.testAccuracy),
    meanSd(x.intTestAccuracy),
    ciText(x.intTestAccuracy),
    x.vsBaseline ? differenceText(x.vsBaseline) : '(baseline)',
    x.vsBaseline ? x.vsBaseline.wilcoxon.p.toFixed(4) : '',
    x.vsBaseline?.verdict ?? '',
    unitGates(r, x),
    formatSig(x.activationAreaUm2.mean, 4),
    formatSig(x.activationEnergyPj.mean, 4),
    formatSig(x.acceleratorAreaUm2.mean, 4),
    x.deadFraction.map((f) => pct(f)).join(', '),
  ]);
  return markdownTable(
    [
      'activation',
      'seeds',
      'float test acc. (mean ± sd)',
      'integer test acc. (mean ± sd)',
      '95 % interval',
      'Δ vs ReLU, paired [95 %]',
      'Wilcoxon p',
      'verdict',
      'gates per unit',
      'act. units area (µm²)',
      'act. energy / inference (pJ)',
      'accelerator area (µm²)',
      'dead units, last epoch',
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right'],
  );
}

function results(r: StudyResult): string[] {
  return [
    '## 2. Accuracy and cost per activation',
    '',
    ...r.datasets.flatMap((d) => [`### ${d.name}`, '', accuracyTable(r, d.name)]),
    "Activation-unit area and energy are those of the accelerator's activation units (one per array column for each distinct unit) at the network's own calibrated formats; " +
      'HeLU and ReLU are the same sign-bit circuit at inference (a few AND gates), GELU and SiLU are tables converted to logic. Differences in area between ReLU and HeLU ' +
      "come only from calibration: the formats of a network's layers are chosen from its own value ranges, and layers whose unit formats coincide share one unit. " +
      'Activation energy is per inference, over every activation the network evaluates.',
    '',
    img('Test accuracy against activation-unit area', STUDY_FIGURES.paretoArea),
    '',
    img('Test accuracy against activation-unit energy', STUDY_FIGURES.paretoEnergy),
    '',
    img('Test accuracy per seed', STUDY_FIGURES.distribution),
    '',
    '## 3. Dead units and the α sweep',
    '',
    'A unit (a channel, for a convolution) is dead when its activation output is 0 on every training sample; fractions are means over seeds.',
    '',
    ...r.datasets.flatMap((d) => [img(`Dead units per epoch, ${d.name}`, deadFigure(d.name)), '']),
    img('HeLU minus ReLU test accuracy by α', STUDY_FIGURES.alphaSweep),
    '',
  ];
}

function verification(r: StudyResult): string[] {
  const v = r.verification;
  const rows = r.datasets.flatMap((d) =>
    r.activations.map((a) => {
      const rs = recordsOf(r.networks, d.name, a);
      const sum = (f: (x: (typeof rs)[number]) => number) => rs.reduce((s, x) => s + f(x), 0);
      return [
        d.name,
        studyLabel(a),
        rs.length,
        formatInt(sum((x) => x.verification.samples)),
        formatInt(sum((x) => x.verification.valuesCompared)),
        formatInt(sum((x) => x.verification.mismatches)),
        Math.max(0, ...rs.map((x) => x.verification.maxLsbError)),
        formatInt(sum((x) => x.verification.eventMismatches)),
      ];
    }),
  );
  return [
    '## 4. Bit-exact verification',
    '',
    `${formatInt(v.networks)} networks, ${formatInt(v.valuesCompared)} values compared (every value of every layer, every sample), ` +
      `**${formatInt(v.mismatches)} mismatches**, saturation counts disagreeing: ${formatInt(v.eventMismatches)}.`,
    '',
    markdownTable(
      ['data set', 'activation', 'networks', 'samples', 'values compared', 'mismatches', 'max LSB error', 'event mismatches'],
      rows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
}

/** The whole report.md; `command` is the invocation that reproduces it. */
export function renderStudyMarkdown(r: StudyResult, command: string): string {
  return [
    '# helu-sim study: activation accuracy against activation hardware cost',
    '',
    `Written by \`helu-sim study\` (helu-sim ${r.tool.version}; ${r.networks.length} networks, ${r.cache.trained} trained in this run and ${r.cache.hits} read from the cache; ` +
      `this run ${r.seconds.toFixed(0)} s, ${r.cpuSeconds.toFixed(0)} s CPU; the networks' jobs took ${r.networkSeconds.toFixed(0)} s of wall time in all, when they were trained). ` +
      `Every number is in [report.json](report.json); each network's record is under [cache/](cache/).`,
    '',
    ...design(r),
    ...answer(r),
    ...results(r),
    ...verification(r),
    '## Reproduce',
    '',
    '```sh',
    command,
    '```',
    '',
    'A rerun reads every finished network from cache/ and trains only the missing ones (e.g. with more seeds).',
    '',
  ].join('\n');
}
