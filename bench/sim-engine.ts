/*
 * Integer simulator benchmarks (pow2 scheme), on networks with seeded random
 * float weights exported to 8-bit fixed point and calibrated on the digits
 * images (the CNN's inputs are digits upsampled 2x to 16x16, nearest
 * neighbour; 10,000 samples are the 1,797 digits repeated with random 0..16
 * noise in a few pixels):
 * 1. integer engine throughput (functional activations) in MACs per second
 *    (per CPU second: the machine is shared) on an MLP and a CNN, next to
 *    onnxruntime-node on the same network: float32 on the float graph, int8 on
 *    a QOperator version of it, which helu-sim's integer engine also runs
 *    (imported, affine scheme);
 * 2. gate mode (activation circuits simulated) against functional mode;
 * 3. verification (integer engine + float reference + every comparison) of
 *    10,000 samples through a CNN of about 1 million MACs (target < 60 s).
 */
import { performance } from 'node:perf_hooks';
import { loadDataset, splitOf } from '../src/models/datasets/index.js';
import type { Graph, GraphNode, Tensor } from '../src/models/graph.js';
import { macsPerSample } from '../src/models/infer.js';
import { exportOnnx } from '../src/models/onnx/export.js';
import { buildGraph } from '../src/models/shapes.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { runInteger } from '../src/sim/engine/run.js';
import { runReference } from '../src/sim/reference/run.js';
import { verifyModel } from '../src/sim/verify/verify.js';
import type { IntModel } from '../src/sim/quantize/model.js';
import { parseFormat } from '../src/fixedpoint/format.js';
import { activationKernel } from '../src/sim/engine/pow2/activation.js';

import onnxProto from 'onnx-proto';
import { importQuantizedOnnx } from '../src/sim/qonnx/import.js';

/*
 * QOperator int8 versions of the benchmark networks, written with the ONNX
 * protobuf definitions: QuantizeLinear (uint8 input), then QLinearConv /
 * MaxPool / QLinearMatMul layers with int8 weights in [-64, 63] (onnxruntime's
 * x86 u8s8 kernels may saturate pair sums to int16 beyond, docs/requantization.md) and
 * uint8 activations with zero point 0 (ReLU by clamping). onnxruntime-node and
 * helu-sim's integer engine (through the quantized-ONNX import, affine
 * scheme) run the same model.
 */

const onnx = onnxProto.onnx;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

const DT = { float: 1, uint8: 2, int8: 3, int32: 6 } as const;

interface QLayerSpec {
  kind: 'conv' | 'pool' | 'flatten' | 'dense';
  /** conv: filters; dense: outputs. */
  out?: number;
}

class Writer {
  nodes: NodeProto[] = [];
  inits: TensorProto[] = [];
  private n = 0;
  constructor(private readonly rand: () => number) {}

  name(base: string): string {
    return `${base}${this.n++}`;
  }

  init(type: keyof typeof DT, dims: number[], values: ArrayLike<number>): string {
    const name = this.name('c');
    const width = type === 'float' || type === 'int32' ? 4 : 1;
    const raw = new Uint8Array(width * values.length);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (type === 'float') dv.setFloat32(4 * i, v, true);
      else if (type === 'int32') dv.setInt32(4 * i, v, true);
      else if (type === 'int8') dv.setInt8(i, v);
      else dv.setUint8(i, v);
    }
    this.inits.push({ name, dims, dataType: DT[type], rawData: raw });
    return name;
  }

  node(op: string, inputs: string[], attrs: Record<string, number[]> = {}, domain = ''): string {
    const out = this.name(op);
    const attribute = Object.entries(attrs).map(([name, v]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v }));
    this.nodes.push({ opType: op, input: inputs, output: [out], name: out, attribute, domain });
    return out;
  }

  weights(n: number): number[] {
    return Array.from({ length: n }, () => Math.floor(this.rand() * 128) - 64);
  }
}

/**
 * The network as QOperator ONNX bytes, input float [1, ...inShape]. Each
 * layer's output scale is chosen from its fan-in so codes spread over uint8.
 */
function qoperatorModel(inShape: number[], layers: QLayerSpec[], seed = 7): Uint8Array {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const w = new Writer(rand);
  let scale = 16 / 255; // raw digit values 0..16
  const q = (v: number) => [w.init('float', [], [v]), w.init('uint8', [], [0])];
  let x = w.node('QuantizeLinear', ['input', ...q(scale)]);
  let shape = [...inShape];
  for (const l of layers) {
    if (l.kind === 'pool') {
      x = w.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
      shape = [shape[0]!, shape[1]! >> 1, shape[2]! >> 1];
    } else if (l.kind === 'flatten') {
      x = w.node('Flatten', [x]);
      shape = [shape.reduce((a, d) => a * d, 1)];
    } else {
      const k = l.kind === 'conv' ? shape[0]! * 9 : shape[0]!;
      const ws = 1 / (64 * Math.sqrt(k));
      const ys = Math.fround(scale * ws * 64 * Math.sqrt(k) / 24);
      const wq = [w.init('float', [], [ws]), w.init('int8', [], [0])];
      if (l.kind === 'conv') {
        const W = w.init('int8', [l.out!, shape[0]!, 3, 3], w.weights(l.out! * k));
        x = w.node('QLinearConv', [x, ...q(scale), W, ...wq, ...q(ys)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
        shape = [l.out!, shape[1]!, shape[2]!];
      } else {
        const W = w.init('int8', [k, l.out!], w.weights(l.out! * k));
        x = w.node('QLinearMatMul', [x, ...q(scale), W, ...wq, ...q(ys)]);
        shape = [l.out!];
      }
      scale = ys;
    }
  }
  const vi = (name: string, type: number, dims: (number | string)[]) => ({
    name, type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const graph = {
    name: 'bench-qop', node: w.nodes, initializer: w.inits,
    input: [vi('input', DT.float, ['N', ...inShape])], output: [vi(x, DT.uint8, ['N', ...shape])],
  };
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }], producerName: 'helu-sim bench', graph };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

let seed = 12345;
function rand(): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
}
function t(shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return { shape, data: Float64Array.from({ length: n }, () => (rand() * 2 - 1) * scale) };
}
const conv = (name: string, input: string, m: number, c: number): GraphNode => ({
  op: 'Conv', name, inputs: [input], output: name, weights: { W: t([m, c, 3, 3], 1 / Math.sqrt(9 * c)), B: t([m], 0.05) },
  attrs: { kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], group: 1 },
});
const act = (name: string, input: string): GraphNode => ({ op: 'Activation', name, inputs: [input], output: name, attrs: { activation: { kind: 'helu' } } });
const gemm = (name: string, input: string, n: number, k: number): GraphNode => ({
  op: 'Gemm', name, inputs: [input], output: name, attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 }, weights: { B: t([n, k], 1 / Math.sqrt(k)), C: t([n], 0.05) },
});
const scaleNode: GraphNode = { op: 'Mul', name: 'normalize', inputs: ['input'], output: 'normalized', weights: { B: { shape: [], data: Float64Array.of(1 / 16) } } };

/** 64 -> 256 -> 256 -> 10, HeLU. */
function mlp(): Graph {
  return buildGraph({
    name: 'bench-mlp', inputs: [{ name: 'input', shape: [1, 8, 8] }], outputs: ['fc3'], metadata: {},
    nodes: [scaleNode, { op: 'Flatten', name: 'flat', inputs: ['normalized'], output: 'flat' }, gemm('fc1', 'flat', 256, 64), act('a1', 'fc1'), gemm('fc2', 'a1', 256, 256), act('a2', 'fc2'), gemm('fc3', 'a2', 10, 256)],
  });
}

/** [1,16,16]: conv 8, conv 16, maxpool 2, conv 24, conv 32, maxpool 2, dense 10 (0.98 M MACs). */
function cnn(): Graph {
  const pool = (name: string, input: string): GraphNode => ({ op: 'MaxPool', name, inputs: [input], output: name, attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: false } });
  return buildGraph({
    name: 'bench-cnn', inputs: [{ name: 'input', shape: [1, 16, 16] }], outputs: ['fc'], metadata: {},
    nodes: [
      scaleNode, conv('c1', 'normalized', 8, 1), act('a1', 'c1'), conv('c2', 'a1', 16, 8), act('a2', 'c2'), pool('p1', 'a2'),
      conv('c3', 'p1', 24, 16), act('a3', 'c3'), conv('c4', 'a3', 32, 24), act('a4', 'c4'), pool('p2', 'a4'),
      { op: 'Flatten', name: 'flat', inputs: ['p2'], output: 'flat' }, gemm('fc', 'flat', 10, 512),
    ],
  });
}

/** Digits upsampled 2x (nearest), `count` samples cycling through the set, a few pixels perturbed after the first pass. */
function digits16(count: number): { x: Float64Array; y: Int32Array; count: number } {
  const all = splitOf(loadDataset('digits'), 'all');
  const x = new Float64Array(count * 256), y = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const s = n % all.count;
    y[n] = all.y[s]!;
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) x[n * 256 + i * 16 + j] = all.x[s * 64 + (i >> 1) * 8 + (j >> 1)]!;
    if (n >= all.count) for (let k = 0; k < 4; k++) x[n * 256 + Math.floor(rand() * 256)] = Math.floor(rand() * 17);
  }
  return { x, y, count };
}

/** Runs f; returns its result, wall seconds and CPU seconds of this process (user + system). */
function time<T>(f: () => T): [T, number, number] {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

const rateText = (ops: number, wall: number, cpu: number) => `${(ops / wall / 1e6).toFixed(0)} M MAC/s wall, ${(ops / cpu / 1e6).toFixed(0)} M MAC/s per CPU second`;

function throughput(label: string, m: IntModel, g: Graph, x: Float64Array, batch: number, reps: number): number {
  const macs = macsPerSample(g) * batch;
  runInteger(m, x, batch, { keep: 'outputs' }); // warm-up and compile
  const [, s, c] = time(() => { for (let r = 0; r < reps; r++) runInteger(m, x, batch, { keep: 'outputs' }); });
  console.log(`${label}: ${macsPerSample(g)} MACs/sample; integer engine ${rateText(macs * reps, s, c)} (batch ${batch}, ${reps} runs)`);
  runReference(m, x, batch);
  const [, sr, cr] = time(() => runReference(m, x, batch));
  console.log(`${label}: float reference ${rateText(macs, sr, cr)}`);
  return (macs * reps) / c;
}

function gateVsFunctional(label: string, m: IntModel, x: Float64Array, batch: number): void {
  runInteger(m, x, batch, { mode: 'gate', keep: 'outputs' });
  const [, , f] = time(() => runInteger(m, x, batch, { keep: 'outputs' }));
  const [, , g] = time(() => runInteger(m, x, batch, { mode: 'gate', keep: 'outputs' }));
  console.log(`${label}: whole network, gate mode ${g.toFixed(3)} CPU s vs functional ${f.toFixed(3)} CPU s for ${batch} samples: ${(g / f).toFixed(2)}x`);
  const acts = m.layers.filter((l) => l.op === 'activation');
  const elems = acts.reduce((a, l) => a + l.shape.reduce((p, d) => p * d, 1), 0) * batch;
  const only = (mode: 'functional' | 'gate') => time(() => activationsOnly(m, x, batch, mode))[2];
  only('gate');
  only('functional');
  const af = only('functional'), ag = only('gate');
  console.log(`${label}: activation layers alone (${elems} elements): gate ${(ag / elems * 1e9).toFixed(1)} ns/element vs functional ${(af / elems * 1e9).toFixed(1)} ns/element: ${(ag / af).toFixed(1)}x`);
}

/** The activation layers of m as compiled kernels, each with its input codes from one functional run. */
const actKernels = new Map<string, { run: (x: Float64Array) => Float64Array; input: Float64Array }[]>();
function activationsOnly(m: IntModel, x: Float64Array, batch: number, mode: 'functional' | 'gate'): void {
  const key = `${m.name}/${mode}`;
  let ks = actKernels.get(key);
  if (!ks) {
    const t = runInteger(m, x, batch).tensors;
    ks = m.layers.flatMap((l) => {
      if (l.op !== 'activation') return [];
      const k = activationKernel(l, parseFormat((l.in as { format: string }).format), parseFormat((l.out as { format: string }).format), mode);
      const ev = { saturations: 0, wraps: 0 };
      return [{ run: (v: Float64Array) => k([v], batch, ev), input: Float64Array.from(t.get(l.inputs[0]!)!) }];
    });
    actKernels.set(key, ks);
  }
  for (const k of ks) k.run(k.input);
}

/** Batches of raw inputs through an onnxruntime session (1 thread); returns [wall, CPU] seconds per run and the first run's output. */
async function ortSeconds(bytes: Uint8Array, x: Float64Array, shape: number[], reps: number): Promise<[number, number, ArrayLike<number>]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x), shape) };
  const first = (await session.run(feeds))[session.outputNames[0]!]!.data as ArrayLike<number>;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let r = 0; r < reps * 10; r++) await session.run(feeds);
  const c = process.cpuUsage(c0);
  return [(performance.now() - t0) / 1000 / (reps * 10), (c.user + c.system) / 1e6 / (reps * 10), first];
}

/**
 * Peers on the same network: onnxruntime-node float32 on the float graph;
 * onnxruntime-node int8 (QOperator) and helu-sim's integer engine on the same
 * QOperator model (imported as an affine integer model, requant onnxruntime).
 */
async function peers(label: string, g: Graph, q: QLayerSpec[], x: Float64Array, batch: number, reps: number, pow2Rate: number): Promise<void> {
  const macs = macsPerSample(g) * batch;
  try {
    const shape = [batch, ...g.inputs[0]!.shape];
    const [f32w, f32] = await ortSeconds(exportOnnx(g), x, shape, reps);
    const qbytes = qoperatorModel([...g.inputs[0]!.shape], q);
    const [i8w, i8, ortCodes] = await ortSeconds(qbytes, x, shape, reps);
    const m = importQuantizedOnnx(qbytes, 'bench-qop.onnx');
    const mine = runInteger(m, x, batch, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
    let same = 0;
    for (let i = 0; i < mine.length; i++) if (mine[i] === ortCodes[i]) same++;
    const [, , c] = time(() => { for (let r = 0; r < reps; r++) runInteger(m, x, batch, { keep: 'outputs' }); });
    const affine = macs * reps / c;
    const pct = (r: number) => `${(100 * r / (macs / i8)).toFixed(2)} %`;
    console.log(`${label}: onnxruntime-node (1 thread) float32 ${(macs / f32 / 1e6).toFixed(0)} (wall ${(macs / f32w / 1e6).toFixed(0)}), ` +
      `int8 QOperator ${(macs / i8 / 1e6).toFixed(0)} (wall ${(macs / i8w / 1e6).toFixed(0)}) M MAC/s per CPU second`);
    console.log(`${label}: helu-sim on the same int8 model (affine engine, output codes equal to onnxruntime's: ${same} of ${mine.length}) ${(affine / 1e6).toFixed(0)} M MAC/s per CPU second = ${pct(affine)} of onnxruntime int8; pow2 engine = ${pct(pow2Rate)}`);
  } catch (e) {
    console.log(`${label}: onnxruntime-node peers not run (${(e as Error).message.split('\n')[0]})`);
  }
}

async function main(): Promise<void> {
  const ds = splitOf(loadDataset('digits'), 'all');
  const gm = mlp();
  const mm = quantizeModel(gm, { x: ds.x, count: ds.count });
  const xm = Float64Array.from(ds.x.subarray(0, 1024 * 64));
  const rm = throughput('MLP 64-256-256-10', mm, gm, xm, 1024, 5);
  await peers('MLP 64-256-256-10', gm, [{ kind: 'flatten' }, { kind: 'dense', out: 256 }, { kind: 'dense', out: 256 }, { kind: 'dense', out: 10 }], xm, 1024, 5, rm);
  gateVsFunctional('MLP', mm, xm, 1024);

  const gc = cnn();
  const calib = digits16(1797);
  const [mc, qs] = time(() => quantizeModel(gc, calib));
  console.log(`CNN: quantize (calibration on 1,797 samples) ${qs.toFixed(2)} s`);
  const xc = calib.x.subarray(0, 256 * 256);
  const rc = throughput('CNN 16x16', mc, gc, Float64Array.from(xc), 256, 3);
  const cq: QLayerSpec[] = [{ kind: 'conv', out: 8 }, { kind: 'conv', out: 16 }, { kind: 'pool' }, { kind: 'conv', out: 24 }, { kind: 'conv', out: 32 }, { kind: 'pool' }, { kind: 'flatten' }, { kind: 'dense', out: 10 }];
  await peers('CNN 16x16', gc, cq, Float64Array.from(xc), 256, 3, rc);
  gateVsFunctional('CNN', mc, Float64Array.from(xc), 256);

  const big = digits16(10000);
  const [r, vs, vc] = time(() => verifyModel(mc, big));
  console.log(`verify 10,000 samples through the ${(macsPerSample(gc) / 1e6).toFixed(2)} M-MAC CNN (engine + reference + comparisons): ${vs.toFixed(1)} s wall, ${vc.toFixed(1)} CPU s (target < 60 s); ${r.valuesCompared} values, ${r.mismatches} mismatches`);
  const part = { ...big, x: big.x.subarray(0, 2000 * 256), y: big.y.subarray(0, 2000), count: 2000 };
  const [r2, vs2, vc2] = time(() => verifyModel(mc, part, { float: gc, mode: 'both' }));
  console.log(`verify with SQNR (unquantized float run) and mode both, 2,000 samples: ${vs2.toFixed(1)} s wall, ${vc2.toFixed(1)} CPU s; ${r2.mismatches} mismatches, ${r2.modeMismatches} functional/gate differences`);
}

await main();
