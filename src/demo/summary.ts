/**
 * The demo's printed summary, one section per step, from the same numbers
 * report.json holds. Accuracies and dead fractions print as percentages with
 * two decimals, counts in full with thousands separators.
 */
import { unitVerificationText, type ActivationReport } from '../activations/index.js';
import { acceleratorDelta } from '../hardware/index.js';
import { acceleratorSummary, formatInt, formatSig, whatIfTable } from '../report/index.js';
import { DEMO_SWAP } from './cost-step.js';
import { activationLabel } from './figures.js';
import type { DemoResult } from './types.js';

/** A fraction as a percentage with two decimals ('95.00 %'); 'n/a' for null. */
export function percent(x: number | null): string {
  return x === null ? 'n/a' : `${(100 * x).toFixed(2)} %`;
}

function indent(text: string): string {
  return (
    text
      .trimEnd()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n') + '\n'
  );
}

export function headerText(r: Pick<DemoResult, 'dataset' | 'arch' | 'seed' | 'epochs'>): string {
  const d = r.dataset;
  return (
    `helu-sim demo: ${d.name}, ${formatInt(d.samples)} samples of shape [${d.inputShape.join(',')}] ` +
    `(${formatInt(d.train)} train, ${formatInt(d.test)} test), ${r.arch}, seed ${r.seed}, ${r.epochs} epochs\n\n`
  );
}

export function trainingText(t: DemoResult['training']): string {
  const runs = t.runs;
  const row = (label: string, cells: string[]) => `  ${label.padEnd(22)}${cells.map((c) => c.padStart(10)).join('')}\n`;
  const lines = [
    `1. Training with ReLU and with HeLU (same seed: same initial weights and batch order; TF.js ${t.backend})\n`,
    row(
      '',
      runs.map((r) => activationLabel(r.activation)),
    ),
    row(
      'test accuracy',
      runs.map((r) => percent(r.testAccuracy)),
    ),
    row(
      'train accuracy',
      runs.map((r) => percent(r.trainAccuracy)),
    ),
    ...t.hiddenLayers.map((l, i) =>
      row(
        `dead units ${l.name}`,
        runs.map((r) => percent(r.deadFraction[i]!)),
      ),
    ),
  ];
  // Per-run times are in report.json; they are not compared here because the first run also warms up TF.js.
  lines.push(`  both runs trained in ${t.seconds.toFixed(1)} s\n`);
  lines.push('  (one seed of one small MLP: accuracy over seeds and activations, with its uncertainty, is `helu-sim study`)\n');
  return lines.join('') + '\n';
}

export function verificationText(q: DemoResult['quantization'], v: DemoResult['verification']): string {
  const t = v.test;
  const row = (label: string, all: number | null, test: number | null) =>
    `    ${label.padEnd(24)}${percent(all).padStart(10)}${percent(test).padStart(12)}\n`;
  return [
    `2. HeLU network exported to ${q.bits}-bit ${q.scheme} fixed point, verified with every activation as its gate-level circuit\n`,
    ...q.activations.map(
      (u, i) =>
        `  ${(i === 0 ? 'activation units' : '').padEnd(22)}${u.layer}: ${u.name} ${u.input} -> ${u.output}, ${formatInt(u.gates)} gates, depth ${u.depth}\n`,
    ),
    `  samples               ${formatInt(v.samples)}\n`,
    `  values compared       ${formatInt(v.valuesCompared)}\n`,
    `  mismatches            ${formatInt(v.mismatches)} (max LSB error ${v.maxLsbError})\n`,
    `  accuracy              ${`all ${formatInt(v.samples)}`.padStart(14)}${`test ${formatInt(t.samples)}`.padStart(12)}\n`,
    row('float (unquantized)', v.unquantizedAccuracy, t.unquantizedAccuracy),
    row('quantized float', v.floatAccuracy, t.floatAccuracy),
    row('integer', v.intAccuracy, t.intAccuracy),
    '\n',
  ].join('');
}

/** The activation cost table, plain text with aligned columns. */
export function activationCostText(units: readonly ActivationReport[]): string {
  const head = ['activation', 'gates', 'transistors', 'depth', 'delay (ps)', 'area (µm²)', 'energy (fJ)', 'ROM bits', 'circuit check'];
  const rows = units.map((u) => [
    u.activation,
    formatInt(u.gates),
    formatInt(u.transistors),
    String(u.depth),
    formatSig(u.delayPs, 4),
    formatSig(u.areaUm2, 4),
    formatSig(u.energyFjPerOp, 4),
    formatInt(u.romBits),
    unitVerificationText(u.verification),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (j === 0 || j === head.length - 1 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export function costText(u: DemoResult['activationUnits'], acc: DemoResult['accelerator'], own: string): string {
  const e = acc.estimate;
  const rows = [{ activation: own, report: e, delta: acceleratorDelta(e, e) }];
  if (e.whatIf) rows.push({ activation: e.whatIf.activation, report: e.whatIf.report, delta: e.whatIf.delta });
  return [
    `3. Activation units, ${u.input} -> ${u.output} (${u.tech})\n`,
    indent(activationCostText(u.units)),
    '\n',
    `  Accelerator for the network: ${acceleratorSummary(e)}\n`,
    `  What-if, every activation unit ${activationLabel(DEMO_SWAP)} instead of ${activationLabel(own)}:\n`,
    indent(whatIfTable(rows)),
    '\n',
  ].join('');
}

export function verilogText(v: DemoResult['verilog'], dir: string): string {
  const lines = [`4. Verilog (${dir})\n`];
  for (const s of v) {
    const c = s.verification.circuit;
    lines.push(
      `  ${s.module}: ${s.activation} ${s.input} -> ${s.output}, ${s.style} (${s.form}), ${formatInt(s.circuit.gates)} gates` +
        `${s.romBits > 0 ? `, ROM ${formatInt(s.romBits)} bits` : ''}\n`,
      `    circuit ${unitVerificationText(c)}; testbench ${formatInt(s.verification.testbench.vectors)} golden vectors\n`,
      `    ${s.files.join(', ')}\n`,
    );
  }
  return lines.join('') + '\n';
}

export function reportText(r: DemoResult, outDir: string): string {
  const svgs = r.files.filter((f) => f.endsWith('.svg')).length;
  return (
    `5. Report: ${outDir}/report.md, report.json, ${svgs} SVG pictures (${r.files.length} files in all)\n` +
    `done in ${r.seconds.total.toFixed(1)} s\n`
  );
}
