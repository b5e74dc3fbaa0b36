/*
 * Affine integer engine throughput: MACs per second on an MLP and a CNN,
 * next to onnxruntime-node running the same int8 QOperator model (uint8
 * activations, int8 weights in [-64, 63], one intra-op thread), with the
 * ratio. The models are written here with onnx-proto, imported with
 * importQuantizedOnnx, and both runtimes' output codes are compared (they must
 * be equal: requant 'onnxruntime').
 */
import { performance } from 'node:perf_hooks';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { runAffine } from '../src/sim/engine/run.js';
import { importQuantizedOnnx } from '../src/sim/importers/quantized-onnx/import.js';
import type { IntModel } from '../src/sim/quantize/model.js';

const onnx = onnxProto.onnx;
const f32 = Math.fround;
let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

class Builder {
  nodes: onnxProto.onnx.INodeProto[] = [];
  inits: onnxProto.onnx.ITensorProto[] = [];
  n = 0;
  tensor(type: 'float' | 'uint8' | 'int8' | 'int32', dims: number[], values: number[]): string {
    const name = `t${this.n++}`;
    const dt = { float: 1, uint8: 2, int8: 3, int32: 6 }[type];
    const w = type === 'float' || type === 'int32' ? 4 : 1;
    const raw = new Uint8Array(values.length * w);
    const dv = new DataView(raw.buffer);
    values.forEach((v, i) => {
      if (type === 'float') dv.setFloat32(4 * i, v, true);
      else if (type === 'int32') dv.setInt32(4 * i, v, true);
      else if (type === 'int8') dv.setInt8(i, v);
      else dv.setUint8(i, v);
    });
    this.inits.push({ name, dims, dataType: dt, rawData: raw });
    return name;
  }
  q(s: number, z: number): [string, string] {
    return [this.tensor('float', [], [s]), this.tensor('uint8', [], [z])];
  }
  node(op: string, inputs: string[], attrs: Record<string, number | number[]> = {}, domain = ''): string {
    const out = `y${this.n++}`;
    const attribute = Object.entries(attrs).map(([name, v]) =>
      Array.isArray(v)
        ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }
        : { name, type: onnx.AttributeProto.AttributeType.INT, i: v },
    );
    this.nodes.push({ opType: op, input: inputs, output: [out], name: out, attribute, domain });
    return out;
  }
  build(inShape: number[], out: string, outShape: number[]): Uint8Array {
    const vi = (name: string, elemType: number, shape: number[]) => ({
      name,
      type: { tensorType: { elemType, shape: { dim: shape.map((d, i) => (i === 0 ? { dimParam: 'N' } : { dimValue: d })) } } },
    });
    return onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [
          { domain: '', version: 13 },
          { domain: 'com.microsoft', version: 1 },
        ],
        graph: {
          name: 'bench',
          node: this.nodes,
          initializer: this.inits,
          input: [vi('x', 1, [1, ...inShape])],
          output: [vi(out, 2, [1, ...outShape])],
        },
      }),
    ).finish();
  }
}

interface QT {
  name: string;
  s: number;
  z: number;
}
const weights = (n: number): number[] => Array.from({ length: n }, () => int(-64, 63));
const outScale = (x: QT, sw: number, k: number): number => f32((Math.sqrt(k) * 37 * sw * 40 * x.s) / 40);

function gemm(b: Builder, x: QT, k: number, n: number): QT {
  const sw = f32(0.01),
    s = outScale(x, sw, k),
    z = 128;
  const name = b.node(
    'QGemm',
    [
      x.name,
      ...b.q(x.s, x.z),
      b.tensor('int8', [n, k], weights(n * k)),
      b.tensor('float', [], [sw]),
      b.tensor('int8', [], [0]),
      b.tensor(
        'int32',
        [n],
        Array.from({ length: n }, () => int(-2000, 2000)),
      ),
      ...b.q(s, z),
    ],
    { transB: 1 },
    'com.microsoft',
  );
  return { name, s, z };
}

function conv(b: Builder, x: QT, c: number, m: number): QT {
  const sw = f32(0.01),
    s = outScale(x, sw, c * 9),
    z = 128;
  const name = b.node(
    'QLinearConv',
    [
      x.name,
      ...b.q(x.s, x.z),
      b.tensor('int8', [m, c, 3, 3], weights(m * c * 9)),
      b.tensor('float', [], [sw]),
      b.tensor('int8', [], [0]),
      ...b.q(s, z),
      b.tensor(
        'int32',
        [m],
        Array.from({ length: m }, () => int(-2000, 2000)),
      ),
    ],
    { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
  );
  return { name, s, z };
}

function input(b: Builder): QT {
  const s = f32(1 / 64),
    z = 128;
  return { name: b.node('QuantizeLinear', ['x', ...b.q(s, z)]), s, z };
}

/** MLP 784 -> 256 -> 128 -> 10 (QGemm with bias). */
function mlp(): { bytes: Uint8Array; inShape: number[] } {
  const b = new Builder();
  const y = gemm(b, gemm(b, gemm(b, input(b), 784, 256), 256, 128), 128, 10);
  return { bytes: b.build([784], y.name, [10]), inShape: [784] };
}

/** CNN [1,28,28]: conv 16@3x3 -> maxpool 2 -> conv 32@3x3 -> maxpool 2 -> flatten -> QGemm 10 (about 1.03 M MACs). */
function cnn(): { bytes: Uint8Array; inShape: number[] } {
  const b = new Builder();
  const c1 = conv(b, input(b), 1, 16);
  const p1 = { ...c1, name: b.node('MaxPool', [c1.name], { kernel_shape: [2, 2], strides: [2, 2] }) };
  const c2 = conv(b, p1, 16, 32);
  const p2 = { ...c2, name: b.node('MaxPool', [c2.name], { kernel_shape: [2, 2], strides: [2, 2] }) };
  const flat = { ...p2, name: b.node('Flatten', [p2.name], { axis: 1 }) };
  const y = gemm(b, flat, 32 * 7 * 7, 10);
  return { bytes: b.build([1, 28, 28], y.name, [10]), inShape: [1, 28, 28] };
}

function macsPerSample(m: IntModel): number {
  let macs = 0;
  for (const l of m.layers) {
    const out = l.shape.reduce((a, d) => a * d, 1);
    if (l.op === 'dense') macs += out * l.weights.shape[1]!;
    if (l.op === 'conv') macs += out * l.weights.shape.slice(1).reduce((a, d) => a * d, 1);
  }
  return macs;
}

/** Best of `reps` timings of fn (ms). */
async function best(reps: number, fn: () => unknown): Promise<number> {
  let t = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

async function benchModel(label: string, model: { bytes: Uint8Array; inShape: number[] }, batch: number): Promise<void> {
  const m = importQuantizedOnnx(model.bytes, `${label}.onnx`);
  const per = model.inShape.reduce((a, d) => a * d, 1);
  const x = Float32Array.from({ length: batch * per }, () => rand() * 3.5 - 1.75);
  const session = await ort.InferenceSession.create(model.bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = { x: new ort.Tensor('float32', x, [batch, ...model.inShape]) };
  let ortCodes: ArrayLike<number> = [];
  const ortMs = await best(5, async () => {
    ortCodes = (await session.run(feeds))[session.outputNames[0]!]!.data as Uint8Array;
  });
  let ours: Int32Array = new Int32Array();
  const oursMs = await best(3, () => {
    ours = runAffine(m, x, batch, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
  });
  let diff = 0;
  for (let i = 0; i < ours.length; i++) if (ours[i] !== ortCodes[i]) diff++;
  const macs = macsPerSample(m) * batch;
  const ourRate = macs / (oursMs / 1000),
    ortRate = macs / (ortMs / 1000);
  console.log(
    `${label}: ${macsPerSample(m)} MACs/sample, batch ${batch}, output codes differing from onnxruntime: ${diff} of ${ours.length}`,
  );
  console.log(`  helu-sim affine engine: ${(ourRate / 1e6).toFixed(1)} M MAC/s (${oursMs.toFixed(1)} ms)`);
  console.log(`  onnxruntime-node int8 (1 thread): ${(ortRate / 1e6).toFixed(1)} M MAC/s (${ortMs.toFixed(1)} ms)`);
  console.log(`  ratio helu-sim / onnxruntime: ${(ourRate / ortRate).toFixed(3)}`);
}

await benchModel('MLP 784-256-128-10', mlp(), 512);
await benchModel('CNN 28x28 conv16-conv32-fc10', cnn(), 64);
