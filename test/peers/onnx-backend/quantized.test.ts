// The ONNX backend node tests of the quantized operators through helu-sim's quantized-ONNX
// import and affine engine (scheme onnxruntime): output codes equal to the data's, exactly.
// Each case's weights and parameters become initializers (a user's model carries them); its
// quantized runtime input gets a QuantizeLinear in front (helu-sim models take real input) and
// is fed as codes; an int32 result (MatMulInteger, ConvInteger) is read back through
// Cast -> Mul 1 -> QuantizeLinear(scale 1, zero point 0, int8), exact while it fits in int8.
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { quantizeLinear } from '../../../src/fixedpoint/onnx.js';
import { runAffine, runAffineCodes } from '../../../src/sim/engine/run.js';
import { ImportContext } from '../../../src/sim/importers/quantized-onnx/context.js';
import { dequantizeLinear } from '../../../src/sim/importers/quantized-onnx/edges.js';
import { importQuantizedOnnx } from '../../../src/sim/importers/quantized-onnx/import.js';
import { readQuantGraph } from '../../../src/sim/importers/quantized-onnx/read.js';
import { backendNodeCases, inputsAsInitializers, type BackendCase, type PbTensor } from './cases.js';

const onnx = onnxProto.onnx;

function one(name: string): BackendCase {
  const [c] = backendNodeCases((n) => n === name);
  if (!c) throw new Error(`no backend case ${name}`);
  return c;
}

function scalarInit(name: string, dataType: number, v: number): O.ITensorProto {
  const raw = new Uint8Array(dataType === 1 ? 4 : 1);
  const d = new DataView(raw.buffer);
  if (dataType === 1) d.setFloat32(0, v, true);
  else if (dataType === 3) d.setInt8(0, v);
  else d.setUint8(0, v);
  return { name, dims: [], dataType, rawData: raw };
}

/**
 * The case as a helu-sim-importable model: inputs other than `runtime` become initializers;
 * the runtime input (shape `shape`, batch first) is produced by QuantizeLinear(x_float, scale, zp).
 */
function wrap(c: BackendCase, shape: number[], scale: string, zp: string, integerOut = false): Uint8Array {
  const set = c.sets[0]!;
  const others = set.inputs.map((_, k) => k).filter((k) => k !== 0);
  const model = onnx.ModelProto.decode(inputsAsInitializers(c, set, others));
  const g = model.graph!;
  const x = g.input![0]!.name!;
  g.input = [{ name: `${x}_float`, type: { tensorType: { elemType: 1, shape: { dim: shape.map((d) => ({ dimValue: d })) } } } }];
  const inits = [...(g.initializer ?? [])];
  const nodes: O.INodeProto[] = [
    { opType: 'QuantizeLinear', input: [`${x}_float`, scale, zp], output: [x], name: 'wrap_q' },
    ...(g.node ?? []),
  ];
  if (integerOut) {
    const y = g.output![0]!.name!;
    inits.push(scalarInit('one', 1, 1), scalarInit('zero8', 3, 0));
    nodes.push({
      opType: 'Cast',
      input: [y],
      output: ['yf'],
      attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      name: 'wrap_cast',
    });
    nodes.push({ opType: 'Mul', input: ['yf', 'one'], output: ['ys'], name: 'wrap_mul' });
    nodes.push({ opType: 'QuantizeLinear', input: ['ys', 'one', 'zero8'], output: ['y8'], name: 'wrap_y' });
    g.output = [{ name: 'y8' }];
  }
  g.initializer = inits.map((t) => onnx.TensorProto.create(t));
  g.node = nodes;
  return onnx.ModelProto.encode(model).finish();
}

/** Runs the imported model on the case's runtime input codes; returns the output codes. */
function runCodes(bytes: Uint8Array, input: PbTensor, batch: number): number[] {
  const m = importQuantizedOnnx(bytes, 'backend.onnx');
  return Array.from(runAffineCodes(m, input.values, batch, { requant: 'onnxruntime', keep: 'outputs' }).tensors.get(m.outputs[0]!)!);
}

describe('ONNX backend node tests of the quantized operators', () => {
  for (const name of ['test_qlinearmatmul_2D', 'test_qlinearconv']) {
    it(`${name}: output codes equal`, () => {
      const c = one(name);
      const set = c.sets[0]!;
      const ins = c.model.graph!.input!.map((i) => i.name!);
      const x = set.inputs[0]!;
      const bytes = wrap(c, x.dims, ins[1]!, ins[2]!);
      expect(runCodes(bytes, x, x.dims[0]!)).toEqual(Array.from(set.outputs[0]!.values));
    });
  }

  it('test_qlinearmatmul_3D: output codes equal (a per-sample [2, 4] input; each batch entry with its own B slice)', () => {
    const c = one('test_qlinearmatmul_3D');
    const set = c.sets[0]!;
    const ins = c.model.graph!.input!.map((i) => i.name!);
    const [a, , , b] = set.inputs;
    const [batch, rows, k] = a!.dims as [number, number, number];
    const n = b!.dims[2]!;
    const got: number[] = [];
    for (let i = 0; i < batch; i++) {
      // a batch entry with its slice of B: the batched product is one 2-D product per entry
      const slice = {
        ...set,
        inputs: set.inputs.map((t, j) => (j === 3 ? { ...t, dims: [k, n], values: t.values.slice(i * k * n, (i + 1) * k * n) } : t)),
      };
      const sub = { ...c, sets: [slice] } as BackendCase;
      const x = { ...a!, dims: [1, rows, k], values: a!.values.slice(i * rows * k, (i + 1) * rows * k) };
      got.push(...runCodes(wrap(sub, [1, rows, k], ins[1]!, ins[2]!), x, 1));
    }
    expect(got).toEqual(Array.from(set.outputs[0]!.values));
  });

  for (const name of ['test_matmulinteger', 'test_convinteger_with_padding', 'test_convinteger_without_padding']) {
    it(`${name}: the int32 products equal (read back through an int8 QuantizeLinear of scale 1)`, () => {
      const c = one(name);
      const set = c.sets[0]!;
      const x = set.inputs[0]!;
      const want = Array.from(set.outputs[0]!.values);
      expect(want.every((v) => v >= -128 && v <= 127)).toBe(true);
      const model = onnx.ModelProto.decode(onnx.ModelProto.encode(c.model).finish());
      const zpName = model.graph!.input![2]!.name!;
      // the runtime input's QuantizeLinear reuses the node's own zero point (scale 1: any scale works)
      const bytes = wrap(c, x.dims, 'one', zpName, true);
      expect(runCodes(bytes, x, x.dims[0]!)).toEqual(want);
    });
  }

  it('test_quantizelinear: codes of the float input equal', () => {
    const c = one('test_quantizelinear');
    const set = c.sets[0]!;
    const [x, s, z] = set.inputs;
    const model = onnx.ModelProto.decode(inputsAsInitializers(c, set, [1, 2]));
    model.graph!.input![0]!.type = { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } };
    const m = importQuantizedOnnx(onnx.ModelProto.encode(model).finish());
    expect(m.input.quant).toMatchObject({ scale: [s!.values[0]], zeroPoint: [z!.values[0]] });
    const got = runAffine(m, x!.values, x!.values.length, { requant: 'onnxruntime' }).tensors.get(m.outputs[0]!)!;
    expect(Array.from(got)).toEqual(Array.from(set.outputs[0]!.values));
  });

  it("test_dequantizelinear and test_dequantizelinear_axis: the imported constant dequantizes to the data's reals", () => {
    // a constant dequantized per tensor, or per channel along axis 1: the way weights are read
    for (const name of ['test_dequantizelinear', 'test_dequantizelinear_axis']) {
      const c = one(name);
      const set = c.sets[0]!;
      const model = onnx.ModelProto.decode(inputsAsInitializers(c, set, [0, 1, 2]));
      model.graph!.input = [{ name: 'in', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 1 }] } } } }];
      const g = readQuantGraph(onnx.ModelProto.encode(model).finish(), name);
      const ctx = new ImportContext(g);
      dequantizeLinear(ctx, g.nodes[0]!);
      const v = ctx.values.get(g.nodes[0]!.outputs[0]!);
      if (v?.kind !== 'wdq') throw new Error('not a dequantized constant');
      const { codes, quant, shape } = v.c;
      const axis = quant.axis ?? 0;
      const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
      const ch = (i: number) => (quant.scale.length === 1 ? 0 : Math.floor(i / inner) % shape[axis]!);
      expect(
        codes.map((q, i) => Math.fround((q - quant.zeroPoint[ch(i)]!) * quant.scale[ch(i)]!)),
        name,
      ).toEqual(Array.from(set.outputs[0]!.values));
    }
  });

  it('test_dynamicquantizelinear*: with the scale and zero point the data gives, QuantizeLinear gives its codes', () => {
    // helu-sim quantizes with static parameters; the runtime derivation of scale and zero point does not apply
    for (const c of backendNodeCases((n) => /^test_dynamicquantizelinear(_max_adjusted|_min_adjusted)?$/.test(n))) {
      const set = c.sets[0]!;
      const [y, ys, yz] = set.outputs;
      const got = Array.from(set.inputs[0]!.values, (v) => quantizeLinear(v, ys!.values[0]!, yz!.values[0]!, 0, 255));
      expect(got, c.name).toEqual(Array.from(y!.values));
    }
  });
});
