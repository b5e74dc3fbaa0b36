import { describe, expect, it } from 'vitest';
import {
  acceleratorDelta,
  denseShape,
  estimateAccelerator,
  techFigures,
  withActivationUnit,
  type LayerCostInput,
} from '../../src/hardware/index.js';
import { acceleratorLayerTable, acceleratorSummary, acceleratorTotalTable, whatIfTable } from '../../src/report/index.js';

const widths = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32 };
const pe = { areaUm2: 500, delayPs: 1000, energyPjPerOp: 0.3, cycles: 1 };
const layers: LayerCostInput[] = [
  {
    name: 'fc1',
    shape: denseShape('fc1', 64, 32),
    widths,
    pe,
    activation: { key: 'helu', areaUm2: 6, delayPs: 40, energyPjPerOp: 0.001, cycles: 0 },
    requant: null,
  },
  { name: 'fc2', shape: denseShape('fc2', 32, 10), widths, pe, activation: null, requant: null },
];

describe('accelerator tables', () => {
  it('show the estimate as Markdown', () => {
    const r = estimateAccelerator(layers, { array: { rows: 16, cols: 16 }, dataflow: 'ws', tech: techFigures('nangate45') });
    const lt = acceleratorLayerTable(r).split('\n');
    expect(lt[0]).toMatch(/^\| layer +\| +MACs \|/);
    expect(lt[2]).toMatch(/^\| fc1 +\| +2,048 \| +32 \|/);
    expect(lt[3]).toMatch(/^\| fc2 +\| +320 \| +0 \|/);
    const tt = acceleratorTotalTable(r);
    expect(tt).toContain('| PE array');
    expect(tt).toMatch(/\| total .*100\.0% .*100\.0% \|/);
    expect(acceleratorSummary(r)).toMatch(/^16x16 WS array at 1,000 MHz, nangate45: \d[\d,]* cycles/);
    const alt = estimateAccelerator(
      withActivationUnit(layers, { key: 'gelu', areaUm2: 400, delayPs: 1200, energyPjPerOp: 0.05, cycles: 2 }),
      {
        array: { rows: 16, cols: 16 },
        dataflow: 'ws',
        tech: techFigures('nangate45'),
      },
    );
    expect(acceleratorSummary(alt)).toContain('833.3 MHz');
    const w = whatIfTable([{ activation: 'gelu', report: alt, delta: acceleratorDelta(r, alt) }]);
    expect(w.split('\n')[2]).toMatch(/^\| gelu +\|/);
    expect(w).toContain(`| ${'6,304'.padStart(12)} |`); // 16 units * (400 - 6) um^2
  });
});
