import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../../src/random.js';

/*
 * Builds small ONNX models in memory with the onnx-proto definitions, and runs
 * them in onnxruntime-node. Test helper: quantized models are written here by
 * hand, node by node, as onnxruntime's quantization tool writes them.
 */

const onnx = onnxProto.onnx;
const DT = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;
export type ElemType = keyof typeof DT;

export interface ValueInfo {
  name: string;
  type: ElemType;
  shape: number[];
}

export class OnnxBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly inits: onnxProto.onnx.ITensorProto[] = [];
  private count = 0;

  /** Adds an initializer and returns its name. */
  init(name: string, type: ElemType, dims: number[], values: ArrayLike<number>): string {
    const n = values.length;
    const width = { float: 4, uint8: 1, int8: 1, int32: 4, int64: 8 }[type];
    const raw = new Uint8Array(width * n);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (type === 'float') dv.setFloat32(4 * i, v, true);
      else if (type === 'uint8') dv.setUint8(i, v);
      else if (type === 'int8') dv.setInt8(i, v);
      else if (type === 'int32') dv.setInt32(4 * i, v, true);
      else dv.setBigInt64(8 * i, BigInt(v), true);
    }
    this.inits.push({ name, dims, dataType: DT[type], rawData: raw });
    return name;
  }

  /** A scalar initializer with a fresh name. */
  scalar(type: ElemType, v: number): string {
    return this.init(`c${this.count++}`, type, [], [v]);
  }

  node(op: string, inputs: string[], outputs: string[], attrs: Record<string, number | number[]> = {}, domain = ''): void {
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
        : { name, type: onnx.AttributeProto.AttributeType.INT, i: v },
    );
    this.nodes.push({ opType: op, input: inputs, output: outputs, name: `${op}_${this.count++}`, attribute, domain });
  }

  build(input: ValueInfo | ValueInfo[], output: ValueInfo | ValueInfo[]): Uint8Array {
    const vi = (v: ValueInfo) => ({
      name: v.name,
      type: {
        tensorType: { elemType: DT[v.type], shape: { dim: v.shape.map((d, i) => (i === 0 ? { dimParam: 'N' } : { dimValue: d })) } },
      },
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [
        { domain: '', version: 13 },
        { domain: 'com.microsoft', version: 1 },
      ],
      producerName: 'helu-sim-test',
      graph: {
        name: 'g',
        node: this.nodes,
        initializer: this.inits,
        input: (Array.isArray(input) ? input : [input]).map(vi),
        output: (Array.isArray(output) ? output : [output]).map(vi),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

type Feed = Float32Array | Uint8Array | Int8Array;

/** Runs a model in onnxruntime-node; returns the first output's data as plain numbers. */
export async function runOrt(
  bytes: Uint8Array,
  feeds: Record<string, { data: Feed; dims: number[] }>,
  opts: ort.InferenceSession.SessionOptions = {},
): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, ...opts });
  const input: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) {
    const type = v.data instanceof Float32Array ? 'float32' : v.data instanceof Uint8Array ? 'uint8' : 'int8';
    input[k] = new ort.Tensor(type, v.data, v.dims);
  }
  const out = await session.run(input);
  const t = out[session.outputNames[0]!]!;
  return Array.from(t.data as ArrayLike<number>, Number);
}

/** Runs a model in onnxruntime-node; returns every output by name. */
export async function runOrtAll(
  bytes: Uint8Array,
  feeds: Record<string, { data: Feed; dims: number[] }>,
): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const input: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds))
    input[k] = new ort.Tensor(v.data instanceof Float32Array ? 'float32' : v.data instanceof Uint8Array ? 'uint8' : 'int8', v.data, v.dims);
  const out = await session.run(input);
  return Object.fromEntries(session.outputNames.map((n) => [n, Array.from(out[n]!.data as ArrayLike<number>, Number)]));
}

/** Uniform integers and floats for test data, from the project's seeded generator. */
export function rng(seed: number): { int(lo: number, hi: number): number; float(lo: number, hi: number): number } {
  const r = new Rng(seed);
  return { int: (lo, hi) => lo + Math.floor(r.next() * (hi - lo + 1)), float: (lo, hi) => lo + r.next() * (hi - lo) };
}
