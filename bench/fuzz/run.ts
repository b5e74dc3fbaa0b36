// The long fuzz run: `npm run fuzz [-- --inputs N --seed S --jobs J --no-cli]`,
// or `npm run fuzz -- --replay TARGET:INDEX [--seed S]` to rerun one input.
// Input i of target t is generated from seed (S, t, i) alone, so any reported
// failure replays by its target and index. Workers are child processes with
// a heap cap and the tensor ceiling at 64 MB: an out-of-memory crash or a
// hang is caught and reported as the input that caused it.
import fc from 'fast-check';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outcomeOf } from './outcome.js';
import { scratch, TARGETS } from './targets.js';
import { cliCases, contractViolation, runCli, writeCliFiles } from './cli-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const HANG_MS = 60_000;
const CHUNK = 500;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : def;
}

/** The seed of input `index` of target number `t`: a 32-bit mix of the three. */
export function inputSeed(seed: number, t: number, index: number): number {
  let h = (seed ^ Math.imul(t + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

function inputOf(seed: number, t: number, index: number): unknown {
  return fc.sample(TARGETS[t]!.input, { seed: inputSeed(seed, t, index), numRuns: 1 })[0];
}

interface Chunk {
  t: number;
  from: number;
  to: number;
}
type Msg = { at: number } | { done: true; ok: number; refused: number; failures: { index: number; reason: string }[] };

/** Worker side: runs chunks sent by the parent, reporting each input's start (for crash attribution). */
function worker(seed: number): void {
  const root = mkdtempSync(join(tmpdir(), 'helu-fuzz-'));
  process.on('message', (c: Chunk) => {
    const dir = scratch(root, TARGETS[c.t]!.name);
    let ok = 0,
      refused = 0;
    const failures: { index: number; reason: string }[] = [];
    for (let i = c.from; i < c.to; i++) {
      process.send!({ at: i });
      const o = outcomeOf(() => TARGETS[c.t]!.run(inputOf(seed, c.t, i) as never, dir));
      if (o.kind === 'ok') ok++;
      else if (o.kind === 'user-error') refused++;
      else failures.push({ index: i, reason: o.reason });
    }
    process.send!({ done: true, ok, refused, failures } satisfies Msg);
  });
  process.on('disconnect', () => {
    rmSync(root, { recursive: true, force: true });
    process.exit(0);
  });
}

interface Tally {
  inputs: number;
  ok: number;
  refused: number;
  failures: string[];
}

interface Worker {
  child: ChildProcess;
  at: number;
  onDone?: (m: Extract<Msg, { done: true }>) => void;
  onExit?: (how: string) => void;
}

function startWorker(seed: number): Worker {
  const child = fork(join(here, 'run.js'), ['--worker', '--seed', String(seed)], {
    execArgv: ['--max-old-space-size=768'],
    env: { ...process.env, HELU_SIM_MAX_TENSOR_MB: '64' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const w: Worker = { child, at: -1 };
  child.on('message', (m: Msg) => ('at' in m ? (w.at = m.at) : w.onDone?.(m)));
  child.on('exit', (code, signal) =>
    w.onExit?.(signal === 'SIGKILL' ? `hung over ${HANG_MS / 1000} s` : `crashed (exit ${code ?? signal}: out of memory?)`),
  );
  return w;
}

/** One chunk on a worker: resolves with its result, or with the failure of the input the worker died on. */
function runChunk(w: Worker, c: Chunk): Promise<Extract<Msg, { done: true }> | { died: string; at: number }> {
  return new Promise((resolve) => {
    let last = -1;
    const watchdog = setInterval(() => {
      if (w.at === last) w.child.kill('SIGKILL');
      last = w.at;
    }, HANG_MS);
    w.at = c.from - 1;
    w.onDone = (m) => {
      clearInterval(watchdog);
      resolve(m);
    };
    w.onExit = (how) => {
      clearInterval(watchdog);
      resolve({ died: how, at: w.at });
    };
    w.child.send(c);
  });
}

/** Runs every chunk on `jobs` long-lived workers; a worker that dies or hangs costs its current input, and a new one resumes after it. */
async function runLoaders(seed: number, perTarget: number, jobs: number): Promise<Tally[]> {
  const tallies: Tally[] = TARGETS.map(() => ({ inputs: 0, ok: 0, refused: 0, failures: [] }));
  const queue: Chunk[] = [];
  for (let f = 0; f < perTarget; f += CHUNK)
    for (let t = 0; t < TARGETS.length; t++) queue.push({ t, from: f, to: Math.min(f + CHUNK, perTarget) });
  const lane = async (): Promise<void> => {
    let w = startWorker(seed);
    while (queue.length > 0) {
      const c = queue.shift()!;
      const r = await runChunk(w, c);
      const tl = tallies[c.t]!;
      if ('died' in r) {
        tl.inputs += r.at - c.from + 1;
        tl.failures.push(`${TARGETS[c.t]!.name}:${r.at} worker ${r.died}`);
        if (r.at + 1 < c.to) queue.unshift({ t: c.t, from: r.at + 1, to: c.to });
        w = startWorker(seed);
        continue;
      }
      tl.inputs += c.to - c.from;
      tl.ok += r.ok;
      tl.refused += r.refused;
      tl.failures.push(...r.failures.map((f) => `${TARGETS[c.t]!.name}:${f.index} ${f.reason}`));
    }
    w.onExit = undefined;
    w.child.disconnect();
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  return tallies;
}

async function runCliContract(jobs: number): Promise<Tally> {
  const dir = mkdtempSync(join(tmpdir(), 'helu-cli-'));
  writeCliFiles(dir);
  const cases = cliCases();
  const main = join(here, '..', '..', 'src', 'cli', 'main.js');
  const tally: Tally = { inputs: 0, ok: 0, refused: 0, failures: [] };
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      while (next < cases.length) {
        const k = cases[next++]!;
        const r = await runCli(main, dir, k.args);
        tally.inputs++;
        const v = contractViolation(k, r, dir);
        if (v) {
          tally.failures.push(`cli ${JSON.stringify(k.args)}: ${v}`);
          console.log(`FAIL cli ${JSON.stringify(k.args)}: ${v}`);
        } else if (k.expect === 0) tally.ok++;
        else tally.refused++;
      }
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  return tally;
}

async function main(): Promise<void> {
  const seed = Number(arg('seed', '1'));
  if (process.argv.includes('--worker')) return worker(seed);
  const replay = arg('replay', '');
  if (replay) {
    const [name, index] = replay.split(':');
    const t = TARGETS.findIndex((x) => x.name === name);
    if (t < 0) throw new Error(`no target '${name}'; targets: ${TARGETS.map((x) => x.name).join(', ')}`);
    const input = inputOf(seed, t, Number(index));
    console.log(`input: ${fc.stringify(input).slice(0, 2000)}`);
    const root = mkdtempSync(join(tmpdir(), 'helu-fuzz-'));
    console.log(outcomeOf(() => TARGETS[t]!.run(input as never, scratch(root, name!))));
    return;
  }
  const total = Number(arg('inputs', '100000'));
  const jobs = Number(arg('jobs', '2'));
  const perTarget = Math.ceil(total / TARGETS.length);
  const t0 = Date.now();
  const rows = await runLoaders(seed, perTarget, jobs);
  const names = TARGETS.map((t) => t.name);
  if (!process.argv.includes('--no-cli')) {
    rows.push(await runCliContract(jobs));
    names.push('command lines');
  }
  console.log(`fuzz seed ${seed}, ${jobs} workers, ${((Date.now() - t0) / 1000).toFixed(0)} s wall`);
  console.log('| target | inputs | accepted | refused (one-line UserError) | failures |\n| --- | ---: | ---: | ---: | ---: |');
  rows.forEach((r, i) => console.log(`| ${names[i]} | ${r.inputs} | ${r.ok} | ${r.refused} | ${r.failures.length} |`));
  const sum = (k: 'inputs' | 'ok' | 'refused') => rows.reduce((a, r) => a + r[k], 0);
  const failures = rows.flatMap((r) => r.failures);
  console.log(`| total | ${sum('inputs')} | ${sum('ok')} | ${sum('refused')} | ${failures.length} |`);
  for (const f of failures.slice(0, 50)) console.log(`FAIL ${f}  (replay: npm run fuzz -- --replay ${f.split(' ')[0]} --seed ${seed})`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
