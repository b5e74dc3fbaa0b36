// Test-side ONNX model construction and onnxruntime comparison, written
// independently of helu-sim's exporter (only the protobuf schema is shared).
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/random.js';

export const onnx = onnxProto.onnx;
type Attr = InstanceType<typeof onnx.AttributeProto>;
const AT = onnx.AttributeProto.AttributeType;

/** Attribute value markers: plain integers and int arrays are INT/INTS, strings STRING. */
export const F = (f: number) => ({ kind: 'f' as const, f });
export const FS = (fs: number[]) => ({ kind: 'fs' as const, fs });
type AttrIn = number | number[] | string | ReturnType<typeof F> | ReturnType<typeof FS>;

function attr(name: string, v: AttrIn): Attr {
  if (typeof v === 'number') return onnx.AttributeProto.create({ name, type: AT.INT, i: v });
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: AT.INTS, ints: v });
  if (v.kind === 'f') return onnx.AttributeProto.create({ name, type: AT.FLOAT, f: v.f });
  return onnx.AttributeProto.create({ name, type: AT.FLOATS, floats: v.fs });
}

/** Uniform [0, 1) stream for test weights, from the project's seeded generator. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export class OnnxBuilder {
  nodes: ReturnType<typeof onnx.NodeProto.create>[] = [];
  inits: ReturnType<typeof onnx.TensorProto.create>[] = [];
  private k = 0;
  constructor(readonly rand: () => number = rng(1)) {}

  /** A float32 initializer with given values (or uniform random in [-scale, scale]). */
  init(name: string, dims: number[], values?: number[] | Float32Array, scale = 0.5): string {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = values ? Float32Array.from(values) : Float32Array.from({ length: n }, () => (this.rand() * 2 - 1) * scale);
    this.inits.push(onnx.TensorProto.create({ name, dims, dataType: 1, floatData: Array.from(data) }));
    return name;
  }

  int64(name: string, values: number[]): string {
    this.inits.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: 7, int64Data: values }));
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, AttrIn> = {}, out?: string, domain = ''): string {
    const o = out ?? `t${this.k++}_${op}`;
    this.nodes.push(
      onnx.NodeProto.create({
        opType: op,
        domain,
        name: `n${this.k++}_${op}`,
        input: inputs,
        output: [o],
        attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)),
      }),
    );
    return o;
  }

  /** Constant node holding a float tensor. */
  constant(values: number[], dims: number[] = []): string {
    const t = onnx.TensorProto.create({ dims, dataType: 1, floatData: values });
    const o = `c${this.k++}`;
    this.nodes.push(
      onnx.NodeProto.create({
        opType: 'Constant',
        name: `n${this.k++}_Constant`,
        output: [o],
        attribute: [onnx.AttributeProto.create({ name: 'value', type: AT.TENSOR, t })],
      }),
    );
    return o;
  }

  build(input: string, inShape: number[], output: string, opset = 17, metadata: Record<string, string> = {}): Uint8Array {
    const vi = (name: string, dims: (number | string)[]) => ({
      name,
      type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
    });
    const model = onnx.ModelProto.create({
      irVersion: opset >= 21 ? 10 : opset >= 19 ? 9 : 8,
      opsetImport: [{ domain: '', version: opset }],
      producerName: 'test',
      graph: { name: 'g', node: this.nodes, initializer: this.inits, input: [vi(input, ['N', ...inShape])], output: [{ name: output }] },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** Runs a model in onnxruntime-node (float32) on a batch and returns the first output. */
export async function runOrt(bytes: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
  const t = out[s.outputNames[0]!]!;
  return t.data as Float32Array;
}

/** Largest |a - b| relative to the largest |b| (the comparison's scale). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

export function randomInput(n: number, rand: () => number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
