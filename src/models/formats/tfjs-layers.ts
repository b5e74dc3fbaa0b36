import { lookup, UserError } from '../../errors.js';
import { normalizeActivation, type ActivationSpec } from '../../activations/float.js';
import type { GraphNode, Tensor } from '../graph.js';
import { sizeOf } from '../graph.js';
import { inferShape } from '../shapes.js';
import { samePads } from '../window.js';

/**
 * Translation of Keras layers (TensorFlow.js layers format, channels_last)
 * into graph nodes. A Keras image tensor [H, W, C] is kept in the graph as
 * NCHW [C, H, W] ('nchw' layout); where Keras semantics depend on memory order
 * (Flatten, Reshape, Dense on the result) a Transpose back to [H, W, C] is
 * inserted — a Reshape when only unit axes move.
 */
export interface KTensor {
  name: string;
  /** Keras shape without batch. */
  kshape: number[];
  /** 'nchw': a rank-3 Keras tensor stored as [C,H,W]; 'keras': stored in Keras order. */
  layout: 'nchw' | 'keras';
}

export interface LayerConfig {
  className: string;
  name: string;
  config: Record<string, unknown>;
  weights: Map<string, Tensor>;
}

export class KerasBuilder {
  readonly nodes: GraphNode[] = [];
  readonly shapes = new Map<string, readonly number[]>();
  private k = 0;

  fresh(base: string): string {
    return `${base}__${this.k++}`;
  }

  emit(node: GraphNode): string {
    this.shapes.set(
      node.output,
      inferShape(
        node,
        node.inputs.map((i) => this.shapes.get(i)!),
      ),
    );
    this.nodes.push(node);
    return node.output;
  }

  /** Stores a tensor in the layout an op needs, moving axes with Transpose (or Reshape when only unit axes move). */
  toLayout(t: KTensor, layout: 'nchw' | 'keras', base: string): KTensor {
    if (t.layout === layout || t.kshape.length !== 3) return { ...t, layout: t.kshape.length === 3 ? layout : 'keras' };
    const [H, W, C] = t.kshape as [number, number, number];
    const perm = layout === 'nchw' ? [2, 0, 1] : [1, 2, 0];
    const target = layout === 'nchw' ? [C, H, W] : [H, W, C];
    const out = this.fresh(base);
    const trivial = C === 1 || H * W === 1;
    this.emit(
      trivial
        ? { op: 'Reshape', name: out, inputs: [t.name], output: out, attrs: { shape: target } }
        : { op: 'Transpose', name: out, inputs: [t.name], output: out, attrs: { perm } },
    );
    return { name: out, kshape: t.kshape, layout };
  }
}

function fail(l: LayerConfig, what: string): never {
  throw new UserError(`TensorFlow.js layer '${l.name}' (${l.className}): ${what}`);
}

const pair = (v: unknown, def: number): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : v === undefined || v === null ? [def, def] : [Number(v), Number(v)];

/** A Keras activation name as graph activation nodes appended to `x`; 'softmax' becomes a Softmax node. */
export function kerasActivation(b: KerasBuilder, l: LayerConfig, x: KTensor, name: unknown): KTensor {
  const act = String(name ?? 'linear');
  const specs: Record<string, ActivationSpec> = {
    relu: { kind: 'relu' },
    relu6: { kind: 'relu6' },
    sigmoid: { kind: 'sigmoid' },
    tanh: { kind: 'tanh' },
    elu: { kind: 'elu', alpha: 1 },
    swish: { kind: 'silu' },
    silu: { kind: 'silu' },
    gelu: { kind: 'gelu' },
    helu: normalizeActivation({ kind: 'helu' }),
    hard_swish: { kind: 'hardswish' },
    leaky_relu: { kind: 'leakyrelu', alpha: 0.2 },
  };
  if (act === 'linear' || act === 'None') return x;
  const out = b.fresh(`${l.name}_${act}`);
  if (act === 'softmax') {
    b.emit({ op: 'Softmax', name: out, inputs: [x.name], output: out, attrs: { axis: x.layout === 'nchw' ? 0 : x.kshape.length - 1 } });
    return { ...x, name: out };
  }
  if (act === 'hard_sigmoid') {
    // Keras 2 / TF.js: clip(0.2 x + 0.5, 0, 1).
    const mn = b.fresh(`${l.name}_hs_mul`),
      an = b.fresh(`${l.name}_hs_add`);
    const m = b.emit({ op: 'Mul', name: mn, inputs: [x.name], output: mn, weights: { B: { shape: [], data: Float64Array.of(0.2) } } });
    const a = b.emit({ op: 'Add', name: an, inputs: [m], output: an, weights: { B: { shape: [], data: Float64Array.of(0.5) } } });
    b.emit({ op: 'Activation', name: out, inputs: [a], output: out, attrs: { activation: { kind: 'clamp', min: 0, max: 1 } } });
    return { ...x, name: out };
  }
  const spec = lookup(specs, act);
  if (!spec)
    fail(
      l,
      `activation '${act}' is not supported (linear, relu, relu6, elu, sigmoid, tanh, softmax, swish/silu, gelu, hard_sigmoid, leaky_relu)`,
    );
  b.emit({ op: 'Activation', name: out, inputs: [x.name], output: out, attrs: { activation: spec } });
  return { ...x, name: out };
}

function weight(l: LayerConfig, key: string): Tensor {
  const w = l.weights.get(key);
  if (!w) fail(l, `weight '${key}' missing from the weights manifest`);
  return w;
}

/** Keras padding 'same'/'valid' as explicit [top, left, bottom, right]. */
function pads(
  l: LayerConfig,
  H: number,
  W: number,
  k: [number, number],
  s: [number, number],
  d: [number, number],
): [number, number, number, number] {
  const p = String(l.config['padding'] ?? 'valid');
  if (p === 'valid') return [0, 0, 0, 0];
  if (p !== 'same') fail(l, `padding '${p}' is not supported (valid, same)`);
  const [t, bt] = samePads(H, k[0], s[0], d[0]);
  const [le, r] = samePads(W, k[1], s[1], d[1]);
  return [t, le, bt, r];
}

function checkChannelsLast(l: LayerConfig): void {
  const f = l.config['data_format'];
  if (f !== undefined && f !== null && f !== 'channels_last') fail(l, `data_format '${String(f)}' is not supported (channels_last)`);
}

/** Conv2D and DepthwiseConv2D: kernels [kh,kw,cin/g,cout] / [kh,kw,cin,mult] become ONNX [M, C/g, kh, kw]. */
export function kerasConv(b: KerasBuilder, l: LayerConfig, x0: KTensor): KTensor {
  checkChannelsLast(l);
  if (x0.kshape.length !== 3) fail(l, `input must be an image [H,W,C], got [${x0.kshape}]`);
  const x = b.toLayout(x0, 'nchw', `${l.name}_in`);
  const [H, W, C] = x.kshape as [number, number, number];
  const depthwise = l.className === 'DepthwiseConv2D';
  const k = weight(l, depthwise ? 'depthwise_kernel' : 'kernel');
  const [kh, kw, kc, ko] = k.shape as [number, number, number, number];
  const group = depthwise ? C : Number(l.config['groups'] ?? 1);
  const M = depthwise ? C * ko : ko;
  const cg = C / group;
  const Wt = new Float64Array(M * cg * kh * kw);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < kc; c++)
        for (let o = 0; o < ko; o++) {
          const [m, ci] = depthwise ? [c * ko + o, 0] : [o, c];
          Wt[((m * cg + ci) * kh + i) * kw + j] = k.data[((i * kw + j) * kc + c) * ko + o]!;
        }
  const strides = pair(l.config['strides'], 1),
    dil = pair(l.config['dilation_rate'], 1);
  const useBias = l.config['use_bias'] !== false;
  const out = b.fresh(l.name);
  b.emit({
    op: 'Conv',
    name: out,
    inputs: [x.name],
    output: out,
    attrs: { kernel: [kh, kw], strides, pads: pads(l, H, W, [kh, kw], strides, dil), dilations: dil, group },
    weights: { W: { shape: [M, cg, kh, kw], data: Wt }, ...(useBias ? { B: weight(l, 'bias') } : {}) },
  });
  const s = b.shapes.get(out)!;
  return kerasActivation(b, l, { name: out, kshape: [s[1]!, s[2]!, s[0]!], layout: 'nchw' }, l.config['activation']);
}

export function kerasPool(b: KerasBuilder, l: LayerConfig, x0: KTensor): KTensor {
  checkChannelsLast(l);
  if (x0.kshape.length !== 3) fail(l, `input must be an image [H,W,C], got [${x0.kshape}]`);
  const x = b.toLayout(x0, 'nchw', `${l.name}_in`);
  const [H, W] = x.kshape as [number, number, number];
  const kernel = pair(l.config['pool_size'], 2);
  const strides = l.config['strides'] === null || l.config['strides'] === undefined ? kernel : pair(l.config['strides'], 1);
  const op = l.className.startsWith('Max') ? 'MaxPool' : 'AveragePool';
  const out = b.fresh(l.name);
  // TensorFlow's average pooling with 'same' divides by the in-image taps only.
  b.emit({
    op,
    name: out,
    inputs: [x.name],
    output: out,
    attrs: { kernel, strides, pads: pads(l, H, W, kernel, strides, [1, 1]), dilations: [1, 1], ceilMode: false, countIncludePad: false },
  });
  const s = b.shapes.get(out)!;
  return { name: out, kshape: [s[1]!, s[2]!, s[0]!], layout: 'nchw' };
}

export function kerasDense(b: KerasBuilder, l: LayerConfig, x: KTensor): KTensor {
  if (x.kshape.length !== 1) fail(l, `Dense on a tensor of shape [${x.kshape}] is not supported; flatten first`);
  const useBias = l.config['use_bias'] !== false;
  const out = b.fresh(l.name);
  b.emit({
    op: 'Gemm',
    name: out,
    inputs: [x.name],
    output: out,
    attrs: { transA: 0, transB: 0, alpha: 1, beta: 1 },
    weights: { B: weight(l, 'kernel'), ...(useBias ? { C: weight(l, 'bias') } : {}) },
  });
  return kerasActivation(b, l, { name: out, kshape: [b.shapes.get(out)![0]!], layout: 'keras' }, l.config['activation']);
}

export function kerasBatchNorm(b: KerasBuilder, l: LayerConfig, x: KTensor): KTensor {
  const r = x.kshape.length;
  const axis = Number(Array.isArray(l.config['axis']) ? (l.config['axis'] as number[])[0] : (l.config['axis'] ?? -1));
  if (axis !== -1 && axis !== r) fail(l, `axis ${axis} is not supported (the channel axis, -1)`);
  if (r !== 1 && r !== 3) fail(l, `input of shape [${x.kshape}] is not supported`);
  const y = r === 3 ? b.toLayout(x, 'nchw', `${l.name}_in`) : x;
  const n = x.kshape[r - 1]!;
  const ones = { shape: [n], data: new Float64Array(n).fill(1) },
    zeros = { shape: [n], data: new Float64Array(n) };
  const scale = l.config['scale'] === false ? ones : weight(l, 'gamma');
  const bias = l.config['center'] === false ? zeros : weight(l, 'beta');
  const out = b.fresh(l.name);
  b.emit({
    op: 'BatchNormalization',
    name: out,
    inputs: [y.name],
    output: out,
    attrs: { epsilon: Number(l.config['epsilon'] ?? 1e-3) },
    weights: { scale, bias, mean: weight(l, 'moving_mean'), var: weight(l, 'moving_variance') },
  });
  return { ...y, name: out };
}

/** Keras Reshape: the input in Keras memory order, the target likewise (then NCHW for images). */
export function kerasReshape(b: KerasBuilder, l: LayerConfig, x0: KTensor): KTensor {
  const x = b.toLayout(x0, 'keras', `${l.name}_in`);
  const raw = (l.config['target_shape'] as number[] | undefined) ?? fail(l, 'target_shape missing');
  const size = sizeOf(x.kshape);
  const known = raw.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const target = raw.map((d) => (d === -1 ? size / known : d));
  if (sizeOf(target) !== size) fail(l, `cannot reshape [${x.kshape}] to [${raw}]`);
  const out = b.fresh(l.name);
  b.emit({ op: 'Reshape', name: out, inputs: [x.name], output: out, attrs: { shape: target } });
  return { name: out, kshape: target, layout: 'keras' };
}
