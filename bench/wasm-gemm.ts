/*
 * Bare WebAssembly SIMD GEMM throughput (GMAC/s per CPU second, 1 thread) on
 * an MLP layer (256 x 512 x 512) and a convolution as GEMM (12544 x 288 x 64:
 * 32 -> 64 channels, 3x3, 112 x 112), next to onnxruntime-node MatMulInteger
 * (uint8 x int8 and uint8 x uint8, intra-op threads 1; MatMul float32 and
 * float64 next to the float64 kernel) and a blocked scalar JavaScript GEMM,
 * all measured in this run, interleaved, median of rounds; and the runtime's
 * ceiling for these instructions (dot_limit_i16: the kernel's eight
 * dot_i16x8_s + add per step on registers, no memory traffic), so the
 * distance to onnxruntime that no blocking can close is a measured number.
 * The int16 kernel's outputs are also checked equal to onnxruntime's exact
 * u8 x u8 path, and the u8 x s8 outputs that differ (its int16 pair
 * saturation without VNNI) are counted.
 */
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { alloc, i16View } from '../src/sim/engine/wasm/heap.js';
import { kernels } from '../src/sim/engine/wasm/module.js';
import { residentAt } from '../src/sim/engine/wasm/packed.js';
import { rowBlock } from '../src/sim/engine/wasm/gemm-i16.js';
import {
  convF64,
  convI16,
  convOutputShape,
  gemmF64,
  gemmI16,
  gemmWide,
  packWeightsF64,
  packWeightsI16,
  packWeightsI32,
  prepareConvF64,
  prepareConvI16,
} from '../src/sim/engine/wasm/index.js';

const onnx = onnxProto.onnx;
const ROUNDS = Number(process.env.ROUNDS ?? 5);

let seed = 20261203;
const byte = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;

/** ONNX element types used here. */
const DT = { float: 1, uint8: 2, int8: 3, int32: 6, double: 11 } as const;
type Dt = keyof typeof DT;

/** `op`(A [M,K] of aType, B [K,N] constant of bType) -> Y of yType (MatMulInteger or MatMul), as ONNX bytes. */
function matMulModel(op: string, M: number, K: number, N: number, b: ArrayBufferView, aType: Dt, bType: Dt, yType: Dt): Uint8Array {
  const t = (name: string, type: number, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const graph = {
    name: 'g',
    node: [{ opType: op, input: ['A', 'B'], output: ['Y'] }],
    initializer: [{ name: 'B', dims: [K, N], dataType: DT[bType], rawData: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) }],
    input: [t('A', DT[aType], [M, K])],
    output: [t('Y', DT[yType], [M, N])],
  };
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'helu-sim bench', graph };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}

/** Blocked scalar JavaScript GEMM (4 x 4 register tile), A M x K and B K x N row-major int16; M, N multiples of 4. */
function jsGemm(a: Int16Array, b: Int16Array, M: number, K: number, N: number, c: Int32Array): void {
  for (let i = 0; i < M; i += 4) {
    for (let j = 0; j < N; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0; k < K; k++) {
        const a0 = a[i * K + k]!,
          a1 = a[(i + 1) * K + k]!,
          a2 = a[(i + 2) * K + k]!,
          a3 = a[(i + 3) * K + k]!;
        const o = k * N + j,
          b0 = b[o]!,
          b1 = b[o + 1]!,
          b2 = b[o + 2]!,
          b3 = b[o + 3]!;
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const r = [
        [c00, c01, c02, c03],
        [c10, c11, c12, c13],
        [c20, c21, c22, c23],
        [c30, c31, c32, c33],
      ];
      for (let u = 0; u < 4; u++) for (let v = 0; v < 4; v++) c[(i + u) * N + j + v] = r[u]![v]! | 0;
    }
  }
}

/** CPU seconds (user + system, this process) of one call. */
async function cpu(f: () => unknown): Promise<number> {
  const c0 = process.cpuUsage();
  await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;

async function shape(label: string, M: number, K: number, N: number, conv?: [number, number, number]): Promise<void> {
  const macs = M * K * N;
  const a8 = Uint8Array.from({ length: M * K }, byte),
    bu8 = Uint8Array.from({ length: K * N }, byte);
  const bs8 = Int8Array.from(bu8, (v) => v - 128);
  const a16 = Int16Array.from(a8),
    bu16 = Int16Array.from(bu8),
    bs16 = Int16Array.from(bs8);
  const pu = packWeightsI16(bu16, K, N),
    ps = packWeightsI16(bs16, K, N);
  // Bare kernel: operands resident in kernel memory, no copies.
  const k = kernels(),
    blk = alloc(M * K * 2 + M * N * 4);
  i16View(blk.at, M * K).set(a16);
  const bare = () => k.gemm_i16(blk.at, K, M, K, residentAt(ps.data), N, blk.at + M * K * 2, N, rowBlock(2 * K), 0, 0, 0);
  const out = new Int32Array(M * N);
  const sess = async (op: string, a: Uint8Array | Float32Array | Float64Array, b: ArrayBufferView, types: [Dt, Dt, Dt]) => {
    const s = await ort.InferenceSession.create(matMulModel(op, M, K, N, b, ...types), { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = { A: new ort.Tensor(types[0] === 'uint8' ? 'uint8' : types[0] === 'float' ? 'float32' : 'float64', a, [M, K]) };
    return { run: async () => (await s.run(feeds)).Y!.data as Int32Array };
  };
  const su8 = await sess('MatMulInteger', a8, bu8, ['uint8', 'uint8', 'int32']);
  const ss8 = await sess('MatMulInteger', a8, bs8, ['uint8', 'int8', 'int32']);
  const exactU = new Int32Array(M * N),
    exactS = new Int32Array(M * N);
  gemmI16(a16, M, K, pu, exactU);
  gemmI16(a16, M, K, ps, exactS);
  const ortU = await su8.run(),
    ortS = await ss8.run();
  const diffU = exactU.reduce((n, v, i) => n + (v !== ortU[i] ? 1 : 0), 0),
    diffS = exactS.reduce((n, v, i) => n + (v !== ortS[i] ? 1 : 0), 0);
  console.log(
    `${label} (${M} x ${K} x ${N}): int16 kernel vs onnxruntime u8u8: ${diffU} of ${M * N} outputs differ; vs u8s8: ${diffS} differ (its pair saturation)`,
  );

  // the same number of multiply-accumulates as dot_i16x8_s + add steps on registers, no memory traffic
  const limit = () => k.dot_limit_i16(Math.round(macs / 64), 3);
  const runs: [string, () => unknown][] = [
    ['runtime limit: dot_i16x8_s + add, no memory', limit],
    ['wasm i16 bare kernel', bare],
    ['wasm i16 gemmI16 (copies in/out)', () => gemmI16(a16, M, K, ps, out)],
    ['onnxruntime u8s8', ss8.run],
    ['onnxruntime u8u8', su8.run],
  ];
  if (conv) {
    const [c, hw, co] = conv;
    const w = prepareConvI16(
      Int16Array.from({ length: co * c * 9 }, () => byte() - 128),
      [co, c, 3, 3],
    );
    const x = Int16Array.from({ length: c * hw * hw }, byte),
      y = new Int32Array(co * hw * hw);
    const wf = prepareConvF64(w.data, [co, c, 3, 3]),
      xf = Float64Array.from(x),
      yf = new Float64Array(y.length);
    // The convolution's own orientation: weights (Cout x K) times packed im2col columns (K x pixels).
    const t = alloc(co * K * 2 + M * co * 4),
      cols = packWeightsI16(a16, K, M, { layout: 'nk' });
    i16View(t.at, co * K).set(bs16.subarray(0, co * K));
    runs.push(
      [
        'wasm i16 bare kernel, 64 x 288 x 12544',
        () => k.gemm_i16(t.at, K, co, K, residentAt(cols.data), M, t.at + co * K * 2, M, rowBlock(2 * K), 0, 0, 0),
      ],
      ['wasm convI16 (im2col + GEMM)', () => convI16(x, [1, c, hw, hw], w, { pads: [1, 1, 1, 1] }, y)],
      ['wasm convF64 (im2col + GEMM)', () => convF64(xf, [1, c, hw, hw], wf, { pads: [1, 1, 1, 1] }, yf)],
    );
  } else {
    const pw = packWeightsI32(bs16, K, N),
      pf = packWeightsF64(Float64Array.from(bs16), K, N),
      a64 = Float64Array.from(a16);
    const o64 = new Float64Array(M * N);
    const f32 = await sess('MatMul', Float32Array.from(a16), Float32Array.from(bs16), ['float', 'float', 'float']);
    const f64 = await sess('MatMul', a64, Float64Array.from(bs16), ['double', 'double', 'double']);
    runs.push(
      ['wasm gemmWide (int64 acc.)', () => gemmWide(a16, M, K, pw, o64)],
      ['wasm gemmF64', () => gemmF64(a64, M, K, pf, o64)],
      ['onnxruntime MatMul float32', f32.run],
      ['onnxruntime MatMul float64', f64.run],
    );
  }
  const times = new Map<string, number[]>(runs.map(([n]) => [n, []]));
  for (const [, f] of runs) await f();
  for (let r = 0; r < ROUNDS; r++) for (const [n, f] of runs) times.get(n)!.push(await cpu(f));
  const jsOut = new Int32Array(M * N);
  const js = await cpu(() => jsGemm(a16, bs16, M, K, N, jsOut));
  const rate = new Map<string, number>([...times].map(([n, t]) => [n, macs / median(t) / 1e9]));
  rate.set('blocked scalar JS (1 run)', macs / js / 1e9);
  for (const [n, g] of rate) console.log(`  ${n.padEnd(36)} ${g.toFixed(2).padStart(7)} GMAC/s per CPU second`);
  const w = rate.get('wasm i16 bare kernel')!;
  const lim = rate.get('runtime limit: dot_i16x8_s + add, no memory')!;
  console.log(
    `  runtime limit: ${lim.toFixed(2)} GMAC/s = ${(lim / rate.get('onnxruntime u8s8')!).toFixed(2)} x onnxruntime u8s8; bare kernel / limit ${(w / lim).toFixed(2)}`,
  );
  console.log(
    `  ratios: wasm i16 / onnxruntime u8s8 ${(w / rate.get('onnxruntime u8s8')!).toFixed(2)}, / u8u8 ${(w / rate.get('onnxruntime u8u8')!).toFixed(2)}, / scalar JS ${(w / rate.get('blocked scalar JS (1 run)')!).toFixed(1)}`,
  );
  const f = rate.get('wasm gemmF64');
  if (f)
    console.log(
      `  ratios: wasm gemmF64 / onnxruntime float32 ${(f / rate.get('onnxruntime MatMul float32')!).toFixed(2)}, / float64 ${(f / rate.get('onnxruntime MatMul float64')!).toFixed(2)}`,
    );
  console.log(`  scalar JS equals the kernel: ${jsOut.every((v, i) => v === exactS[i])}`);
}

/**
 * ResNet-18's convolutions and classifier at 224 x 224 (1.81 G MAC), one image
 * through convI16 / gemmI16 with random int8 codes: the kernels' share of an
 * integer-engine run (no requantization, pooling or additions).
 */
function resnet18(): void {
  type L = [cin: number, cout: number, k: number, stride: number, hw: number, times: number];
  const layers: L[] = [
    [3, 64, 7, 2, 224, 1],
    [64, 64, 3, 1, 56, 4],
  ];
  for (const [c, hw] of [
    [128, 28],
    [256, 14],
    [512, 7],
  ] as const) {
    layers.push([c / 2, c, 3, 2, hw * 2, 1], [c / 2, c, 1, 2, hw * 2, 1], [c, c, 3, 1, hw, 3]);
  }
  const runs = layers.map(([cin, cout, k, st, hw, times]) => {
    const w = prepareConvI16(
      Int16Array.from({ length: cout * cin * k * k }, () => byte() - 128),
      [cout, cin, k, k],
    );
    const x = Int16Array.from({ length: cin * hw * hw }, byte),
      g = { strides: [st, st], pads: [k >> 1, k >> 1, k >> 1, k >> 1] } as const;
    const o = convOutputShape([1, cin, hw, hw], w, g),
      y = new Int32Array(o[1] * o[2] * o[3]);
    return {
      macs: times * cout * cin * k * k * o[2] * o[3],
      run: () => {
        for (let t = 0; t < times; t++) convI16(x, [1, cin, hw, hw], w, g, y);
      },
    };
  });
  const fc = packWeightsI16(
      Int16Array.from({ length: 512 * 1000 }, () => byte() - 128),
      512,
      1000,
    ),
    fx = Int16Array.from({ length: 512 }, byte);
  runs.push({ macs: 512000, run: () => gemmI16(fx, 1, 512, fc, new Int32Array(1000)) });
  const macs = runs.reduce((a, r) => a + r.macs, 0);
  const secs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    for (const l of runs) l.run();
    const c = process.cpuUsage(c0);
    secs.push((c.user + c.system) / 1e6);
  }
  const t = median(secs);
  console.log(
    `ResNet-18 at 224 x 224 (${(macs / 1e9).toFixed(2)} G MAC), convolutions and classifier through convI16/gemmI16: ${t.toFixed(3)} CPU s per image (${(macs / t / 1e9).toFixed(1)} GMAC/s)`,
  );
}

console.log(`median CPU time of ${ROUNDS} interleaved rounds (ROUNDS=n to change); 1 thread everywhere`);
await shape('MLP layer', 256, 512, 512);
await shape('conv as GEMM', 12544, 288, 64, [32, 112, 64]);
resnet18();
