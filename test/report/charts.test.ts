import { describe, expect, it } from 'vitest';
import {
  acceleratorWhatIfChart,
  activationCostChart,
  checkXml,
  deadNeuronChart,
  renderSvg,
  trainingCurvesChart,
  transferCurveChart,
} from '../../src/report/index.js';

function expectSvg(svg: string): void {
  const r = checkXml(svg);
  expect(r, r.ok ? '' : r.error).toMatchObject({ ok: true, root: 'svg' });
  expect(svg.startsWith('<svg')).toBe(true);
}

const epochs = [1, 2, 3, 4, 5];

describe('charts render to well-formed SVG', () => {
  it('training curves: loss and accuracy per epoch for two runs', async () => {
    const pts = ['ReLU', 'HeLU'].flatMap((run, k) =>
      epochs.map((epoch) => ({ run, epoch, loss: 1 / (epoch + k), accuracy: 0.8 + 0.03 * epoch, testAccuracy: 0.78 + 0.03 * epoch })),
    );
    const svg = await renderSvg(trainingCurvesChart(pts));
    expectSvg(svg);
    for (const s of ['HeLU', 'ReLU', 'loss', 'train accuracy', 'test accuracy', 'Training curves']) expect(svg).toContain(s);
  });

  it('dead-neuron fraction per layer', async () => {
    const pts = ['ReLU', 'HeLU'].flatMap((run) =>
      ['hidden 1', 'hidden 2'].flatMap((layer) =>
        epochs.map((epoch) => ({ run, layer, epoch, fraction: run === 'ReLU' ? 0.05 * epoch : 0.01 })),
      ),
    );
    const svg = await renderSvg(deadNeuronChart(pts));
    expectSvg(svg);
    for (const s of ['hidden 1', 'hidden 2', 'dead fraction', '20%']) expect(svg).toContain(s);
  });

  it('transfer curve: float line and fixed-point staircase', async () => {
    const float = Array.from({ length: 81 }, (_, i) => {
      const x = -4 + i * 0.1;
      return { x, y: Math.max(0, x) };
    });
    const fixed = Array.from({ length: 17 }, (_, i) => ({ x: -4 + i * 0.5, y: Math.max(0, -4 + i * 0.5) }));
    const spec = transferCurveChart({ title: 'HeLU fixed<8,4>', float, fixed, xTitle: 'input' });
    const svg = await renderSvg(spec);
    expectSvg(svg);
    for (const s of ['HeLU fixed&lt;8,4&gt;', 'float', 'fixed point', 'input']) expect(svg).toContain(s);
  });

  it('activation cost bars and the accelerator what-if', async () => {
    const rows = [
      { activation: 'helu', areaUm2: 6.4, gates: 8, energyPj: 0.001 },
      { activation: 'gelu', areaUm2: 812, gates: 1017, energyPj: 0.09 },
      { activation: 'silu', areaUm2: 790, gates: 990, energyPj: 0.08 },
    ];
    const svg = await renderSvg(activationCostChart(rows, { highlight: 'helu' }));
    expectSvg(svg);
    for (const s of ['helu', 'gelu', 'silu', 'gates', 'area (µm²)']) expect(svg).toContain(s);
    const what = await renderSvg(
      acceleratorWhatIfChart(
        rows.map((r) => ({ activation: r.activation, areaUm2: 1e5 + 16 * r.areaUm2, energyPj: 5000 + 800 * r.energyPj })),
        { highlight: 'helu' },
      ),
    );
    expectSvg(what);
    for (const s of ['accelerator area (mm²)', 'energy per inference (nJ)']) expect(what).toContain(s);
  });

  it('is deterministic', async () => {
    const spec = activationCostChart([{ activation: 'relu', areaUm2: 6, gates: 8, energyPj: 0.001 }]);
    expect(await renderSvg(spec)).toBe(await renderSvg(spec));
  });
});
