/**
 * The demo's pictures, drawn with the report room's Vega-Lite chart builders
 * and netlistsvg schematics. File name -> SVG document.
 */
import { lookup } from '../errors.js';
import { getActivation } from '../activations/index.js';
import { fracBits, maxCode, minCode, parseFormat } from '../fixedpoint/index.js';
import { toYosysJson } from '../netlist/index.js';
import {
  acceleratorWhatIfChart,
  activationCostChart,
  deadNeuronChart,
  renderSchematic,
  renderSvg,
  trainingCurvesChart,
  transferCurveChart,
  type XY,
} from '../report/index.js';
import type { DemoResult } from './types.js';

/** The SVG files, in the order the report shows them. */
export const FIGURES = {
  training: 'training-curves.svg',
  dead: 'dead-neurons.svg',
  transferHelu: 'transfer-helu.svg',
  transferGelu: 'transfer-gelu.svg',
  schematic: 'helu-circuit.svg',
  activationCost: 'activation-cost.svg',
  whatIf: 'accelerator-whatif.svg',
} as const;

const LABEL: Record<string, string> = { relu: 'ReLU', helu: 'HeLU', gelu: 'GELU' };

/** Display name of an activation ('helu' -> 'HeLU'). */
export function activationLabel(name: string): string {
  return lookup(LABEL, name) ?? name;
}

/** Transfer curves show inputs in [-TRANSFER_RANGE, TRANSFER_RANGE] (clipped to the input format), where the steps stay visible. */
export const TRANSFER_RANGE = 2;

/**
 * One point per input code of the unit in the window (x = code * 2^-F_in,
 * y = output code * 2^-F_out, both exact in a double for W <= 32) and the
 * float function on a grid four times finer over the same inputs.
 */
export function transferData(activation: string, input: string, output: string, range = TRANSFER_RANGE): { float: XY[]; fixed: XY[] } {
  const def = getActivation(activation);
  const inF = parseFormat(input),
    outF = parseFormat(output);
  const f = def.functional(inF, outF);
  const fIn = fracBits(inF);
  const lo = Math.max(Number(minCode(inF)), -range * 2 ** fIn),
    hi = Math.min(Number(maxCode(inF)), range * 2 ** fIn);
  const sIn = 2 ** -fIn,
    sOut = 2 ** -fracBits(outF);
  const fixed: XY[] = [];
  for (let c = lo; c <= hi; c++) fixed.push({ x: c * sIn, y: f(c) * sOut });
  const float: XY[] = [];
  for (let k = 4 * lo; k <= 4 * hi; k++) float.push({ x: (k * sIn) / 4, y: def.float((k * sIn) / 4) });
  return { float, fixed };
}

async function transferSvg(activation: string, input: string, output: string): Promise<string> {
  const { float, fixed } = transferData(activation, input, output);
  return renderSvg(
    transferCurveChart({
      title: `${activationLabel(activation)}: float vs fixed point, x in [${-TRANSFER_RANGE}, ${TRANSFER_RANGE}]`,
      float,
      fixed,
      xTitle: `x (${input})`,
      yTitle: `y (${output})`,
    }),
  );
}

function trainingSpecs(r: DemoResult) {
  const runs = r.training.runs;
  const curves = trainingCurvesChart(
    runs.flatMap((run) =>
      run.history.map((h) => ({
        run: activationLabel(run.activation),
        epoch: h.epoch,
        loss: h.loss,
        accuracy: h.trainAccuracy,
        testAccuracy: h.testAccuracy,
      })),
    ),
    `Training ${r.arch} on ${r.dataset.name}: ReLU vs HeLU (seed ${r.seed})`,
  );
  const layers = r.training.hiddenLayers;
  const dead = deadNeuronChart(
    runs.flatMap((run) =>
      run.history.flatMap((h) =>
        h.deadFraction.map((fraction, i) => ({
          run: activationLabel(run.activation),
          epoch: h.epoch,
          layer: `${layers[i]!.name} (${layers[i]!.units} units)`,
          fraction,
        })),
      ),
    ),
    'Dead units per hidden layer (output 0 on every training sample)',
  );
  return { curves, dead };
}

/** Every SVG of the report. */
export async function renderFigures(r: DemoResult): Promise<Map<string, string>> {
  const { input, output } = r.activationUnits;
  const own = r.quantization.activation.name;
  const { curves, dead } = trainingSpecs(r);
  const files = new Map<string, string>();
  files.set(FIGURES.training, await renderSvg(curves));
  files.set(FIGURES.dead, await renderSvg(dead));
  files.set(FIGURES.transferHelu, await transferSvg(own, input, output));
  files.set(FIGURES.transferGelu, await transferSvg('gelu', input, output));
  const net = getActivation(own).circuit(parseFormat(input), parseFormat(output));
  files.set(FIGURES.schematic, await renderSchematic(toYosysJson(net)));
  files.set(
    FIGURES.activationCost,
    await renderSvg(
      activationCostChart(
        r.activationUnits.units.map((u) => ({
          activation: u.activation,
          areaUm2: u.areaUm2,
          gates: u.gates,
          energyPj: u.energyFjPerOp / 1000,
        })),
        { title: `Activation units, ${input} → ${output} (${r.activationUnits.tech})`, highlight: own },
      ),
    ),
  );
  files.set(
    FIGURES.whatIf,
    await renderSvg(
      acceleratorWhatIfChart(r.accelerator.whatIf, {
        title: `${r.arch} on a ${r.accelerator.estimate.array.rows}x${r.accelerator.estimate.array.cols} array, by activation unit`,
        highlight: own,
      }),
    ),
  );
  return files;
}
