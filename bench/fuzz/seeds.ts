import onnxProto from 'onnx-proto';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { Rng } from '../../src/random.js';

/*
 * Valid seed inputs the fuzz suite mutates, built here from the formats'
 * specifications (ONNX protobuf, NumPy .npy v1, IDX, PNG/JPEG through their
 * encoders), never by the loaders under test.
 */

const onnx = onnxProto.onnx;
const AT = onnx.AttributeProto.AttributeType;
type Attr = number | number[];

class Model {
  nodes: onnxProto.onnx.INodeProto[] = [];
  inits: onnxProto.onnx.ITensorProto[] = [];
  private k = 0;
  constructor(private readonly rng = new Rng(3)) {}

  float(dims: number[], values?: number[]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    const name = `w${this.k++}`;
    this.inits.push({ name, dims, dataType: 1, floatData: values ?? Array.from({ length: n }, () => this.rng.uniform(0.5)) });
    return name;
  }

  raw(type: 'int8' | 'uint8' | 'int32' | 'int64', dims: number[], values: number[]): string {
    const w = { int8: 1, uint8: 1, int32: 4, int64: 8 }[type];
    const raw = new Uint8Array(w * values.length);
    const dv = new DataView(raw.buffer);
    values.forEach((v, i) =>
      type === 'int8'
        ? dv.setInt8(i, v)
        : type === 'uint8'
          ? dv.setUint8(i, v)
          : type === 'int32'
            ? dv.setInt32(4 * i, v, true)
            : dv.setBigInt64(8 * i, BigInt(v), true),
    );
    const name = `r${this.k++}`;
    this.inits.push({ name, dims, dataType: { int8: 3, uint8: 2, int32: 6, int64: 7 }[type], rawData: raw });
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, out = `t${this.k++}`): string {
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v) ? { name, type: AT.INTS, ints: v } : { name, type: AT.INT, i: v },
    );
    this.nodes.push({ opType: op, name: `${op}_${this.k++}`, input: inputs, output: [out], attribute });
    return out;
  }

  build(inShape: number[], output: string, opset = 13, elem = 1): Uint8Array {
    const dim = (d: number | string) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d });
    return onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ domain: '', version: opset }],
        producerName: 'fuzz-seed',
        graph: {
          name: 'g',
          node: this.nodes,
          initializer: this.inits,
          input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: ['N', ...inShape].map(dim) } } } }],
          output: [{ name: output, type: { tensorType: { elemType: elem } } }],
        },
      }),
    ).finish();
  }
}

/** MLP with input scaling, Gemm, Relu, MatMul + Add (fused to Gemm), Sigmoid. */
export function onnxMlp(): Uint8Array {
  const m = new Model();
  const a = m.node('Mul', ['x', m.float([], [1 / 16])]);
  const h = m.node('Relu', [m.node('Gemm', [a, m.float([8, 16]), m.float([8])], { transB: 1 })]);
  const y = m.node('Add', [m.node('MatMul', [h, m.float([8, 4])]), m.float([4])]);
  return m.build([16], m.node('Sigmoid', [y], {}, 'y'));
}

/** CNN with padding, pooling and torch's flatten-by-shape arithmetic (Shape, Gather, Unsqueeze, Concat, Reshape). */
export function onnxCnn(): Uint8Array {
  const m = new Model();
  const c = m.node('Relu', [m.node('Conv', ['x', m.float([2, 1, 3, 3]), m.float([2])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] })]);
  const p = m.node('MaxPool', [c], { kernel_shape: [2, 2], strides: [2, 2] });
  const batch = m.node('Unsqueeze', [m.node('Gather', [m.node('Shape', [p]), m.raw('int64', [], [0])], { axis: 0 })], { axes: [0] });
  const shape = m.node('Concat', [batch, m.raw('int64', [1], [-1])], { axis: 0 });
  const flat = m.node('Reshape', [p, shape]);
  return m.build([1, 6, 6], m.node('Gemm', [flat, m.float([3, 18]), m.float([3])], { transB: 1 }, 'y'));
}

/** A QDQ network (onnxruntime's quantization layout): Q -> DQ -> Gemm with int8 weights and int32 bias -> Q. */
export function onnxQdq(): Uint8Array {
  const m = new Model();
  const s = (v: number) => m.float([], [v]);
  const q = (x: string, sc: number, zp: number) => m.node('QuantizeLinear', [x, s(sc), m.raw('uint8', [], [zp])]);
  const dq = (x: string, sc: number, zp: number) => m.node('DequantizeLinear', [x, s(sc), m.raw('uint8', [], [zp])]);
  const rng = new Rng(9);
  const w = m.node('DequantizeLinear', [
    m.raw(
      'int8',
      [4, 6],
      Array.from({ length: 24 }, () => rng.int(255) - 127),
    ),
    s(0.01),
    m.raw('int8', [], [0]),
  ]);
  const b = m.node('DequantizeLinear', [m.raw('int32', [4], [5, -7, 11, 0]), s(0.01 * 0.02), m.raw('int32', [], [0])]);
  const g = m.node('Gemm', [dq(q('x', 0.02, 128), 0.02, 128), w, b], { transB: 1 });
  const r = m.node('Relu', [dq(q(g, 0.05, 0), 0.05, 0)]);
  const out = m.node('QuantizeLinear', [r, s(0.05), m.raw('uint8', [], [0])], {}, 'y');
  return m.build([6], out, 13, 2);
}

/** An .npy file (format version 1.0): magic, version, header dict padded to 64 bytes, little-endian data. */
export function npyBytes(descr: '<f4' | '<f8' | '|u1' | '<i8', shape: number[], values: number[]): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const width = { '<f4': 4, '<f8': 8, '|u1': 1, '<i8': 8 }[descr];
  const out = new Uint8Array(10 + header.length + width * values.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  const dv = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) =>
    descr === '<f4'
      ? dv.setFloat32(4 * i, v, true)
      : descr === '<f8'
        ? dv.setFloat64(8 * i, v, true)
        : descr === '|u1'
          ? dv.setUint8(i, v)
          : dv.setBigInt64(8 * i, BigInt(v), true),
  );
  return out;
}

/** An IDX file of unsigned bytes: 0, 0, 0x08, rank, big-endian dims, data. */
export function idxBytes(dims: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 8, dims.length]);
  const dv = new DataView(out.buffer);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

/** A w x h RGBA test pattern, as PNG and as JPEG. */
export function images(w = 7, h = 5): Uint8Array[] {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([(i * 37) % 256, (i * 11) % 256, (i * 5) % 256, 255], 4 * i);
  const png = new PNG({ width: w, height: h });
  data.copy(png.data);
  return [new Uint8Array(PNG.sync.write(png)), new Uint8Array(jpeg.encode({ data, width: w, height: h }, 90).data)];
}

/** A TF.js layers model.json (Sequential: Dense relu, Dense) with its weights file's bytes. */
export function tfjsModel(): { json: unknown; weights: Uint8Array } {
  const rng = new Rng(4);
  const values = Float32Array.from({ length: 4 * 3 + 3 + 3 * 2 + 2 }, () => rng.uniform(1));
  const dense = (name: string, units: number, act: string, extra = {}) => ({
    class_name: 'Dense',
    config: { name, units, activation: act, use_bias: true, ...extra },
  });
  return {
    json: {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 's', layers: [dense('d1', 3, 'relu', { batch_input_shape: [null, 4] }), dense('d2', 2, 'linear')] },
      },
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'd1/kernel', shape: [4, 3], dtype: 'float32' },
            { name: 'd1/bias', shape: [3], dtype: 'float32' },
            { name: 'd2/kernel', shape: [3, 2], dtype: 'float32' },
            { name: 'd2/bias', shape: [2], dtype: 'float32' },
          ],
        },
      ],
    },
    weights: new Uint8Array(values.buffer),
  };
}
