/*
 * Integer simulator benchmarks (pow2 scheme), on networks with seeded random
 * float weights exported to 8-bit fixed point and calibrated on the digits
 * images (the CNN's inputs are digits upsampled 2x to 16x16, nearest
 * neighbour; 10,000 samples are the 1,797 digits repeated with random 0..16
 * noise in a few pixels):
 * 1. integer engine throughput (functional activations, 1 thread) in GMAC per
 *    CPU second (the machine is shared) on the issue's shapes (an MLP of
 *    512-wide layers at batch 256, a CNN with a 3x3 conv 32 -> 64 on 112 x 112,
 *    random 0..16 inputs) and on the digits MLP and CNN, interleaved with
 *    its peers on the same network: the bare WebAssembly kernels on the same
 *    layer shapes, onnxruntime-node int8 on a QOperator version of the
 *    network (which helu-sim's engine also runs, imported, affine scheme),
 *    the float reference against onnxruntime-node float32;
 * 2. gate mode (activation circuits simulated) against functional mode;
 * 3. verify (engine + reference + every comparison) of 10,000 samples through
 *    a CNN of about 1 million MACs on 1 and on 2 worker threads (wall time);
 * 4. a ResNet-18-like conv stack at 224 x 224, seconds per image.
 */
import { performance } from 'node:perf_hooks';
import { loadDataset, splitOf } from '../src/models/datasets/index.js';
import type { Graph } from '../src/models/graph.js';
import { macsPerSample } from '../src/models/infer.js';
import { exportOnnx } from '../src/models/onnx/export.js';
import { cnn, cnn112, digits16, mlp, mlp512, rand, randomCodes } from './nets/networks.js';
import { interleaved, ortRunner, ROUNDS } from './nets/timing.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import { compile } from '../src/sim/engine/run.js';
import { compileReference } from '../src/sim/reference/run.js';
import { reduceVerify, verifiedTensors } from '../src/sim/verify/verify.js';
import { verifySlice } from '../src/sim/parallel/run.js';
import { convI16, gemmI16, packWeightsI16, prepareConvI16 } from '../src/sim/engine/wasm/index.js';
import type { IntLayer, IntModel } from '../src/sim/quantize/model.js';

import onnxProto from 'onnx-proto';
import { importQuantizedOnnx } from '../src/sim/importers/quantized-onnx/import.js';

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
  const rand = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
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
      const ys = Math.fround((scale * ws * 64 * Math.sqrt(k)) / 24);
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
    name,
    type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const graph = {
    name: 'bench-qop',
    node: w.nodes,
    initializer: w.inits,
    input: [vi('input', DT.float, ['N', ...inShape])],
    output: [vi(x, DT.uint8, ['N', ...shape])],
  };
  const model = {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    producerName: 'helu-sim bench',
    graph,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

/** Runs f; returns its result, wall seconds and CPU seconds of this process (user + system). */
function time<T>(f: () => T): [T, number, number] {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

/**
 * The bare WebAssembly int16 GEMM on every dense/conv layer's product shape,
 * operands already in place (no im2col, no output stage, no copies beyond
 * the call's own): dense rows x K x N; conv per image Cout x K times K x
 * pixels, as the convolution kernel multiplies them. The ceiling the engine
 * is measured against.
 */
function bareGemms(m: IntModel, batch: number): () => void {
  const calls = m.layers.flatMap((l): (() => void)[] => {
    if (l.op !== 'dense' && l.op !== 'conv') return [];
    const w = l.weights,
      N = w.shape[0]!,
      K = w.codes.length / N;
    const codes = () => Math.floor(rand() * 255) - 127;
    if (l.op === 'dense') {
      const rows = batch * l.shape.slice(0, -1).reduce((p, d) => p * d, 1);
      const packed = packWeightsI16(w.codes, K, N, { layout: 'nk' });
      const a = Int16Array.from({ length: rows * K }, codes),
        out = new Int32Array(rows * N);
      return [() => gemmI16(a, rows, K, packed, out)];
    }
    const P = l.shape[1]! * l.shape[2]!;
    const cols = packWeightsI16(Int16Array.from({ length: K * P }, codes), K, P);
    const a = Int16Array.from(w.codes),
      out = new Int32Array(N * P);
    return [
      () => {
        for (let b = 0; b < batch; b++) gemmI16(a, N, K, cols, out);
      },
    ];
  });
  return () => {
    for (const f of calls) f();
  };
}

/** The bare WebAssembly kernels on every dense/conv layer's shape (int16 operands): gemmI16 and convI16 (im2col at the image's edges included). */
function bareKernels(m: IntModel, batch: number): () => void {
  const calls = m.layers.flatMap((l): (() => void)[] => {
    if (l.op !== 'dense' && l.op !== 'conv') return [];
    const w = l.weights,
      N = w.shape[0]!,
      K = w.codes.length / N;
    if (l.op === 'dense') {
      const rows = batch * l.shape.slice(0, -1).reduce((p, d) => p * d, 1);
      const packed = packWeightsI16(w.codes, K, N, { layout: 'nk' });
      const a = Int16Array.from({ length: rows * K }, () => Math.floor(rand() * 255) - 127),
        out = new Int32Array(rows * N);
      return [() => gemmI16(a, rows, K, packed, out)];
    }
    const cw = prepareConvI16(w.codes, w.shape as [number, number, number, number], l.group);
    const inShape = m.layers.find((p) => p.output === l.inputs[0])?.shape ?? m.input.shape;
    const x = Int16Array.from({ length: batch * inShape.reduce((p, d) => p * d, 1) }, () => Math.floor(rand() * 255) - 127);
    const out = new Int32Array(batch * l.shape.reduce((p, d) => p * d, 1));
    return [() => convI16(x, [batch, ...inShape], cw, { strides: l.strides, pads: l.pads, dilations: l.dilations }, out)];
  });
  return () => {
    for (const f of calls) f();
  };
}

/**
 * One network, every runner interleaved: helu-sim's integer engine (pow2,
 * kernels chosen per layer; and with the JavaScript GEMM only), the bare
 * WebAssembly kernels on the same layer shapes, onnxruntime-node int8
 * (QOperator QLinearMatMul/QLinearConv) and helu-sim on that same int8 model
 * (affine, imported), the float reference and onnxruntime-node float32.
 */
async function network(label: string, m: IntModel, g: Graph, q: QLayerSpec[], x: Float64Array, batch: number): Promise<void> {
  const macs = macsPerSample(g) * batch;
  const eng = compile(m),
    js = compile(m, { kernels: 'js' }),
    ref = compileReference(m);
  console.log(
    `${label}: ${macsPerSample(g)} MACs/sample, batch ${batch}; kernels per layer: ${[...eng.linearPaths].map(([n, p]) => `${n} ${p}`).join(', ')}; ${eng.residentPipeline ? 'resident WebAssembly pipeline' : 'layer by layer'}`,
  );
  const runners: [string, () => unknown][] = [
    ['helu-sim engine (pow2)', () => eng.run(x, batch, { keep: 'outputs' })],
    ['helu-sim engine, JavaScript GEMM', () => js.run(x, batch, { keep: 'outputs' })],
    ['bare WebAssembly GEMM, same shapes', bareGemms(m, batch)],
    ['bare WebAssembly gemmI16/convI16 calls', bareKernels(m, batch)],
    ['helu-sim float reference', () => ref.run(x, batch)],
  ];
  const shape = [batch, ...g.inputs[0]!.shape];
  let same = '';
  try {
    const [f32] = await ortRunner(exportOnnx(g), x, shape);
    const qbytes = qoperatorModel([...g.inputs[0]!.shape], q);
    const [i8, ortCodes] = await ortRunner(qbytes, x, shape);
    const qm = compile(importQuantizedOnnx(qbytes, 'bench-qop.onnx'));
    const mine = qm.run(x, batch, { keep: 'outputs' }).tensors.get(qm.model.outputs[0]!)!;
    let eq = 0;
    for (let i = 0; i < mine.length; i++) if (mine[i] === ortCodes[i]) eq++;
    same = ` (affine engine output codes equal to onnxruntime's: ${eq} of ${mine.length})`;
    runners.push(
      ['onnxruntime-node int8 QOperator', i8],
      ['helu-sim engine on that int8 model (affine)', () => qm.run(x, batch, { keep: 'outputs' })],
      ['onnxruntime-node float32', f32],
    );
  } catch (e) {
    console.log(`${label}: onnxruntime-node peers not run (${(e as Error).message.split('\n')[0]})`);
  }
  const t = await interleaved(runners);
  const rate = (n: string) => macs / t.get(n)! / 1e9;
  for (const [n] of runners) console.log(`  ${n.padEnd(44)} ${rate(n).toFixed(2).padStart(7)} GMAC/s per CPU second`);
  const e = rate('helu-sim engine (pow2)');
  const ratio = (a: number, n: string) => (t.has(n) ? (a / rate(n)).toFixed(2) : 'n/a');
  console.log(
    `  ratios: engine / bare GEMM ${ratio(e, 'bare WebAssembly GEMM, same shapes')} (target >= 0.7), engine / onnxruntime int8 ${ratio(e, 'onnxruntime-node int8 QOperator')} (target >= 0.4), ` +
      `affine engine / onnxruntime int8 ${t.has('onnxruntime-node int8 QOperator') ? ratio(rate('helu-sim engine on that int8 model (affine)'), 'onnxruntime-node int8 QOperator') : 'n/a'}, ` +
      `float reference / onnxruntime float32 ${ratio(rate('helu-sim float reference'), 'onnxruntime-node float32')} (target >= 0.25)${same}`,
  );
}

async function gateVsFunctional(label: string, m: IntModel, x: Float64Array, batch: number): Promise<void> {
  const fn = compile(m),
    gate = compile(m, { mode: 'gate' });
  const t = await interleaved([
    ['functional', () => fn.run(x, batch, { keep: 'outputs' })],
    ['gate', () => gate.run(x, batch, { keep: 'outputs' })],
  ]);
  console.log(
    `${label}: whole network, gate mode ${t.get('gate')!.toFixed(3)} CPU s vs functional ${t.get('functional')!.toFixed(3)} CPU s for ${batch} samples: ${(t.get('gate')! / t.get('functional')!).toFixed(2)}x (target <= 1.2)`,
  );
}

/** Wall seconds of verify over every sample of `data` on `threads` threads (worker pool). */
async function verifyWall(
  m: IntModel,
  data: { x: Float64Array; y: Int32Array; count: number },
  threads: number,
): Promise<[number, number, number]> {
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const batches = await verifySlice(m, data, { batch: 256 }, { from: 0, to: data.count }, threads);
  const r = reduceVerify(verifiedTensors(m), { count: data.count, labelled: true }, batches);
  const c = process.cpuUsage(c0); // the process's CPU time includes its worker threads'
  return [(performance.now() - t0) / 1000, (c.user + c.system) / 1e6, r.mismatches];
}

/**
 * A ResNet-18-like conv stack at 224 x 224 as a pow2 integer model (8-bit
 * codes, random weights in [-64, 63], accumulators exact at 32 bits):
 * conv 7x7/2 64, maxpool 3x3/2, then 4 stages of 4 convs 3x3 (64, 128, 256,
 * 512 channels, the first conv of stages 2-4 with stride 2), global average
 * pool, dense 1000. No residual adds or activations: the convolutions are
 * the cost.
 */
function resnetLike(): IntModel {
  const layers: IntLayer[] = [];
  let cur = 'x',
    shape = [3, 224, 224];
  const fx = 'fixed<8,4,RND_CONV,SAT>';
  const codes = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 128) - 64);
  const conv = (m: number, k: number, s: number, p: number) => {
    const [c, h, w] = shape as [number, number, number];
    const oh = Math.floor((h + 2 * p - k) / s) + 1,
      ow = Math.floor((w + 2 * p - k) / s) + 1;
    const name = `conv${layers.length}`;
    layers.push({
      op: 'conv',
      name,
      inputs: [cur],
      output: name,
      shape: [m, oh, ow],
      out: { kind: 'pow2', format: fx },
      weights: { shape: [m, c, k, k], codes: codes(m * c * k * k), quant: { kind: 'pow2', format: 'fixed<8,0,RND_CONV,SAT>' } },
      acc: { kind: 'pow2', formats: ['fixed<32,20,RND_CONV,SAT>'], bound: 0 },
      kernel: [k, k],
      strides: [s, s],
      pads: [p, p, p, p],
      dilations: [1, 1],
      group: 1,
    } as IntLayer);
    cur = name;
    shape = [m, oh, ow];
  };
  conv(64, 7, 2, 3);
  layers.push({
    op: 'maxpool',
    name: 'pool',
    inputs: [cur],
    output: 'pool',
    shape: [64, 56, 56],
    out: { kind: 'pow2', format: fx },
    kernel: [3, 3],
    strides: [2, 2],
    pads: [1, 1, 1, 1],
    dilations: [1, 1],
    ceilMode: false,
    countIncludePad: false,
  } as IntLayer);
  cur = 'pool';
  shape = [64, 56, 56];
  for (const [m, first] of [
    [64, 1],
    [128, 2],
    [256, 2],
    [512, 2],
  ] as const)
    for (let i = 0; i < 4; i++) conv(m, 3, i === 0 ? first : 1, 1);
  return {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: 'resnet18-like',
    scheme: 'pow2',
    input: { name: 'x', shape: [3, 224, 224], quant: { kind: 'pow2', format: fx } },
    layers,
    outputs: [cur],
    metadata: {},
  };
}

function resnet(): void {
  const m = resnetLike();
  const macs = m.layers.reduce(
    (a, l) => a + (l.op === 'conv' ? (l.shape.reduce((p, d) => p * d, 1) * l.weights.codes.length) / l.weights.shape[0]! : 0),
    0,
  );
  const eng = compile(m);
  const x = Float64Array.from({ length: 3 * 224 * 224 }, () => rand() * 8 - 4);
  eng.run(x, 1, { keep: 'outputs' });
  const [, wall, c] = time(() => eng.run(x, 1, { keep: 'outputs' }));
  console.log(
    `ResNet-18-like conv stack, 224x224 (${(macs / 1e9).toFixed(2)} GMAC/image, kernels ${[...new Set(eng.linearPaths.values())].join('/')}, ${eng.residentPipeline ? 'resident pipeline' : 'layer by layer'}): ${c.toFixed(3)} CPU s per image (${wall.toFixed(3)} s wall), ${(macs / c / 1e9).toFixed(1)} GMAC/s per CPU second (target <= 0.15 s per image per thread)`,
  );
}

/** The issue's shapes: an MLP of 512-wide layers at batch 256, a CNN whose main layer is a 3x3 conv 32 -> 64 on 112 x 112. */
async function issueShapes(): Promise<void> {
  const gm = mlp512();
  const calm = randomCodes(256, 512);
  await network(
    'MLP 512-512-512-10',
    quantizeModel(gm, calm),
    gm,
    [
      { kind: 'dense', out: 512 },
      { kind: 'dense', out: 512 },
      { kind: 'dense', out: 10 },
    ],
    calm.x,
    256,
  );
  const gc = cnn112();
  const calc = randomCodes(2, 3 * 112 * 112);
  const cq: QLayerSpec[] = [
    { kind: 'conv', out: 32 },
    { kind: 'conv', out: 64 },
    { kind: 'pool' },
    { kind: 'pool' },
    { kind: 'flatten' },
    { kind: 'dense', out: 10 },
  ];
  await network('CNN 3x112x112 (conv 32 -> 64 on 112x112)', quantizeModel(gc, calc), gc, cq, calc.x, 2);
}

async function main(): Promise<void> {
  console.log(`medians of ${ROUNDS} interleaved rounds (ROUNDS=n to change), CPU time of this process; 1 thread unless stated`);
  // NETS=issue: only the networks of the issue's shapes; NETS=small: only the digits networks (and what PARTS selects)
  if (process.env.NETS !== 'small') await issueShapes();
  if (process.env.NETS === 'issue') return;
  const ds = splitOf(loadDataset('digits'), 'all');
  const gm = mlp();
  const mm = quantizeModel(gm, { x: ds.x, count: ds.count });
  const xm = Float64Array.from(ds.x.subarray(0, 1024 * 64));
  await network(
    'MLP 64-256-256-10',
    mm,
    gm,
    [{ kind: 'flatten' }, { kind: 'dense', out: 256 }, { kind: 'dense', out: 256 }, { kind: 'dense', out: 10 }],
    xm,
    1024,
  );
  await gateVsFunctional('MLP', mm, xm, 1024);

  const gc = cnn();
  const calib = digits16(1797);
  const mc = quantizeModel(gc, calib);
  const xc = Float64Array.from(calib.x.subarray(0, 256 * 256));
  const cq: QLayerSpec[] = [
    { kind: 'conv', out: 8 },
    { kind: 'conv', out: 16 },
    { kind: 'pool' },
    { kind: 'conv', out: 24 },
    { kind: 'conv', out: 32 },
    { kind: 'pool' },
    { kind: 'flatten' },
    { kind: 'dense', out: 10 },
  ];
  await network('CNN 16x16', mc, gc, cq, xc, 256);
  await gateVsFunctional('CNN', mc, xc, 256);

  // PARTS=engine: the engine figures only (MLP, CNN, gate mode, ResNet-18), without the verify runs
  if (process.env.PARTS === 'engine') return resnet();
  const big = digits16(10000);
  const [w1, c1, mm1] = await verifyWall(mc, big, 1);
  const [w2, c2, mm2] = await verifyWall(mc, big, 2);
  console.log(
    `verify 10,000 samples through the ${(macsPerSample(gc) / 1e6).toFixed(2)} M-MAC CNN: 1 thread ${w1.toFixed(2)} s wall (${c1.toFixed(2)} CPU s), ` +
      `2 threads ${w2.toFixed(2)} s wall (${c2.toFixed(2)} CPU s) (target <= 2 s on 2 cores); 2 threads / 1 thread wall speed-up ${(w1 / w2).toFixed(2)}x (target >= 1.8); mismatches ${mm1}, ${mm2}`,
  );
  resnet();
}

await main();
