import { activationToString } from '../../../activations/float.js';
import type { RequantScheme, TfliteKernel } from '../../../fixedpoint/requant.js';
import type { Graph } from '../../../models/graph.js';
import { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, type AffineQuant, type IntLayer, type IntModel } from '../model.js';
import { validateIntModel } from '../validate.js';
import { calibrate, withNormalizationRanges, type CalibrationMethod, type CalibrationSamples, type TensorRange } from '../calibrate.js';
import type { FActivation, FConv, FDense, FLayer } from '../float-net.js';
import { lowerGraph } from '../lower-graph.js';
import { activationQuant, biasCodes, weightQuant } from './params.js';
import { activationCircuit, activationTable, circuitIdentity } from '../../engine/affine/table.js';
import { tensorParams, type Affine8 } from './types.js';
import { dataToAffine } from '../data-export.js';

export interface AffineQuantizeOptions {
  /** Activation (runtime tensor) type; default uint8, onnxruntime's u8s8 pairing. */
  activations?: Affine8;
  /** Weight scales per output channel (default per tensor). */
  perChannel?: boolean;
  /** Weights in [-63, 63] instead of [-127, 127] (onnxruntime's x86 int16 saturation caveat). */
  reduceRange?: boolean;
  /** The model's default requantization scheme (default onnxruntime). */
  requant?: RequantScheme;
  /** TFLite schemes: the FullyConnected or Conv multiplier derivation for per-tensor dense layers (model.ts, AffineModel). */
  tfliteKernel?: TfliteKernel;
  calibration?: CalibrationMethod;
  /** Ranges already calibrated with `calibration` on `calib` (e.g. on worker threads); calibrate() otherwise. */
  ranges?: Map<string, TensorRange>;
  metadata?: Record<string, string>;
}

interface Ctx {
  ranges: Map<string, TensorRange>;
  quants: Map<string, AffineQuant>;
  type: Affine8;
  opts: AffineQuantizeOptions;
  /** Activation layers fused into their producer: producer name -> activation. */
  fused: Map<string, FActivation>;
  /** The layers being exported (a constant looks up the concat it feeds). */
  layers: FLayer[];
}

const ACC = { kind: 'int', bits: 32, overflow: 'WRAP' } as const;
const FUSABLE = new Set(['relu', 'helu', 'relu6']);

function rangeQuant(c: Ctx, tensor: string): AffineQuant {
  const r = c.ranges.get(tensor);
  if (!r) throw new Error(`internal: no calibration range for tensor '${tensor}'`);
  return activationQuant(r.lo, r.hi, c.type);
}

/**
 * relu / helu / relu6 directly after a dense, conv or add whose output feeds
 * only the activation: fused (the clamp of the output stage), the pair's
 * output quantized with the activation output's range.
 */
function findFusions(layers: FLayer[], outputs: string[]): Map<string, FActivation> {
  const uses = new Map<string, number>();
  for (const l of layers) for (const i of l.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const fused = new Map<string, FActivation>();
  for (const a of layers) {
    if (a.op !== 'activation' || !FUSABLE.has(a.spec.kind)) continue;
    const src = layers.find((l) => l.output === a.inputs[0]);
    if (src && (src.op === 'dense' || src.op === 'conv' || src.op === 'add') && uses.get(src.output) === 1 && !outputs.includes(src.output))
      fused.set(src.name, a);
  }
  return fused;
}

function linear(c: Ctx, l: FDense | FConv, out: AffineQuant, act: string | undefined): IntLayer {
  const inQ = c.quants.get(l.inputs[0]!)!;
  const channels = l.op === 'dense' ? l.N : l.wShape[0];
  const w = weightQuant(l.W, channels, (c.opts.perChannel ?? false) || l.perChannel === true, c.opts.reduceRange ?? false);
  const shape = l.op === 'dense' ? [l.N, l.K] : [...l.wShape];
  const base = {
    name: l.name,
    inputs: l.inputs,
    output: l.output,
    shape: l.shape,
    out,
    ...(l.folded.length ? { folded: l.folded } : {}),
    weights: { shape, codes: w.codes, quant: w.quant },
    bias: biasCodes(l.b, inQ.scale[0]!, w.quant),
    acc: ACC,
    ...(act ? { activation: act } : {}),
  };
  if (l.op === 'dense') return { op: 'dense', ...base } as IntLayer;
  return { op: 'conv', ...base, kernel: l.kernel, strides: l.strides, pads: l.pads, dilations: l.dilations, group: l.group } as IntLayer;
}

function activation(c: Ctx, l: FActivation, out: AffineQuant): IntLayer {
  const inQ = c.quants.get(l.inputs[0]!)!;
  const text = activationToString(l.spec);
  const inP = tensorParams(inQ, `${l.name}.in`),
    outP = tensorParams(out, `${l.name}.out`);
  const t = activationTable(text, inP, outP, c.opts.requant ?? 'onnxruntime');
  return {
    op: 'activation',
    name: l.name,
    inputs: l.inputs,
    output: l.output,
    shape: l.shape,
    out,
    activation: text,
    in: inQ,
    circuit: circuitIdentity(activationCircuit(text, t, inP, outP)),
  };
}

function toAffine(c: Ctx, l: FLayer): IntLayer | null {
  const inQ = c.quants.get(l.inputs[0]!)!;
  const base = { name: l.name, inputs: l.inputs, output: l.output, shape: l.shape, ...(l.folded.length ? { folded: l.folded } : {}) };
  const act = c.fused.get(l.name);
  switch (l.op) {
    case 'dense':
    case 'conv':
      return linear(c, l, rangeQuant(c, act ? act.output : l.output), act && activationToString(act.spec));
    case 'activation':
      return activation(c, l, rangeQuant(c, l.output));
    case 'maxpool':
      return {
        op: 'maxpool',
        ...base,
        out: inQ,
        kernel: l.kernel,
        strides: l.strides,
        pads: l.pads,
        dilations: l.dilations,
        ceilMode: l.ceilMode,
        countIncludePad: l.countIncludePad,
      };
    case 'avgpool':
      return {
        op: 'avgpool',
        ...base,
        out: rangeQuant(c, l.output),
        kernel: l.kernel,
        strides: l.strides,
        pads: l.pads,
        dilations: l.dilations,
        ceilMode: l.ceilMode,
        countIncludePad: l.countIncludePad,
      };
    case 'globalavgpool':
      return { op: 'globalavgpool', ...base, out: rangeQuant(c, l.output) };
    case 'flatten':
    case 'reshape':
      return { op: l.op, ...base, out: inQ };
    case 'transpose':
      return { op: 'transpose', ...base, out: inQ, perm: l.perm };
    case 'concat':
      return { op: 'concat', ...base, out: rangeQuant(c, l.output), axis: l.axis };
    case 'mul':
      return { op: 'mul', ...base, out: rangeQuant(c, l.output) };
    case 'matmul':
      return { op: 'matmul', ...base, out: rangeQuant(c, l.output), acc: ACC };
    case 'binary':
      return { op: 'binary', ...base, out: rangeQuant(c, l.output), fn: l.fn };
    case 'where':
      return { op: 'where', ...base, out: rangeQuant(c, l.output) };
    case 'add': {
      const out = rangeQuant(c, act ? act.output : l.output);
      return { op: 'add', ...base, out, ...(act ? { activation: activationToString(act.spec) } : {}) } as IntLayer;
    }
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      return dataToAffine(l, inQ, (t) => rangeQuant(c, t), c.layers);
  }
}

/** Renames a fused pair's output to the activation's output tensor and drops the activation layer. */
function applyFusions(layers: FLayer[], fused: Map<string, FActivation>): FLayer[] {
  const dropped = new Set([...fused.values()].map((a) => a.name));
  return layers
    .filter((l) => !dropped.has(l.name))
    .map((l) => {
      const a = fused.get(l.name);
      return a ? { ...l, output: a.output, folded: [...l.folded, a.name] } : l;
    });
}

/**
 * Exports a float graph to an affine (int8/uint8, scale and zero point) integer
 * model: the graph is lowered as for pow2 (BatchNorm and normalization
 * folded), calibrated on `calib`, relu/relu6 fused into the preceding layer
 * where it is the only consumer, and every tensor, weight and bias quantized
 * with onnxruntime's conventions (params.ts). Accumulators are int32 with
 * wrap-around (ONNX). The result is validated.
 */
export function quantizeAffine(g: Graph, calib: CalibrationSamples, opts: AffineQuantizeOptions = {}): IntModel {
  const net = lowerGraph(g);
  const method = opts.calibration ?? 'minmax';
  const fused = findFusions(net.layers, net.outputs);
  const c: Ctx = {
    ranges: withNormalizationRanges(g, calib, net.layers, opts.ranges ?? calibrate(g, calib, method), method),
    quants: new Map(),
    type: opts.activations ?? 'uint8',
    opts,
    fused: new Map(),
    layers: [],
  };
  const layers = applyFusions(net.layers, fused);
  c.layers = layers;
  for (const [k, a] of fused) c.fused.set(k, a);
  const inQ = rangeQuant(c, net.input.name);
  c.quants.set(net.input.name, inQ);
  const out: IntLayer[] = [];
  for (const l of layers) {
    const il = toAffine(c, l)!;
    c.quants.set(il.output, il.out as AffineQuant);
    out.push(il);
  }
  const model: IntModel = {
    format: INT_MODEL_FORMAT,
    schemaVersion: INT_MODEL_SCHEMA_VERSION,
    name: g.name,
    scheme: 'affine',
    requant: opts.requant ?? 'onnxruntime',
    ...(opts.tfliteKernel ? { tfliteKernel: opts.tfliteKernel } : {}),
    input: {
      name: net.input.name,
      shape: net.input.shape,
      quant: inQ,
      ...(net.input.rawScaleLog2 !== undefined ? { rawScaleLog2: net.input.rawScaleLog2 } : {}),
    },
    layers: out,
    outputs: net.outputs,
    metadata: {
      ...g.metadata,
      bits: '8',
      activations: c.type,
      weights: `int8 symmetric ${opts.perChannel ? 'per output channel' : 'per tensor'}${opts.reduceRange ? ', reduced range [-63, 63]' : ''}`,
      calibration: `${method === 'minmax' ? 'min/max' : `percentile ${method.percentile}`} over ${calib.count} samples`,
      ...net.notes,
      ...opts.metadata,
    },
  };
  return validateIntModel(model);
}
