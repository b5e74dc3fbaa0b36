import fc from 'fast-check';
import type { AffineQuant, IntLayer, IntModel } from '../../src/sim/quantize/model.js';
import { windowOutput } from '../../src/models/window.js';
import { rng } from './importers/quantized-onnx/build.js';

/*
 * Random one-op affine models for property tests: an op (dense, conv, pools,
 * add, concat, activation, transpose) with random shapes, windows, quant
 * parameters, weights and biases, and optionally a narrowed accumulator.
 * A spec drawn by fast-check is expanded deterministically (its seed draws
 * the weights), so a failure replays from the printed seed and path.
 */

export type Op = 'dense' | 'conv' | 'maxpool' | 'avgpool' | 'globalavgpool' | 'add' | 'addconst' | 'concat' | 'activation' | 'transpose';
export const OPS: readonly Op[] = [
  'dense',
  'conv',
  'maxpool',
  'avgpool',
  'globalavgpool',
  'add',
  'addconst',
  'concat',
  'activation',
  'transpose',
];
const ACTS = ['relu', 'helu', 'relu6', 'leakyrelu:0.1', 'sigmoid', 'tanh', 'hardswish', 'gelu', 'silu', 'elu:1', 'clamp:-1:1'];

export interface Spec {
  op: Op;
  seed: number;
  type: 'int8' | 'uint8';
  /** Narrow the accumulator to this many bits (dense / conv), or 32. */
  accBits: number;
  saturate: boolean;
}

export const arbSpec: fc.Arbitrary<Spec> = fc.record({
  op: fc.constantFrom(...OPS),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  type: fc.constantFrom('int8' as const, 'uint8' as const),
  accBits: fc.oneof({ weight: 4, arbitrary: fc.constant(32) }, { weight: 1, arbitrary: fc.integer({ min: 12, max: 20 }) }),
  saturate: fc.boolean(),
});

type R = ReturnType<typeof rng>;

function quant(r: R, type: 'int8' | 'uint8', scale: number): AffineQuant {
  const zp = type === 'uint8' ? r.int(0, 255) : r.int(-128, 127);
  return { kind: 'affine', type, scale: [Math.fround(scale * r.float(0.5, 2))], zeroPoint: [zp] };
}

function weightsQuant(r: R, channels: number): AffineQuant {
  const type = r.int(0, 3) === 0 ? 'uint8' : 'int8';
  const per = r.int(0, 1) === 1;
  const n = per ? channels : 1;
  return {
    kind: 'affine',
    type,
    scale: Array.from({ length: n }, () => Math.fround(r.float(0.002, 0.05))),
    zeroPoint: Array.from({ length: n }, () => (type === 'uint8' ? r.int(100, 156) : r.int(-5, 5))),
    ...(per ? { axis: 0 } : {}),
  };
}

function codes(r: R, n: number, q: AffineQuant): number[] {
  return Array.from({ length: n }, () => (q.type === 'uint8' ? r.int(0, 255) : r.int(-128, 127)));
}

/** A window that fits [H, W]: kernel, strides, pads (< kernel), dilations. */
function window(r: R, H: number, W: number, dilate: boolean, ceil: boolean) {
  for (;;) {
    const k = [r.int(1, 3), r.int(1, 3)] as [number, number];
    const s = [r.int(1, 2), r.int(1, 2)] as [number, number];
    const d = dilate ? ([r.int(1, 2), r.int(1, 2)] as [number, number]) : ([1, 1] as [number, number]);
    const p = [r.int(0, k[0] - 1), r.int(0, k[1] - 1), r.int(0, k[0] - 1), r.int(0, k[1] - 1)] as [number, number, number, number];
    const oh = windowOutput(H, k[0], s[0], p[0], p[2], d[0], ceil),
      ow = windowOutput(W, k[1], s[1], p[1], p[3], d[1], ceil);
    if (oh >= 1 && ow >= 1) return { win: { kernel: k, strides: s, pads: p, dilations: d }, oh, ow };
  }
}

function linear(sp: Spec, r: R, inQ: AffineQuant, chw: number[]): IntLayer {
  const acc = { kind: 'int' as const, bits: sp.accBits, overflow: sp.saturate ? ('SAT' as const) : ('WRAP' as const) };
  const out = quant(r, sp.type, inQ.scale[0]! * 0.05 * 8);
  const activation = [undefined, 'relu', 'relu6'][r.int(0, 2)];
  const act = activation ? { activation } : {};
  // a MatMulInteger/ConvInteger layer: float32 rescale (and float bias) instead of the int32 bias
  const withRescale = r.int(0, 3) === 0;
  const rescale = (n: number, sw: number) => ({
    rescale: {
      scale: Array.from({ length: r.int(0, 1) ? n : 1 }, () => Math.fround(inQ.scale[0]! * sw * r.float(0.5, 2))),
      ...(r.int(0, 1) ? { bias: Array.from({ length: n }, () => Math.fround(r.float(-2, 2))) } : {}),
    },
  });
  if (sp.op === 'dense') {
    const K = chw[chw.length - 1]!,
      N = r.int(1, 12);
    const wq = weightsQuant(r, N);
    return {
      op: 'dense',
      name: 'L',
      inputs: ['x'],
      output: 'y',
      shape: [...chw.slice(0, -1), N],
      out,
      acc,
      ...act,
      weights: { shape: [N, K], codes: codes(r, N * K, wq), quant: wq },
      ...(withRescale ? rescale(N, wq.scale[0]!) : { bias: Array.from({ length: N }, () => r.int(-20000, 20000)) }),
    } as IntLayer;
  }
  const [C, H, W] = chw as [number, number, number];
  const group = C % 2 === 0 && r.int(0, 2) === 0 ? (r.int(0, 1) ? C : 2) : 1;
  const M = group * r.int(1, 3);
  const { win, oh, ow } = window(r, H, W, true, false);
  const wq = weightsQuant(r, M);
  const n = M * (C / group) * win.kernel[0] * win.kernel[1];
  return {
    op: 'conv',
    name: 'L',
    inputs: ['x'],
    output: 'y',
    shape: [M, oh, ow],
    out,
    acc,
    ...act,
    ...win,
    group,
    weights: { shape: [M, C / group, ...win.kernel], codes: codes(r, n, wq), quant: wq },
    ...(withRescale ? rescale(M, wq.scale[0]!) : { bias: Array.from({ length: M }, () => r.int(-20000, 20000)) }),
  } as IntLayer;
}

function inputShape(sp: Spec, r: R): number[] {
  if (sp.op === 'dense') return r.int(0, 2) === 0 ? [r.int(1, 3), r.int(1, 24)] : [r.int(1, 40)];
  return [r.int(1, 4) * (sp.op === 'conv' ? 2 : 1) - (sp.op === 'conv' && r.int(0, 1) ? 1 : 0), r.int(2, 7), r.int(2, 7)];
}

/** The model: input x (codes given directly in the tests), one op (plus a requantizing copy for add/concat). */
export function buildModel(sp: Spec): IntModel {
  const r = rng(sp.seed);
  const xs = inputShape(sp, r);
  const inQ = quant(r, sp.type, 0.05);
  const layers: IntLayer[] = [];
  const [C, H, W] = xs as [number, number, number];
  switch (sp.op) {
    case 'dense':
    case 'conv':
      layers.push(linear(sp, r, inQ, xs));
      break;
    case 'maxpool':
    case 'avgpool': {
      const ceilMode = r.int(0, 1) === 1;
      const { win, oh, ow } = window(r, H, W, sp.op === 'maxpool', ceilMode);
      const out = sp.op === 'maxpool' && r.int(0, 1) ? inQ : quant(r, sp.type, inQ.scale[0]!);
      layers.push({
        op: sp.op,
        name: 'L',
        inputs: ['x'],
        output: 'y',
        shape: [C, oh, ow],
        out,
        ...win,
        ceilMode,
        countIncludePad: r.int(0, 1) === 1,
      });
      break;
    }
    case 'globalavgpool':
      layers.push({ op: 'globalavgpool', name: 'L', inputs: ['x'], output: 'y', shape: [C, 1, 1], out: quant(r, sp.type, inQ.scale[0]!) });
      break;
    case 'add':
    case 'concat': {
      layers.push({ op: 'concat', name: 'copy', inputs: ['x'], output: 'x2', shape: xs, out: quant(r, sp.type, inQ.scale[0]!), axis: 0 });
      if (sp.op === 'add') {
        const activation = [undefined, 'relu'][r.int(0, 1)];
        layers.push({
          op: 'add',
          name: 'L',
          inputs: ['x', 'x2'],
          output: 'y',
          shape: xs,
          out: quant(r, sp.type, inQ.scale[0]! * 1.5),
          ...(activation ? { activation } : {}),
        } as IntLayer);
      } else {
        const axis = r.int(0, 2);
        const shape = xs.map((d, i) => (i === axis ? 2 * d : d));
        layers.push({ op: 'concat', name: 'L', inputs: ['x', 'x2'], output: 'y', shape, out: quant(r, sp.type, inQ.scale[0]!), axis });
      }
      break;
    }
    case 'addconst': {
      const cshape = [[1], [C, 1, 1], xs, [W]][r.int(0, 3)]!;
      const cq = quant(r, r.int(0, 1) ? 'int8' : 'uint8', inQ.scale[0]!);
      const n = cshape.reduce((a, b) => a * b, 1);
      const constant = { shape: cshape, codes: codes(r, n, cq), quant: cq, ...(r.int(0, 1) ? { first: true } : {}) };
      layers.push({
        op: 'add',
        name: 'L',
        inputs: ['x'],
        output: 'y',
        shape: xs,
        out: quant(r, sp.type, inQ.scale[0]! * 1.5),
        constant,
      } as unknown as IntLayer);
      break;
    }
    case 'activation': {
      const activation = ACTS[r.int(0, ACTS.length - 1)]!;
      layers.push({
        op: 'activation',
        name: 'L',
        inputs: ['x'],
        output: 'y',
        shape: xs,
        out: quant(r, sp.type, inQ.scale[0]!),
        activation,
        in: inQ,
        circuit: { name: '', gates: 0, depth: 0, transistors: 0 },
      });
      break;
    }
    case 'transpose':
      layers.push({ op: 'transpose', name: 'L', inputs: ['x'], output: 'y', shape: [H, W, C], out: inQ, perm: [1, 2, 0] });
      break;
  }
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: `random-${sp.op}`,
    scheme: 'affine',
    requant: 'onnxruntime',
    input: { name: 'x', shape: xs, quant: inQ },
    layers,
    outputs: ['y'],
    metadata: {},
  };
}

/** Random input codes for `batch` samples of the model's input. */
export function inputCodes(m: IntModel, seed: number, batch: number): Int32Array {
  const r = rng(seed);
  const q = m.input.quant as AffineQuant;
  const n = batch * m.input.shape.reduce((a, b) => a * b, 1);
  return Int32Array.from({ length: n }, () => (q.type === 'uint8' ? r.int(0, 255) : r.int(-128, 127)));
}
