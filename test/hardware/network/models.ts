/**
 * Integer models built by hand for the cost tests, following sim/model.ts:
 * pow2 MLPs and CNNs with seeded random weight codes, and an affine MLP.
 */
import { VectorRng } from '../../../src/netlist/index.js';
import type { IntLayer, IntModel, TensorQuant } from '../../../src/sim/quantize/model.js';

const pow2 = (format: string): TensorQuant => ({ kind: 'pow2', format });

function codes(n: number, width: number, rng: VectorRng): number[] {
  const half = 2 ** (width - 1);
  return Array.from({ length: n }, () => rng.bits(width) - half);
}

export interface Pow2Formats {
  readonly input: string;
  readonly weight: string;
  readonly acc: string;
  /** Layer outputs (activation in and out). */
  readonly act: string;
}

export const FORMATS_8: Pow2Formats = {
  input: 'fixed<8,4,RND_CONV,SAT>',
  weight: 'fixed<8,1>',
  acc: 'fixed<32,21>',
  act: 'fixed<8,4,RND_CONV,SAT>',
};

function model(name: string, input: IntModel['input'], layers: IntLayer[]): IntModel {
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name,
    scheme: 'pow2',
    input,
    layers,
    outputs: [layers[layers.length - 1]!.output],
    metadata: {},
  };
}

function activation(name: string, from: string, shape: number[], act: string, f: Pow2Formats): IntLayer {
  return {
    name,
    op: 'activation',
    inputs: [from],
    output: name,
    shape,
    out: pow2(f.act),
    activation: act,
    in: pow2(f.act),
    circuit: { name: act, gates: 0, depth: 0, transistors: 0 },
  };
}

/** Dense layers sizes[0] -> sizes[1] -> ...; `act` after every layer but the last. */
export function pow2Mlp(sizes: readonly number[], act = 'helu', f: Pow2Formats = FORMATS_8, seed = 1): IntModel {
  const rng = new VectorRng(seed);
  const wWidth = Number(/<(\d+)/.exec(f.weight)![1]);
  const layers: IntLayer[] = [];
  let x = 'x';
  for (let i = 1; i < sizes.length; i++) {
    const [k, n] = [sizes[i - 1]!, sizes[i]!];
    const name = `fc${i}`;
    layers.push({
      name,
      op: 'dense',
      inputs: [x],
      output: name,
      shape: [n],
      out: pow2(f.act),
      weights: { shape: [n, k], codes: codes(n * k, wWidth, rng), quant: pow2(f.weight) },
      bias: codes(n, 8, rng),
      acc: { kind: 'pow2', formats: [f.acc], bound: 0 },
    });
    x = name;
    if (i < sizes.length - 1) {
      layers.push(activation(`act${i}`, x, [n], act, f));
      x = `act${i}`;
    }
  }
  return model(`mlp-${sizes.join('-')}`, { name: 'x', shape: [sizes[0]!], quant: pow2(f.input) }, layers);
}

export interface ConvSpec {
  readonly filters: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly pad?: number;
  readonly group?: number;
}

/** Output size of a window (floor mode). */
export function windowOut(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

/** Convolutions (each followed by `act`) on [C, H, W], then flatten and a dense layer to `classes`. */
export function pow2Cnn(
  input: [number, number, number],
  convs: readonly ConvSpec[],
  classes: number,
  act = 'helu',
  f: Pow2Formats = FORMATS_8,
  seed = 2,
): IntModel {
  const rng = new VectorRng(seed);
  const wWidth = Number(/<(\d+)/.exec(f.weight)![1]);
  const layers: IntLayer[] = [];
  let [c, h, w] = input;
  let x = 'x';
  convs.forEach((s, i) => {
    const [stride, pad, group] = [s.stride ?? 1, s.pad ?? 0, s.group ?? 1];
    const [ho, wo] = [windowOut(h, s.kernel, stride, pad), windowOut(w, s.kernel, stride, pad)];
    const name = `conv${i + 1}`;
    const shape = [s.filters, ho, wo];
    layers.push({
      name,
      op: 'conv',
      inputs: [x],
      output: name,
      shape,
      out: pow2(f.act),
      kernel: [s.kernel, s.kernel],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
      dilations: [1, 1],
      group,
      weights: {
        shape: [s.filters, c / group, s.kernel, s.kernel],
        codes: codes(s.filters * (c / group) * s.kernel ** 2, wWidth, rng),
        quant: pow2(f.weight),
      },
      bias: codes(s.filters, 8, rng),
      acc: { kind: 'pow2', formats: [f.acc], bound: 0 },
    });
    layers.push(activation(`act${i + 1}`, name, shape, act, f));
    x = `act${i + 1}`;
    [c, h, w] = [s.filters, ho, wo];
  });
  layers.push({ name: 'flat', op: 'flatten', inputs: [x], output: 'flat', shape: [c * h * w], out: pow2(f.act) });
  layers.push({
    name: 'fc',
    op: 'dense',
    inputs: ['flat'],
    output: 'fc',
    shape: [classes],
    out: pow2(f.act),
    weights: { shape: [classes, c * h * w], codes: codes(classes * c * h * w, wWidth, rng), quant: pow2(f.weight) },
    acc: { kind: 'pow2', formats: [f.acc], bound: 0 },
  });
  return model(`cnn-${convs.length}`, { name: 'x', shape: [...input], quant: pow2(f.input) }, layers);
}

/** An int8 affine MLP (ONNX QLinearMatMul style): uint8 activations, int8 weights, int32 accumulators. */
export function affineMlp(sizes: readonly number[], act = 'helu', seed = 3): IntModel {
  const rng = new VectorRng(seed);
  const q = (scale: number, zp: number): TensorQuant => ({ kind: 'affine', type: 'uint8', scale: [Math.fround(scale)], zeroPoint: [zp] });
  const layers: IntLayer[] = [];
  let x = 'x';
  for (let i = 1; i < sizes.length; i++) {
    const [k, n] = [sizes[i - 1]!, sizes[i]!];
    const name = `fc${i}`;
    layers.push({
      name,
      op: 'dense',
      inputs: [x],
      output: name,
      shape: [n],
      out: q(0.05, 128),
      weights: {
        shape: [n, k],
        codes: codes(n * k, 7, rng),
        quant: { kind: 'affine', type: 'int8', scale: [Math.fround(0.01)], zeroPoint: [0] },
      },
      bias: codes(n, 10, rng),
      acc: { kind: 'int', bits: 32, overflow: 'WRAP' },
    });
    x = name;
    if (i < sizes.length - 1) {
      layers.push({
        name: `act${i}`,
        op: 'activation',
        inputs: [x],
        output: `act${i}`,
        shape: [n],
        out: q(0.05, 128),
        activation: act,
        in: q(0.05, 128),
        circuit: { name: act, gates: 0, depth: 0, transistors: 0 },
      });
      x = `act${i}`;
    }
  }
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: 'affine-mlp',
    scheme: 'affine',
    requant: 'gemmlowp',
    input: { name: 'x', shape: [sizes[0]!], quant: q(0.02, 0) },
    layers,
    outputs: [x],
    metadata: {},
  };
}
