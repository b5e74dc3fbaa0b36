// ONNX export: onnxruntime-node loads and runs what helu-sim writes, and the
// file re-imports to the same graph (HeLU stays HeLU).
import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { buildGraph, exportOnnx, importOnnx, runFloat, type GraphNode, type Tensor } from '../../src/models/index.js';
import { ACTIVATION_KINDS, parseActivation, type ActivationSpec } from '../../src/activations/float.js';
import { UserError } from '../../src/errors.js';
import { OnnxBuilder, randomInput, relErr, rng, runOrt } from './onnx-helpers.js';

const { onnx } = onnxProto;

/** Random float32-representable weights, so the exported float32 file holds them exactly. */
function w(shape: number[], r: () => number, scale = 0.5): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, () => Math.fround((r() * 2 - 1) * scale)) };
}

function graphWith(act: ActivationSpec) {
  const r = rng(3);
  const a = (name: string, input: string): GraphNode => ({
    op: 'Activation',
    name,
    inputs: [input],
    output: name,
    attrs: { activation: act },
  });
  const nodes: GraphNode[] = [
    { op: 'Mul', name: 'scale', inputs: ['x'], output: 'xs', weights: { B: { shape: [], data: Float64Array.of(0.125) } } },
    { op: 'Sub', name: 'center', inputs: ['xs'], output: 'xn', weights: { B: { shape: [], data: Float64Array.of(1) } } },
    {
      op: 'Conv',
      name: 'conv',
      inputs: ['xn'],
      output: 'c',
      attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
      weights: { W: w([4, 1, 3, 3], r), B: w([4], r) },
    },
    {
      op: 'BatchNormalization',
      name: 'bn',
      inputs: ['c'],
      output: 'bn',
      attrs: { epsilon: Math.fround(1e-5) },
      weights: { scale: w([4], r), bias: w([4], r), mean: w([4], r), var: { shape: [4], data: Float64Array.of(0.5, 1, 2, 0.25) } },
    },
    a('a1', 'bn'),
    {
      op: 'Conv',
      name: 'dw',
      inputs: ['a1'],
      output: 'dw',
      attrs: { kernel: [3, 3], strides: [1, 1], pads: [2, 2, 2, 2], dilations: [2, 2], group: 4 },
      weights: { W: w([4, 1, 3, 3], r) },
    },
    { op: 'Add', name: 'res', inputs: ['dw', 'a1'], output: 'res', weights: {} },
    {
      op: 'MaxPool',
      name: 'mp',
      inputs: ['res'],
      output: 'mp',
      attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: false },
    },
    {
      op: 'AveragePool',
      name: 'ap',
      inputs: ['res'],
      output: 'ap',
      attrs: { kernel: [3, 3], strides: [2, 2], pads: [1, 1, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: true },
    },
    { op: 'Concat', name: 'cat', inputs: ['mp', 'ap'], output: 'cat', attrs: { axis: 0 } },
    { op: 'Transpose', name: 'tr', inputs: ['cat'], output: 'tr', attrs: { perm: [1, 2, 0] } },
    { op: 'Reshape', name: 'rs', inputs: ['tr'], output: 'rs', attrs: { shape: [4, 32] } },
    { op: 'MatMul', name: 'mm', inputs: ['rs'], output: 'mm', weights: { B: w([32, 6], r) } },
    { op: 'Flatten', name: 'fl', inputs: ['mm'], output: 'fl' },
    {
      op: 'Gemm',
      name: 'fc1',
      inputs: ['fl'],
      output: 'fc1',
      attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
      weights: { B: w([16, 24], r), C: w([16], r) },
    },
    a('a2', 'fc1'),
    {
      op: 'Gemm',
      name: 'fc2',
      inputs: ['a2'],
      output: 'fc2',
      attrs: { transA: 0, transB: 0, alpha: 0.5, beta: 2 },
      weights: { B: w([16, 10], r), C: w([10], r) },
    },
    { op: 'Div', name: 'temp', inputs: ['fc2'], output: 'logits', weights: { B: { shape: [], data: Float64Array.of(2) } } },
    { op: 'Softmax', name: 'sm', inputs: ['logits'], output: 'y', attrs: { axis: 0 } },
  ];
  return buildGraph({
    name: 'all-ops',
    inputs: [{ name: 'x', shape: [1, 8, 8] }],
    outputs: ['y'],
    nodes,
    metadata: { trainedActivation: 'helu' },
  });
}

const ALL = [
  ...ACTIVATION_KINDS.map((k) => parseActivation(k)),
  parseActivation('leakyrelu:0.01'),
  parseActivation('clamp:-0.5:0.75'),
  parseActivation('elu:0.5'),
];

describe('ONNX export', () => {
  for (const act of ALL) {
    it(`runs in onnxruntime and re-imports: ${act.kind}${act.alpha ?? ''}${act.min ?? ''}`, async () => {
      const g = graphWith(act);
      const bytes = exportOnnx(g);
      const x = randomInput(4 * 64, rng(8), 0, 16);
      const ort = await runOrt(bytes, x, [4, 1, 8, 8]);
      expect(relErr(runFloat(g, x, 4).output, ort)).toBeLessThan(1e-5);
      const back = importOnnx(bytes, 'exported.onnx');
      expect(back.nodes.filter((n) => n.op === 'Activation').map((n) => n.op === 'Activation' && n.attrs.activation)).toEqual([act, act]);
      expect(back.nodes.map((n) => n.op)).toEqual(g.nodes.map((n) => n.op));
      expect(back.metadata['trainedActivation']).toBe('helu');
      expect([...runFloat(back, x, 4).output]).toEqual([...runFloat(g, x, 4).output]);
    });
  }

  it('a HeLU ReLU node without its mark becomes helu through metadata trainedActivation', () => {
    const b = new OnnxBuilder(rng(1));
    b.node('Relu', [b.node('Gemm', ['x', b.init('w', [3, 4]), b.init('b', [3])], { transB: 1 })], {}, 'y');
    const helu = importOnnx(b.build('x', [4], 'y', 17, { trainedActivation: 'helu:0.001' }), 'm.onnx');
    expect(helu.nodes[1]!.op === 'Activation' && helu.nodes[1]!.attrs.activation).toEqual({ kind: 'helu', alpha: 0.001 });
    const relu = importOnnx(b.build('x', [4], 'y', 17), 'm.onnx');
    expect(relu.nodes[1]!.op === 'Activation' && relu.nodes[1]!.attrs.activation).toEqual({ kind: 'relu' });
  });
});

describe('ONNX import errors', () => {
  it('unsupported op: names the op and the node', () => {
    const b = new OnnxBuilder(rng(1));
    b.node('Hardmax', ['x'], {}, 'y');
    expect(() => importOnnx(b.build('x', [4], 'y'), 'm.onnx')).toThrow(UserError);
    expect(() => importOnnx(b.build('x', [4], 'y'), 'm.onnx')).toThrow(/unsupported ONNX op 'Hardmax' \(node 'n\d+_Hardmax'\)/);
  });

  it('an Erf outside the GELU pattern is a standalone Erf, not silently fused', () => {
    const b = new OnnxBuilder(rng(1));
    b.node('Add', [b.node('Erf', [b.node('Div', ['x', b.constant([2])])]), b.constant([1])], {}, 'y');
    const g = importOnnx(b.build('x', [4], 'y'), 'm.onnx');
    expect(g.nodes.map((n) => n.op)).toEqual(['Div', 'Unary', 'Add']);
    expect(g.nodes.some((n) => n.op === 'Activation')).toBe(false);
  });

  it('opset outside 7..22, garbage bytes, a symbolic non-batch dimension', () => {
    const b = new OnnxBuilder(rng(1));
    b.node('Relu', ['x'], {}, 'y');
    expect(() => importOnnx(b.build('x', [4], 'y', 6), 'm.onnx')).toThrow(/opset 6; accepted: 7 to 22/);
    expect(() => importOnnx(Uint8Array.of(1, 2, 3, 250, 255), 'bad.onnx')).toThrow(UserError);
    const sym = onnx.ModelProto.decode(b.build('x', [4], 'y'));
    sym.graph!.input![0]!.type!.tensorType!.shape!.dim![1] = onnx.TensorShapeProto.Dimension.create({ dimParam: 'F' });
    expect(() => importOnnx(onnx.ModelProto.encode(sym).finish(), 'sym.onnx')).toThrow(/dimension 1 \('F'\) must be a fixed size/);
  });

  it('a reshape that mixes samples and a Gemm with transA are refused', () => {
    const b = new OnnxBuilder(rng(1));
    b.node('Reshape', ['x', b.int64('s', [-1, 3])], {}, 'y');
    expect(() => importOnnx(b.build('x', [4], 'y'), 'm.onnx')).toThrow(/would move data between samples/);
    const c = new OnnxBuilder(rng(1));
    c.node('Gemm', ['x', c.init('w', [2, 3])], { transA: 1 }, 'y');
    expect(() => importOnnx(c.build('x', [2], 'y'), 'm.onnx')).toThrow(/transA/);
  });
});
