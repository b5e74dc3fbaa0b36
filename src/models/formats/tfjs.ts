import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../../errors.js';
import { parseActivation, type ActivationSpec } from '../../activations/float.js';
import type { Graph, Tensor } from '../graph.js';
import { sizeOf } from '../graph.js';
import { buildGraph } from '../shapes.js';
import { TRAINED_ACTIVATION_KEY } from '../onnx/import.js';
import { checkLayers, checkModelJson } from './tfjs-check.js';
import {
  KerasBuilder,
  kerasActivation,
  kerasBatchNorm,
  kerasConv,
  kerasDense,
  kerasPool,
  kerasReshape,
  type KTensor,
  type LayerConfig,
} from './tfjs-layers.js';

/**
 * Import of TensorFlow.js layers models (model.json with format
 * 'layers-model' and its binary weight files), as tf.LayersModel.save and
 * tensorflowjs_converter write them: Sequential and functional models of
 * InputLayer, Dense, Conv2D, DepthwiseConv2D, MaxPooling2D, AveragePooling2D,
 * GlobalAveragePooling2D, Flatten, Reshape, BatchNormalization, Dropout,
 * Activation, ReLU, LeakyReLU, ELU, Softmax, Add, Concatenate, Rescaling.
 * Weights must be float32 (no converter quantization). The graph input keeps
 * the Keras shape ([H, W, C] for images).
 */
interface RawLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown;
}
interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}
interface ModelJson {
  modelTopology?: Record<string, unknown>;
  weightsManifest?: { paths: string[]; weights: WeightEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

function bad(path: string, what: string): never {
  throw new UserError(`TensorFlow.js model '${path}': ${what}`);
}

function readWeights(path: string, json: ModelJson): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const group of json.weightsManifest ?? []) {
    const bufs = group.paths.map((p) => {
      try {
        return readFileSync(join(dirname(path), p));
      } catch {
        return bad(path, `cannot read weight file '${p}'`);
      }
    });
    const all = Buffer.concat(bufs);
    let off = 0;
    for (const w of group.weights) {
      if (w.quantization || w.dtype !== 'float32')
        bad(path, `weight '${w.name}' is ${w.quantization ? 'quantized' : w.dtype}; only float32 weights are supported`);
      const n = sizeOf(w.shape);
      if (off + 4 * n > all.length) bad(path, `weight files are too short for '${w.name}'`);
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = all.readFloatLE(off + 4 * i);
      off += 4 * n;
      out.set(w.name.replace(/:0$/, ''), { shape: w.shape, data });
    }
  }
  return out;
}

/** Layer weights keyed by their short name (kernel, bias, gamma, ...): manifest names are '<layer>/<short>'. */
function layerWeights(all: Map<string, Tensor>, layer: string): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  for (const [k, v] of all) {
    const i = k.lastIndexOf('/');
    if (i > 0 && (k.slice(0, i) === layer || k.slice(0, i).endsWith(`/${layer}`))) m.set(k.slice(i + 1), v);
  }
  return m;
}

/** The (layer name) inputs of a functional layer: Keras 2 [[[name, 0, 0, {}], ...]] or Keras 3 keras_history entries. */
function inboundNames(raw: unknown): string[] {
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') {
        names.push(v[0]);
        return;
      }
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o['keras_history'])) {
        names.push(String((o['keras_history'] as unknown[])[0]));
        return;
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(raw);
  return names;
}

function inputShapeOf(cfg: Record<string, unknown>): number[] | undefined {
  const s = (cfg['batch_input_shape'] ?? cfg['batch_shape'] ?? cfg['batchInputShape']) as (number | null)[] | undefined;
  return s ? s.slice(1).map(Number) : undefined;
}

function applyLayer(b: KerasBuilder, l: LayerConfig, ins: KTensor[]): KTensor {
  const x = ins[0]!;
  const c = l.config;
  switch (l.className) {
    case 'Dense':
      return kerasDense(b, l, x);
    case 'Conv2D':
    case 'DepthwiseConv2D':
      return kerasConv(b, l, x);
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return kerasPool(b, l, x);
    case 'BatchNormalization':
      return kerasBatchNorm(b, l, x);
    case 'Reshape':
      return kerasReshape(b, l, x);
    case 'Activation':
      return kerasActivation(b, l, x, c['activation']);
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'ActivityRegularization':
      return x;
    case 'Flatten': {
      const y = b.toLayout(x, 'keras', `${l.name}_in`);
      const n = b.fresh(l.name);
      const out = b.emit({ op: 'Flatten', name: n, inputs: [y.name], output: n });
      return { name: out, kshape: [sizeOf(x.kshape)], layout: 'keras' };
    }
    case 'GlobalAveragePooling2D': {
      const y = b.toLayout(x, 'nchw', `${l.name}_in`);
      const gn = b.fresh(l.name),
        fn = b.fresh(l.name);
      const g = b.emit({ op: 'GlobalAveragePool', name: gn, inputs: [y.name], output: gn });
      const C = x.kshape[2]!;
      if (c['keepdims'] === true) return { name: g, kshape: [1, 1, C], layout: 'nchw' };
      return { name: b.emit({ op: 'Flatten', name: fn, inputs: [g], output: fn }), kshape: [C], layout: 'keras' };
    }
    case 'ReLU': {
      const max = c['max_value'] as number | null | undefined,
        slope = Number(c['negative_slope'] ?? 0),
        thr = Number(c['threshold'] ?? 0);
      if (thr !== 0 || (slope !== 0 && max !== null && max !== undefined))
        throw new UserError(`TensorFlow.js layer '${l.name}' (ReLU): threshold or a slope with max_value is not supported`);
      const spec =
        slope !== 0
          ? { kind: 'leakyrelu' as const, alpha: slope }
          : max === null || max === undefined
            ? { kind: 'relu' as const }
            : max === 6
              ? { kind: 'relu6' as const }
              : { kind: 'clamp' as const, min: 0, max };
      return activationNode(b, l, x, spec);
    }
    case 'LeakyReLU':
      return activationNode(b, l, x, { kind: 'leakyrelu', alpha: Number(c['alpha'] ?? c['negative_slope'] ?? 0.3) });
    case 'ELU':
      return activationNode(b, l, x, { kind: 'elu', alpha: Number(c['alpha'] ?? 1) });
    case 'Softmax':
      return kerasActivation(b, l, x, 'softmax');
    case 'Rescaling': {
      const mn = b.fresh(l.name),
        an = b.fresh(l.name);
      const m = b.emit({
        op: 'Mul',
        name: mn,
        inputs: [x.name],
        output: mn,
        weights: { B: { shape: [], data: Float64Array.of(Number(c['scale'] ?? 1)) } },
      });
      const a = b.emit({
        op: 'Add',
        name: an,
        inputs: [m],
        output: an,
        weights: { B: { shape: [], data: Float64Array.of(Number(c['offset'] ?? 0)) } },
      });
      return { ...x, name: a };
    }
    case 'Add':
    case 'Subtract':
    case 'Multiply':
      return merge(b, l, ins);
    case 'Concatenate': {
      const axis = Number(c['axis'] ?? -1);
      const r = x.kshape.length;
      if (axis !== -1 && axis !== r) throw new UserError(`TensorFlow.js layer '${l.name}' (Concatenate): only the last axis is supported`);
      const ys = ins.map((t) => b.toLayout(t, 'nchw', `${l.name}_in`));
      const out = b.fresh(l.name);
      b.emit({
        op: 'Concat',
        name: out,
        inputs: ys.map((t) => t.name),
        output: out,
        attrs: { axis: ys[0]!.layout === 'nchw' ? 0 : r - 1 },
      });
      const kshape = [...x.kshape];
      kshape[r - 1] = ins.reduce((s, t) => s + t.kshape[r - 1]!, 0);
      return { name: out, kshape, layout: ys[0]!.layout };
    }
  }
  throw new UserError(`TensorFlow.js layer '${l.name}': class '${l.className}' is not supported`);
}

function activationNode(b: KerasBuilder, l: LayerConfig, x: KTensor, spec: ActivationSpec): KTensor {
  const out = b.fresh(l.name);
  b.emit({ op: 'Activation', name: out, inputs: [x.name], output: out, attrs: { activation: spec } });
  return { ...x, name: out };
}

function merge(b: KerasBuilder, l: LayerConfig, ins: KTensor[]): KTensor {
  const op = l.className === 'Add' ? 'Add' : l.className === 'Subtract' ? 'Sub' : 'Mul';
  const ys = ins.map((t) => b.toLayout(t, 'nchw', `${l.name}_in`));
  let acc = ys[0]!;
  for (const y of ys.slice(1)) {
    const out = b.fresh(l.name);
    b.emit({ op, name: out, inputs: [acc.name, y.name], output: out, weights: {} });
    acc = { ...acc, name: out };
  }
  return acc;
}

function topology(path: string, json: ModelJson): { className: string; layers: RawLayer[]; outputs: string[] } {
  const topo = json.modelTopology ?? bad(path, 'no modelTopology (is this a TensorFlow.js layers model?)');
  const model = (topo['model_config'] ?? topo) as { class_name?: string; config?: unknown };
  const cfg = model.config as { layers?: RawLayer[]; output_layers?: unknown } | RawLayer[] | undefined;
  const layers = Array.isArray(cfg) ? cfg : (cfg?.layers ?? bad(path, 'no layers in modelTopology'));
  checkLayers(path, layers);
  const outputs = Array.isArray(cfg) ? [] : inboundNames(cfg?.output_layers ?? []);
  return { className: model.class_name ?? 'Sequential', layers, outputs };
}

/** Reads a TensorFlow.js layers model.json (and its weight files) into a checked graph. */
export function loadTfjsModel(path: string): Graph {
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    return bad(path, `cannot read JSON (${(e as Error).message})`);
  }
  checkModelJson(path, json);
  const all = readWeights(path, json);
  const { className, layers, outputs } = topology(path, json);
  const b = new KerasBuilder();
  const tensors = new Map<string, KTensor>();
  let shape: number[] | undefined;
  let last: KTensor | undefined;
  for (const raw of layers) {
    const name = String(raw.name ?? raw.config['name']);
    const l: LayerConfig = { className: raw.class_name, name, config: raw.config, weights: layerWeights(all, name) };
    const declared = inputShapeOf(raw.config);
    if (!shape && declared) {
      shape = declared;
      if (shape.some((d) => !(d > 0))) bad(path, `input shape [${declared}] must be fixed except for the batch`);
      b.shapes.set('input', shape);
      last = { name: 'input', kshape: shape, layout: 'keras' };
      if (shape.length === 3) last = b.toLayout(last, 'nchw', 'input_nchw');
    }
    if (!last) bad(path, 'the first layer declares no input shape');
    if (raw.class_name === 'InputLayer') {
      tensors.set(name, last);
      continue;
    }
    const ins =
      className === 'Sequential'
        ? [last]
        : inboundNames(raw.inbound_nodes).map((n) => tensors.get(n) ?? bad(path, `layer '${name}' reads unknown layer '${n}'`));
    if (ins.length === 0) bad(path, `layer '${name}' has no inbound layer (functional models list inbound_nodes)`);
    last = applyLayer(b, l, ins);
    tensors.set(name, last);
  }
  const outT = outputs.length > 0 ? tensors.get(outputs[0]!) : last;
  if (!outT || !shape) bad(path, 'model has no layers');
  // Results leave in Keras memory order, as TF.js returns them.
  const final = b.toLayout(outT, 'keras', 'output');
  const metadata: Record<string, string> = {};
  const trained = json.userDefinedMetadata?.[TRAINED_ACTIVATION_KEY];
  if (typeof trained === 'string') metadata[TRAINED_ACTIVATION_KEY] = trained;
  const helu = typeof trained === 'string' && parseActivation(trained).kind === 'helu' ? parseActivation(trained) : undefined;
  const nodes = helu
    ? b.nodes.map((n) => (n.op === 'Activation' && n.attrs.activation.kind === 'relu' ? { ...n, attrs: { activation: helu } } : n))
    : b.nodes;
  return buildGraph({ name: path, inputs: [{ name: 'input', shape }], outputs: [final.name], nodes, metadata });
}
