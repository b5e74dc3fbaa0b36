/*
 * Activation benchmarks:
 * 1. exhaustive equivalence of the HeLU circuit against its functional model at
 *    16, 24 and 32 input bits (targets: < 0.1 s, < 5 s, < 60 s); the 32-bit run
 *    splits the 2^27 input words over worker threads, one per core;
 * 2. every activation's cost at fixed<8,4> (default output formats, nangate45).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { allActivations, describeActivation, getActivation, rawModel, renderActivationTable } from '../src/activations/index.js';
import type { FixedFormat } from '../src/fixedpoint/types.js';
import { checkExhaustive } from '../src/netlist/index.js';

interface Slice {
  width: number;
  fromWord: number;
  toWord: number;
}
interface SliceResult {
  vectors: number;
  mismatches: number;
}

function heluFormat(width: number): FixedFormat {
  return { signed: true, width, intBits: width / 2, rounding: 'TRN', overflow: 'WRAP' };
}

/** Exhaustive check of input words [fromWord, toWord) of the W-bit HeLU (fresh circuit and model). */
function checkSlice({ width, fromWord, toWord }: Slice): SliceResult {
  const f = heluFormat(width);
  const def = getActivation('helu');
  const r = checkExhaustive(def.circuit(f, f), rawModel(def, f, f), { fromWord, toWord });
  return { vectors: r.vectors, mismatches: r.mismatches };
}

async function parallelCheck(width: number, threads: number): Promise<SliceResult> {
  const words = 2 ** width / 32;
  const per = Math.ceil(words / threads);
  const jobs = Array.from(
    { length: threads },
    (_, i) =>
      new Promise<SliceResult>((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), {
          workerData: { width, fromWord: i * per, toWord: Math.min(words, (i + 1) * per) },
        });
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  const parts = await Promise.all(jobs);
  return parts.reduce((a, p) => ({ vectors: a.vectors + p.vectors, mismatches: a.mismatches + p.mismatches }), {
    vectors: 0,
    mismatches: 0,
  });
}

function line(width: number, seconds: number, r: SliceResult, target: string): void {
  const rate = r.vectors / seconds / 1e6;
  console.log(
    `helu ${String(width).padStart(2)}-bit exhaustive: ${r.vectors} vectors, ${r.mismatches} mismatches, ${seconds.toFixed(3)} s (${rate.toFixed(0)} M vectors/s; target ${target})`,
  );
}

async function main(): Promise<void> {
  const threads = Math.max(1, Math.min(availableParallelism(), 2));
  checkSlice({ width: 12, fromWord: 0, toWord: 128 }); // JIT warm-up; each timed width builds its own circuit and model
  for (const [width, target] of [
    [16, '< 0.1 s'],
    [24, '< 5 s'],
  ] as const) {
    const t0 = performance.now();
    const r = checkSlice({ width, fromWord: 0, toWord: 2 ** width / 32 });
    line(width, (performance.now() - t0) / 1000, r, target);
  }
  const t0 = performance.now();
  const r32 = await parallelCheck(32, threads);
  line(32, (performance.now() - t0) / 1000, r32, `< 60 s, ${threads} worker threads`);

  const inFmt: FixedFormat = { signed: true, width: 8, intBits: 4, rounding: 'TRN', overflow: 'WRAP' };
  const t1 = performance.now();
  const reports = allActivations().map((d) => describeActivation(d.spec, inFmt));
  console.log(
    `\nevery activation at fixed<8,4> (nangate45; ${((performance.now() - t1) / 1000).toFixed(2)} s to build, cost and verify all):`,
  );
  process.stdout.write(renderActivationTable(reports));
  const helu = reports[0],
    gelu = reports.find((x) => x.activation === 'gelu')!;
  console.log(
    `\nGELU / HeLU at fixed<8,4>: ${(gelu.gates / helu.gates).toFixed(1)}x gates, ${(gelu.areaUm2 / helu.areaUm2).toFixed(1)}x area, ${(gelu.delayPs / helu.delayPs).toFixed(1)}x delay`,
  );
}

if (isMainThread) await main();
else parentPort!.postMessage(checkSlice(workerData as Slice));
