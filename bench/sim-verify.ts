/*
 * Float reference and verify benchmarks (pow2 scheme) on the bench MLP and
 * CNN (bench/nets/networks.ts: seeded random weights, 8-bit fixed point,
 * calibrated on the digits images):
 * 1. the float reference against onnxruntime-node float32 on the same
 *    network (the ONNX export of the float graph), 1 thread, medians of
 *    interleaved rounds in CPU seconds, and the reference's bare matmul
 *    kernels (float32 on layers exact in float32) on the same products (its
 *    ceiling); the reference runs as verify runs it (every tensor of every
 *    layer, chunk by chunk, in its own memory; run() also copies every
 *    tensor out into new arrays);
 * 2. verify (engine + reference + every comparison) of 10,000 samples through
 *    the CNN of about 1 million MACs: on one thread in this process, with the
 *    CPU seconds of each part (integer engine, float reference, comparison),
 *    then interleaved rounds of 1 and 2 threads (VERIFY_ROUNDS, default 3;
 *    medians of wall and CPU seconds of the whole process; the pool's
 *    overhead is the CPU time beyond the one-thread run's; on a machine
 *    shared with other work the wall time says little, so the speed-up two
 *    free cores give is also stated from CPU time: 2 x CPU(1) / CPU(2)),
 *    and the pool's start-up (a worker spawned, verify's code loaded, the
 *    model compiled there).
 */
import { performance } from 'node:perf_hooks';
import { macsPerSample } from '../src/models/infer.js';
import { exportOnnx } from '../src/models/onnx/export.js';
import { loadDataset, splitOf } from '../src/models/datasets/index.js';
import type { Graph } from '../src/models/graph.js';
import { quantizeModel } from '../src/sim/quantize/quantize.js';
import type { IntModel } from '../src/sim/quantize/model.js';
import { compileReference } from '../src/sim/reference/run.js';
import { CompiledReference } from '../src/sim/reference/driver.js';
import { pow2Reference } from '../src/sim/reference/pow2/scheme.js';
import { f64At, referenceKernels, scratch } from '../src/sim/reference/wasm/module.js';
import { exactInF32 } from '../src/sim/reference/pow2/exact-f32.js';
import { linearReal } from '../src/sim/reference/pow2/linear.js';
import { realFormat } from '../src/sim/reference/pow2/real.js';
import { reduceVerify, verifiedTensors, verifyModel, type VerifyTimings } from '../src/sim/verify/verify.js';
import { verifySlice } from '../src/sim/parallel/run.js';
import { runOnPool } from '../src/sim/parallel/pool.js';
import { cnn, digits16, mlp } from './nets/networks.js';
import { interleaved, median, ortRunner, ROUNDS } from './nets/timing.js';

/**
 * The reference's bare matmul kernel of each dense/conv layer's route
 * (float32 where the layer's sums are exact in float32, else float64) on its
 * product (conv: per sample, filters x taps times taps x positions), operands
 * already in the kernel memory: no gather, quantization, activation or copy,
 * the ceiling of the reference's speed on this network.
 */
function bareMatmuls(m: IntModel, batch: number): () => void {
  const formats = new Map([[m.input.name, m.input.quant], ...m.layers.map((l) => [l.output, l.out] as const)]);
  const shapes = m.layers.flatMap((l): [number, number, number, number, boolean][] => {
    if (l.op !== 'dense' && l.op !== 'conv') return [];
    const M = l.weights.shape[0]!,
      K = l.weights.codes.length / M;
    const inF = realFormat((formats.get(l.inputs[0]!) as { format: string }).format);
    const f32 = exactInF32(linearReal(l, inF), inF);
    return l.op === 'dense' ? [[1, batch, K, M, f32]] : [[batch, M, K, l.shape[1]! * l.shape[2]!, f32]];
  });
  const most = Math.max(...shapes.map(([, r, k, n]) => r * k + k * n + r * n));
  const at = scratch(most * 8),
    k = referenceKernels();
  f64At(at, most).fill(0.5);
  return () => {
    for (const [times, rows, depth, cols, f32] of shapes) {
      const w = f32 ? 4 : 8,
        b = at + rows * depth * w,
        c = b + depth * cols * w;
      const mm = f32 ? k.matmul_f32 : k.matmul_f64;
      for (let i = 0; i < times; i++) mm(at, depth, b, cols, c, cols, rows, depth, cols);
    }
  };
}

async function referenceVsOrt(label: string, m: IntModel, g: Graph, x: Float64Array, batch: number): Promise<void> {
  const ref = compileReference(m);
  // The same reference layer by layer in JavaScript arrays (each layer's kernel copying its operands in and out of the kernel memory).
  const layered = new CompiledReference(m, { ...pow2Reference(m), resident: undefined });
  const [f32] = await ortRunner(exportOnnx(g), x, [batch, ...g.inputs[0]!.shape]);
  // The layer-by-layer route leaves much garbage, whose collection (on V8's helper threads too) would be
  // charged to whichever runner follows it: it is timed in a round of its own.
  const t = await interleaved([
    // verify's route: every tensor of every layer computed chunk by chunk in the reference's memory (none copied out)
    ['reference', () => ref.eachChunk(x, batch, ref.cacheChunk, () => undefined)],
    ['bare', bareMatmuls(m, batch)],
    ['ort', f32],
  ]);
  for (const [n, v] of await interleaved([['layered', () => layered.eachChunk(x, batch, layered.cacheChunk, () => undefined)]]))
    t.set(n, v);
  const macs = macsPerSample(g) * batch;
  const rate = (n: string) => macs / t.get(n)! / 1e9;
  console.log(
    `${label} (${macsPerSample(g)} MACs/sample, batch ${batch}): float reference ${rate('reference').toFixed(2)} GMAC/s per CPU second, ` +
      `onnxruntime-node float32 ${rate('ort').toFixed(2)}: ratio ${(rate('reference') / rate('ort')).toFixed(3)} (target >= 0.25); ` +
      `the reference's bare matmul kernels (float32 where exact) on the same products ${rate('bare').toFixed(2)} GMAC/s, ratio ${(rate('bare') / rate('ort')).toFixed(3)} (the ceiling); ` +
      `layer by layer in JavaScript arrays ${rate('layered').toFixed(2)} GMAC/s (resident ${(rate('reference') / rate('layered')).toFixed(2)}x faster)`,
  );
}

type Data = { x: Float64Array; y: Int32Array; count: number };

/** Wall seconds, CPU seconds (this process: every thread) and mismatches of verify on `threads` threads (a VerifyRun: pool start-up included). */
async function verifyOnThreads(m: IntModel, data: Data, threads: number): Promise<[number, number, number]> {
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const batches = await verifySlice(m, data, { batch: 256 }, { from: 0, to: data.count }, threads);
  const r = reduceVerify(verifiedTensors(m), { count: data.count, labelled: true }, batches);
  const c = process.cpuUsage(c0);
  return [(performance.now() - t0) / 1000, (c.user + c.system) / 1e6, r.mismatches];
}

/** Wall seconds for a pool of one worker to start, load verify's code and compile the model (a verify task of no samples). */
async function poolStartup(m: IntModel): Promise<number> {
  const t0 = performance.now();
  await runOnPool([{ kind: 'verify', model: m, x: new Float64Array(0), offset: 0, count: 0, opts: { batch: 256 } }], 1);
  return (performance.now() - t0) / 1000;
}

/**
 * verify on one thread (in-process, with its parts' CPU seconds), then
 * VERIFY_ROUNDS interleaved rounds of 1 and 2 threads (medians of wall and
 * CPU seconds).
 */
async function verifyFigures(m: IntModel, g: Graph, data: Data): Promise<void> {
  const timings: VerifyTimings = { engine: 0, reference: 0, compare: 0 };
  const c0 = process.cpuUsage();
  const one = verifyModel(m, data, { batch: 256, timings });
  const c = process.cpuUsage(c0),
    cpu = (c.user + c.system) / 1e6;
  console.log(
    `verify ${data.count} samples through the ${(macsPerSample(g) / 1e6).toFixed(2)} M-MAC CNN, one thread in-process: ${cpu.toFixed(2)} CPU s ` +
      `(engine ${timings.engine.toFixed(2)}, reference ${timings.reference.toFixed(2)}, compare ${timings.compare.toFixed(2)}, rest ${(cpu - timings.engine - timings.reference - timings.compare).toFixed(2)}); ` +
      `${one.valuesCompared} values compared, ${one.mismatches} mismatches`,
  );
  const rounds = Number(process.env.VERIFY_ROUNDS ?? 3);
  const runs: Record<1 | 2, [number, number, number][]> = { 1: [], 2: [] };
  for (let r = 0; r < rounds; r++) for (const t of [1, 2] as const) runs[t].push(await verifyOnThreads(m, data, t));
  const [w1, c1, w2, c2] = [runs[1].map((x) => x[0]), runs[1].map((x) => x[1]), runs[2].map((x) => x[0]), runs[2].map((x) => x[1])].map(
    median,
  ) as [number, number, number, number];
  const mm = [...runs[1], ...runs[2]].reduce((a, x) => a + x[2], 0);
  console.log(
    `  medians of ${rounds} interleaved rounds: 1 thread ${w1.toFixed(2)} s wall, ${c1.toFixed(2)} CPU s; 2 threads (this thread + 1 pool worker) ${w2.toFixed(2)} s wall (target <= 2 s on 2 cores), ${c2.toFixed(2)} CPU s; ` +
      `wall speed-up ${(w1 / w2).toFixed(2)}x (target >= 1.8); CPU-bound speed-up 2 x ${c1.toFixed(2)} / ${c2.toFixed(2)} = ${((2 * c1) / c2).toFixed(2)}x ` +
      `(what two free cores give; the pool's overhead is the extra CPU time, ${(c2 - c1).toFixed(2)} s); ` +
      `2-thread wall time on two free cores, from CPU time: ${(c2 / 2).toFixed(2)} s; mismatches over all runs ${mm}`,
  );
  const up = await poolStartup(m);
  console.log(
    `  pool start-up (spawn a worker, load verify's code, compile the model there): ${up.toFixed(2)} s wall; it overlaps this thread's own compile and first batches`,
  );
}

async function main(): Promise<void> {
  console.log(`medians of ${ROUNDS} interleaved rounds (ROUNDS=n to change), CPU time of this process; 1 thread unless stated`);
  const ds = splitOf(loadDataset('digits'), 'all');
  const gm = mlp();
  const mm = quantizeModel(gm, { x: ds.x, count: ds.count });
  await referenceVsOrt('MLP 64-256-256-10', mm, gm, Float64Array.from(ds.x.subarray(0, 1024 * 64)), 1024);
  const gc = cnn();
  const calib = digits16(1797);
  const mc = quantizeModel(gc, calib);
  await referenceVsOrt('CNN 16x16', mc, gc, Float64Array.from(calib.x.subarray(0, 256 * 256)), 256);
  await verifyFigures(mc, gc, digits16(Number(process.env.VERIFY_SAMPLES ?? 10000)));
}

await main();
