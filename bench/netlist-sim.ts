// Bit-parallel simulator figures: exhaustive equivalence of the W-bit ReLU
// (sign-bit mux) circuit against its integer model at W = 16, 24 and 32
// (2^32 vectors on two worker threads), and simulation throughput in gate
// evaluations per second on an 8x8 array multiplier.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import {
  CircuitBuilder,
  Netlist,
  VectorRng,
  checkAgainstModel,
  checkExhaustive,
  compileKernel,
  interpretKernel,
  multiply,
  prune,
  simulateVectors,
} from '../src/netlist/index.js';

/** y[i] = x[i] & ~x[W-1]: W-1 $_ANDNOT_ cells. */
function reluCircuit(w: number): Netlist {
  const b = new CircuitBuilder(`relu${w}`);
  const x = b.input('x', w);
  b.output(
    'y',
    x.map((xi) => b.andnot(xi, x[w - 1])),
  );
  prune(b.net);
  return b.net;
}

/** The integer model on raw patterns: a pattern >= 2^(W-1) is negative and maps to 0. */
function reluModel(w: number): (x: number) => number {
  const half = 2 ** (w - 1);
  return (x) => (x >= half ? 0 : x);
}

interface Job {
  w: number;
  fromWord: number;
  toWord: number;
}

if (!isMainThread) {
  const job = workerData as Job;
  const r = checkExhaustive(reluCircuit(job.w), reluModel(job.w), { fromWord: job.fromWord, toWord: job.toWord });
  parentPort!.postMessage(r);
} else {
  await main();
}

function seconds(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Fastest of `runs` wall-clock timings (the machine is shared; the minimum is the least disturbed). */
function bestOf(runs: number, f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    f();
    best = Math.min(best, seconds(t0));
  }
  return best;
}

async function exhaustiveParallel(w: number, threads: number): Promise<{ vectors: number; mismatches: number }> {
  const words = 2 ** w / 32;
  const per = Math.ceil(words / threads);
  const parts = await Promise.all(
    Array.from(
      { length: threads },
      (_, k) =>
        new Promise<{ vectors: number; mismatches: number }>((res, rej) => {
          const job: Job = { w, fromWord: k * per, toWord: Math.min(words, (k + 1) * per) };
          const worker = new Worker(fileURLToPath(import.meta.url), { workerData: job });
          worker.once('message', res);
          worker.once('error', rej);
        }),
    ),
  );
  return parts.reduce((a, p) => ({ vectors: a.vectors + p.vectors, mismatches: a.mismatches + p.mismatches }), {
    vectors: 0,
    mismatches: 0,
  });
}

async function main(): Promise<void> {
  console.log('ReLU (sign-bit mux) circuit vs integer model, exhaustive:');
  for (const w of [16, 24]) {
    const net = reluCircuit(w);
    const r = checkAgainstModel(net, reluModel(w), { exhaustiveMaxBits: w });
    // whole check including compilation of the circuit; best of 5 runs
    const s = bestOf(5, () => checkAgainstModel(net, reluModel(w), { exhaustiveMaxBits: w }));
    const target = w === 16 ? 0.1 : 5;
    console.log(
      `  W=${w}: ${r.method}, ${r.vectors} vectors, ${r.mismatches} mismatches, ${s.toFixed(3)} s (target < ${target} s)${s < target ? '' : '  MISSED'}`,
    );
  }
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r32 = await exhaustiveParallel(32, 2);
  const s32 = seconds(t0);
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `  W=32: exhaustive on 2 worker threads, ${r32.vectors} vectors, ${r32.mismatches} mismatches, ${s32.toFixed(1)} s wall ` +
      `(goal < 60 s), ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${(((cpu.user + cpu.system) * 1e3) / r32.vectors).toFixed(2)} ns CPU per vector`,
  );
  throughput();
}

function throughput(): void {
  const b = new CircuitBuilder('mul8');
  b.output('p', multiply(b, b.input('x', 8), b.input('y', 8), false, false));
  prune(b.net);
  const net = b.net;
  const cells = net.cells.length;
  const words = 4096;
  const rng = new VectorRng(5);
  const inBits = [...net.port('x').bits, ...net.port('y').bits];
  const inputs = Int32Array.from({ length: inBits.length * words }, () => rng.next32() | 0);
  const outputs = new Int32Array(net.port('p').bits.length * words);
  for (const engine of ['compiled', 'interpreted'] as const) {
    const spec = { mode: 'transparent' as const, inputs: inBits, outputs: net.port('p').bits, maxWords: words };
    const k = engine === 'compiled' ? compileKernel(net, spec) : interpretKernel(net, spec);
    for (let i = 0; i < 50; i++) k.run(inputs, outputs, words, 0);
    const reps = 200;
    const s = bestOf(5, () => {
      for (let i = 0; i < reps; i++) k.run(inputs, outputs, words, 0);
    });
    const evals = cells * 32 * words * reps;
    console.log(
      `8x8 array multiplier (${cells} cells), ${engine} kernel: ${(evals / s / 1e9).toFixed(2)} G gate evaluations/s ` +
        `(${((32 * words * reps) / s / 1e6).toFixed(0)} M vectors/s, one core, steady state)`,
    );
  }
  const n = 1 << 21;
  const xs = new Float64Array(n).map(() => rng.bits(8)),
    ys = new Float64Array(n).map(() => rng.bits(8));
  const sim = simulateVectors(net, { x: xs, y: ys }, n);
  let bad = 0;
  for (let i = 0; i < n; i++) if (sim.outputs.p[i] !== xs[i] * ys[i]) bad++;
  const s1 = bestOf(5, () => simulateVectors(net, { x: xs, y: ys }, n));
  console.log(
    `  simulateVectors end to end (pack, simulate, unpack; engine auto): ${(sim.gateEvaluations / s1 / 1e9).toFixed(2)} G gate evaluations/s, ` +
      `${(n / s1 / 1e6).toFixed(1)} M vectors/s, ${bad} wrong products of ${n}`,
  );
  const s2 = bestOf(3, () => simulateVectors(net, { x: xs, y: ys }, n, { toggles: true }));
  console.log(`  with toggle counting on every net: ${(sim.gateEvaluations / s2 / 1e9).toFixed(2)} G gate evaluations/s`);
}
