import { activationToString, type ActivationSpec } from '../../activations/float.js';
import type { Graph, GraphNode, Tensor } from '../graph.js';
import { buildGraph } from '../shapes.js';
import { samePads } from '../window.js';
import { TRAINED_ACTIVATION_KEY } from '../onnx/import.js';
import type { PlannedLayer } from './arch.js';
import type { Normalization } from './data-tf.js';
import { BN_EPSILON } from './batchnorm-tf.js';

/** Trained weights of one layer as read from TF.js: conv W [K,K,C,F], dense W [in,out], bias b. */
export interface LayerWeights {
  W: Float32Array;
  b: Float32Array;
  /** BatchNorm after a convolution: gamma, beta and the running statistics. */
  bn?: { scale: Float32Array; bias: Float32Array; mean: Float32Array; var: Float32Array };
}

export interface ExportInfo {
  inputShape: readonly number[];
  /** The training normalization, written as the graph's first nodes: Mul(mul), then Sub(sub) unless 0. */
  normalization: Normalization;
  activation: ActivationSpec;
  metadata?: Record<string, string>;
  name?: string;
}

const t = (shape: number[], data: ArrayLike<number>): Tensor => ({ shape, data: Float64Array.from(data) });

/** TF conv kernel [K,K,C,F] -> ONNX [F,C,K,K]. */
function convWeight(w: Float32Array, K: number, C: number, F: number): Tensor {
  const out = new Float64Array(w.length);
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++)
      for (let c = 0; c < C; c++)
        for (let f = 0; f < F; f++) {
          out[((f * C + c) * K + i) * K + j] = w[((i * K + j) * C + c) * F + f]!;
        }
  return { shape: [F, C, K, K], data: out };
}

/**
 * TF dense kernel [in, out] -> Gemm B [out, in] (transB = 1). When the input
 * was flattened from an NHWC image [H,W,C] in TF.js, the graph's flatten is
 * NCHW ([C,H,W]), so input index c*H*W + h*W + w takes TF row (h*W + w)*C + c.
 */
function denseWeight(w: Float32Array, nIn: number, nOut: number, flattened?: readonly number[]): Tensor {
  const out = new Float64Array(w.length);
  const [C, H, W] = flattened ?? [1, 1, nIn];
  for (let c = 0; c < C!; c++)
    for (let h = 0; h < H!; h++)
      for (let x = 0; x < W!; x++) {
        const kG = (c * H! + h) * W! + x;
        const kT = (h * W! + x) * C! + c;
        for (let o = 0; o < nOut; o++) out[o * nIn + kG] = w[kT * nOut + o]!;
      }
  return { shape: [nOut, nIn], data: out };
}

/**
 * The trained network as a helu-sim graph (NCHW): input -> Mul(mul) ->
 * Sub(sub) -> layers -> 'logits'. Activation nodes carry the trained kind (HeLU stays
 * 'helu'); metadata records trainedActivation.
 */
export function trainedToGraph(layers: readonly PlannedLayer[], weights: readonly (LayerWeights | undefined)[], info: ExportInfo): Graph {
  const nodes: GraphNode[] = [];
  let cur = 'input';
  let flattenedFrom: readonly number[] | undefined;
  const add = (n: GraphNode): void => {
    nodes.push(n);
    cur = n.output;
  };
  const { mul, sub } = info.normalization;
  add({ op: 'Mul', name: 'scale', inputs: [cur], output: 'scaled', weights: { B: t([], [mul]) } });
  if (sub !== 0) add({ op: 'Sub', name: 'center', inputs: [cur], output: 'normalized', weights: { B: t([], [sub]) } });
  let act = 0,
    conv = 0,
    dense = 0,
    pool = 0;
  const activation = (): void => {
    act++;
    add({ op: 'Activation', name: `act${act}`, inputs: [cur], output: `act${act}`, attrs: { activation: info.activation } });
  };
  layers.forEach((l, k) => {
    const s = l.spec;
    const w = weights[k];
    if (s.type === 'conv') {
      const [C, H, W] = l.inShape as [number, number, number];
      const [pt, pb] = s.same ? samePads(H, s.kernel, s.stride, 1) : [0, 0];
      const [pl, pr] = s.same ? samePads(W, s.kernel, s.stride, 1) : [0, 0];
      conv++;
      add({
        op: 'Conv',
        name: `conv${conv}`,
        inputs: [cur],
        output: `conv${conv}`,
        attrs: { kernel: [s.kernel, s.kernel], strides: [s.stride, s.stride], pads: [pt, pl, pb, pr], dilations: [1, 1], group: 1 },
        weights: { W: convWeight(w!.W, s.kernel, C, s.filters), B: t([s.filters], w!.b) },
      });
      const bn = w!.bn;
      if (bn) {
        const c = (a: Float32Array) => t([s.filters], a);
        add({
          op: 'BatchNormalization',
          name: `bn${conv}`,
          inputs: [cur],
          output: `bn${conv}`,
          attrs: { epsilon: BN_EPSILON },
          weights: { scale: c(bn.scale), bias: c(bn.bias), mean: c(bn.mean), var: c(bn.var) },
        });
      }
      activation();
    } else if (s.type === 'maxpool' || s.type === 'avgpool') {
      pool++;
      const op = s.type === 'maxpool' ? 'MaxPool' : 'AveragePool';
      add({
        op,
        name: `pool${pool}`,
        inputs: [cur],
        output: `pool${pool}`,
        attrs: {
          kernel: [s.size, s.size],
          strides: [s.size, s.size],
          pads: [0, 0, 0, 0],
          dilations: [1, 1],
          ceilMode: false,
          countIncludePad: false,
        },
      });
    } else if (s.type === 'gap') {
      add({ op: 'GlobalAveragePool', name: 'gap', inputs: [cur], output: 'gap' });
      add({ op: 'Flatten', name: 'gap_flatten', inputs: [cur], output: 'gap_flatten' });
    } else if (s.type === 'flatten') {
      flattenedFrom = l.inShape;
      add({ op: 'Flatten', name: 'flatten', inputs: [cur], output: 'flatten' });
    } else {
      dense++;
      const out = s.hidden ? `dense${dense}` : 'logits';
      add({
        op: 'Gemm',
        name: s.hidden ? out : 'dense_out',
        inputs: [cur],
        output: out,
        attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
        weights: { B: denseWeight(w!.W, l.inShape[0]!, s.units, flattenedFrom), C: t([s.units], w!.b) },
      });
      flattenedFrom = undefined;
      if (s.hidden) activation();
    }
  });
  return buildGraph({
    name: info.name ?? 'helu-sim-trained',
    inputs: [{ name: 'input', shape: [...info.inputShape] }],
    outputs: [cur],
    nodes,
    metadata: { [TRAINED_ACTIVATION_KEY]: activationToString(info.activation), ...info.metadata },
  });
}
