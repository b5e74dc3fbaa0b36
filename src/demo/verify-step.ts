/**
 * Step 2: the HeLU network exported to an 8-bit pow2 integer model (formats
 * calibrated on the training split) and verified on every sample of the data
 * set with each activation evaluated by its gate-level circuit: every value of
 * every layer of the integer engine against the float reference of the same
 * quantized network, 0 LSB allowed.
 */
import { formatToString, parseFormat } from '../fixedpoint/index.js';
import { exportOnnx, splitOf, type Dataset, type Graph } from '../models/index.js';
import { quantizeModel, summarizeModel, verifyModel, type IntModel } from '../sim/index.js';
import type { DemoOptions, DemoResult } from './types.js';

export const DEMO_BITS = 8;

export interface VerifyStep {
  model: IntModel;
  /** The float network as ONNX (the integer model stores it too, for `helu-sim verify`'s SQNR and float accuracy). */
  onnx: Uint8Array;
  quantization: DemoResult['quantization'];
  verification: DemoResult['verification'];
  seconds: number;
}

type UnitInfo = DemoResult['quantization']['activation'];

/** Every activation layer's unit (formats calibrated per layer, so the units may differ). */
export function activationUnits(m: IntModel): UnitInfo[] {
  return m.layers.flatMap((l): UnitInfo[] => {
    if (l.op !== 'activation' || l.in.kind !== 'pow2' || l.out.kind !== 'pow2') return [];
    return [
      {
        layer: l.name,
        name: l.activation,
        input: formatToString(parseFormat(l.in.format)),
        output: formatToString(parseFormat(l.out.format)),
        gates: l.circuit.gates,
        depth: l.circuit.depth,
        transistors: l.circuit.transistors,
      },
    ];
  });
}

export function verifyStep(ds: Dataset, graph: Graph, opts: DemoOptions): VerifyStep {
  const t0 = Date.now();
  const onnx = exportOnnx(graph);
  const model = quantizeModel(graph, ds.train, {
    bits: DEMO_BITS,
    metadata: { source: 'helu-sim demo', calibrationSet: `${ds.name} (train)` },
  });
  const summary = summarizeModel(model);
  const units = activationUnits(model);
  if (units.length === 0) throw new Error('internal: the demo network has no pow2 activation layer');
  const progress = (done: number, total: number) => opts.onProgress?.('verify', done, total, 'samples');
  const all = verifyModel(model, splitOf(ds, 'all'), { mode: 'gate', float: graph, onProgress: progress });
  const test = verifyModel(model, ds.test, { mode: 'gate', float: graph });
  return {
    model,
    onnx,
    quantization: {
      scheme: 'pow2',
      bits: DEMO_BITS,
      calibration: model.metadata['calibration'] ?? '',
      input: summary.input.format,
      activation: units[0]!,
      activations: units,
      layers: summary.layers,
    },
    verification: {
      ...all,
      test: {
        samples: test.samples,
        floatAccuracy: test.floatAccuracy,
        intAccuracy: test.intAccuracy,
        unquantizedAccuracy: test.unquantizedAccuracy,
      },
    },
    seconds: (Date.now() - t0) / 1000,
  };
}
