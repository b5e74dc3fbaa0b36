/*
 * Fixed-point core throughput on one core:
 *  - quantize 10M float64 values into fixed<8,4,RND_CONV,SAT> (quantizeArray)
 *  - requantize 10M int32 accumulators with the gemmlowp scheme (requantizeArray)
 * Target: >= 100M values/s each. Each result is checked bit for bit against the
 * general path (bigint quantize; scalar requantize and a bigint evaluation of
 * the gemmlowp formulas) on a sample.
 */
import {
  parseFormat,
  quantize,
  quantizeArray,
  quantizeMultiplier,
  realMultiplier,
  requantize,
  requantizeArray,
  type RequantParams,
} from '../src/fixedpoint/index.js';
import { Rng } from '../src/random.js';

const N = 10_000_000;
const SAMPLE = 200_000;
const SEED = 20240611;
const TARGET = 100e6;

/** Uniform [0, 1) stream from the project's seeded generator. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Best of `reps` runs: wall seconds, and CPU seconds of this process (robust when other jobs share the cores). */
function best(run: () => void, reps: number): { wall: number; cpu: number } {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t0) / 1e9);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

function report(name: string, t: { wall: number; cpu: number }, mismatches: number): void {
  const rate = N / t.wall;
  const cpuRate = N / t.cpu;
  console.log(
    `${name}: ${(rate / 1e6).toFixed(1)} M values/s wall, ${(cpuRate / 1e6).toFixed(1)} M values/s CPU time ` +
      `(${(t.wall * 1e3).toFixed(1)} ms for ${N / 1e6}M; target 100M/s: ${(rate / TARGET).toFixed(2)}x wall, ${(cpuRate / TARGET).toFixed(2)}x CPU); ` +
      `mismatches vs the general path on ${SAMPLE} samples: ${mismatches}`,
  );
}

function benchQuantize(rand: () => number): number {
  const f = parseFormat('fixed<8,4,RND_CONV,SAT>');
  const src = new Float64Array(N);
  // normal(0, 3) with every 16th value on a half-LSB tie: ~0.8% saturate, ties exercised
  for (let i = 0; i < N; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * 3;
    src[i] = i % 16 === 0 ? (Math.floor(g * 16) + 0.5) / 16 : g;
  }
  const out = new Int32Array(N);
  quantizeArray(src.subarray(0, 100_000), f, out); // warm-up
  const s = best(() => quantizeArray(src, f, out), 5);
  let bad = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const i = Math.floor(rand() * N);
    if (BigInt(out[i]!) !== quantize(src[i]!, f).code) bad++;
  }
  report('quantize float64 -> fixed<8,4,RND_CONV,SAT>', s, bad);
  return bad;
}

/** The gemmlowp formulas of docs/requantization.md evaluated on bigint (no shared code with the fast loop). */
function gemmlowpBig(acc: number, m: number, shift: number, p: RequantParams): number {
  const left = BigInt(Math.max(shift, 0));
  const right = BigInt(Math.max(-shift, 0));
  const a = BigInt.asIntN(32, BigInt(acc) << left);
  const ab = a * BigInt(m);
  const high = (ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n))) / (1n << 31n);
  const mask = (1n << right) - 1n;
  const thr = (mask >> 1n) + (high < 0n ? 1n : 0n);
  const r = (high >> right) + ((high & mask) > thr ? 1n : 0n) + BigInt(p.zeroPointOut);
  return Number(r < BigInt(p.qmin) ? BigInt(p.qmin) : r > BigInt(p.qmax) ? BigInt(p.qmax) : r);
}

function benchRequantize(rand: () => number): number {
  const p: RequantParams = { scaleIn: 0.02, scaleW: 0.0037, scaleOut: 0.045, zeroPointOut: -3, qmin: -128, qmax: 127 };
  const acc = new Int32Array(N);
  for (let i = 0; i < N; i++) acc[i] = Math.floor((rand() - 0.5) * 2 ** (8 + Math.floor(rand() * 16)));
  const out = new Int32Array(N);
  requantizeArray(acc.subarray(0, 100_000), p, 'gemmlowp', out); // warm-up
  const s = best(() => requantizeArray(acc, p, 'gemmlowp', out), 5);
  const { multiplier, shift } = quantizeMultiplier(realMultiplier(p, 'gemmlowp'));
  let bad = 0;
  for (let k = 0; k < SAMPLE; k++) {
    const i = Math.floor(rand() * N);
    if (out[i] !== requantize(acc[i]!, p, 'gemmlowp') || out[i] !== gemmlowpBig(acc[i]!, multiplier, shift, p)) bad++;
  }
  report('requantize int32 -> int8, gemmlowp', s, bad);
  return bad;
}

console.log(`fixed-point core bench (seed ${SEED}, one core)`);
const rand = rng(SEED);
const bad = benchQuantize(rand) + benchRequantize(rand);
if (bad > 0) {
  console.log(`FAIL: ${bad} mismatches`);
  process.exitCode = 1;
}
