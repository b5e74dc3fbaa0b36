import { UserError } from '../../errors.js';
import type { Netlist } from '../ir.js';
import { VectorRng } from './random.js';
import { simulateVectors } from './simulate.js';
import { transpose32, transposeSource } from './transpose.js';
import { AUTO_COMPILE_WORDS, makeKernel, type SimEngine } from './engine.js';

/** Raw input pattern -> raw output pattern (unsigned, < 2^53). */
export type RawModel = (xRaw: number) => number;

export interface EquivalenceOptions {
  /** Inputs of at most this many bits are checked exhaustively (default 20, at most 32). */
  readonly exhaustiveMaxBits?: number;
  /** Random vectors beyond the edge cases when not exhaustive (default 65536). */
  readonly randomVectors?: number;
  /** Seed of the random vectors (default 1). */
  readonly seed?: number;
  /** Simulation engine (default 'auto'). */
  readonly engine?: SimEngine;
}

export interface EquivalenceResult {
  readonly method: 'exhaustive' | 'random';
  readonly vectors: number;
  readonly mismatches: number;
  readonly first?: { x: number; expected: number; actual: number };
  /** Seed used for random vectors (random method only). */
  readonly seed?: number;
}

function ports(net: Netlist): { wx: number; wy: number } {
  const x = net.inputs().find((p) => p.name === 'x');
  const y = net.outputs().find((p) => p.name === 'y');
  if (!x || !y) throw new UserError(`netlist '${net.name}' needs an input port 'x' and an output port 'y' for equivalence checking`);
  const others = net.inputs().filter((p) => p.name !== 'x' && p.name !== 'clk');
  if (others.length > 0)
    throw new UserError(
      `netlist '${net.name}' has extra input port '${others[0].name}'; equivalence checking takes one input 'x' (and 'clk')`,
    );
  if (x.bits.length > 53 || y.bits.length > 53) throw new UserError(`ports of netlist '${net.name}' are wider than 53 bits`);
  return { wx: x.bits.length, wy: y.bits.length };
}

/**
 * Checks the circuit (input 'x', output 'y', raw patterns) against a model:
 * every input pattern when x has at most exhaustiveMaxBits bits, otherwise
 * edge cases (0, 1, all ones, signed min/max and their neighbours, every power
 * of two and its negation +-1) plus seeded random patterns.
 */
export function checkAgainstModel(net: Netlist, model: RawModel, opts: EquivalenceOptions = {}): EquivalenceResult {
  const { wx } = ports(net);
  const maxBits = Math.min(opts.exhaustiveMaxBits ?? 20, 32);
  if (wx <= maxBits) return { method: 'exhaustive', ...checkExhaustive(net, model, { engine: opts.engine }) };
  const seed = opts.seed ?? 1;
  const xs = edgeAndRandomPatterns(wx, opts.randomVectors ?? 65536, seed);
  const sim = simulateVectors(net, { x: xs }, xs.length, { engine: opts.engine });
  const y = sim.outputs['y'];
  let mismatches = 0;
  let first: EquivalenceResult['first'];
  for (let k = 0; k < xs.length; k++) {
    const expected = model(xs[k]);
    if (expected !== y[k]) {
      if (mismatches++ === 0) first = { x: xs[k], expected, actual: y[k] };
    }
  }
  return { method: 'random', vectors: xs.length, mismatches, first, seed };
}

/** Edge-case raw patterns of a W-bit input followed by `random` seeded uniform patterns. */
export function edgeAndRandomPatterns(w: number, random: number, seed: number): Float64Array {
  const mod = 2 ** w;
  const edges = new Set<number>();
  const addRaw = (v: number): void => {
    edges.add(((v % mod) + mod) % mod);
  };
  for (const v of [0, 1, -1, 2 ** (w - 1), 2 ** (w - 1) - 1, 2 ** (w - 1) + 1, -2]) addRaw(v);
  for (let k = 0; k < w; k++) {
    for (const d of [-1, 0, 1]) {
      addRaw(2 ** k + d);
      addRaw(-(2 ** k) + d);
    }
  }
  const out = new Float64Array(edges.size + random);
  let i = 0;
  for (const e of edges) out[i++] = e;
  const rng = new VectorRng(seed);
  for (; i < out.length; i++) out[i] = rng.bits(w);
  return out;
}

const BLOCK_WORDS = 1024;
const NONE = new Int32Array(0);

/** Mutable state shared with the generated comparison code. */
interface CompareState {
  m: RawModel;
  first: number;
  actual: number;
}

/**
 * Exhaustive check of input vectors [32*fromWord, 32*toWord) (default: all
 * 2^Wx). One generated function does everything per word of 32 vectors:
 * input words come from the vector index (bits 0..4 constant patterns, higher
 * bits all-ones or all-zeros words), the circuit is evaluated bit-parallel,
 * its output words are transposed in registers into 32 values, and each is
 * compared with model(x). Short ranges (under AUTO_COMPILE_WORDS words) use
 * the interpreted kernel instead, which needs no compilation. The
 * worker-friendly batch form of checkAgainstModel.
 */
export function checkExhaustive(
  net: Netlist,
  model: RawModel,
  range: { fromWord?: number; toWord?: number; engine?: SimEngine } = {},
): { vectors: number; mismatches: number; first?: { x: number; expected: number; actual: number } } {
  const { wx, wy } = ports(net);
  if (wx > 36) throw new UserError(`exhaustive checking of a ${wx}-bit input is not supported (at most 36 bits)`);
  const total = 2 ** wx;
  const totalWords = Math.ceil(total / 32);
  const from = range.fromWord ?? 0,
    to = Math.min(range.toWord ?? totalWords, totalWords);
  const state: CompareState = { m: model, first: -1, actual: 0 };
  let mismatches = 0;
  const engine = range.engine ?? 'auto';
  if (engine === 'compiled' || (engine === 'auto' && to - from >= AUTO_COMPILE_WORDS)) {
    const lanes = Math.min(32, total);
    const kernel = makeKernel(
      net,
      {
        mode: 'transparent',
        inputs: [],
        outputs: net.port('y').bits,
        counterBits: net.port('x').bits,
        maxWords: BLOCK_WORDS,
        sink: (exprs) => compareSink(exprs, wy, lanes),
      },
      to - from,
      'compiled',
    );
    for (let w0 = from; w0 < to; w0 += BLOCK_WORDS) {
      mismatches += kernel.run(NONE, NONE, Math.min(BLOCK_WORDS, to - w0), w0, state);
    }
  } else {
    mismatches = interpretedCheck(net, wy, total, from, to, state);
  }
  const vectors = Math.max(0, Math.min(to * 32, total) - from * 32);
  if (state.first < 0) return { vectors, mismatches };
  return { vectors, mismatches, first: { x: state.first, expected: model(state.first), actual: state.actual } };
}

/**
 * Short runs: the interpreted kernel stores the output words, and each word is
 * transposed (transpose32 on a scratch array) and compared value by value.
 */
function interpretedCheck(net: Netlist, wy: number, total: number, from: number, to: number, state: CompareState): number {
  const kernel = makeKernel(
    net,
    {
      mode: 'transparent',
      inputs: [],
      outputs: net.port('y').bits,
      counterBits: net.port('x').bits,
      maxWords: BLOCK_WORDS,
    },
    to - from,
    'interpreted',
  );
  const out = new Int32Array(wy * BLOCK_WORDS);
  const scratch = new Int32Array(64);
  let bad = 0;
  for (let w0 = from; w0 < to; w0 += BLOCK_WORDS) {
    const n = Math.min(BLOCK_WORDS, to - w0);
    kernel.run(NONE, out, n, w0);
    for (let w = 0; w < n; w++) {
      for (let p = 0; p < 64; p++) scratch[p] = p < wy ? out[p * BLOCK_WORDS + w] : 0;
      transpose32(scratch, 0);
      if (wy > 32) transpose32(scratch, 32);
      const base = (w0 + w) * 32;
      for (let j = 0; j < 32 && base + j < total; j++) {
        const actual = (scratch[j] >>> 0) + (scratch[32 + j] >>> 0) * 4294967296;
        if (state.m(base + j) !== actual) {
          bad++;
          if (state.first < 0) {
            state.first = base + j;
            state.actual = actual;
          }
        }
      }
    }
  }
  return bad;
}

/** Generated per-word comparison: transpose the output words into values, compare `lanes` of them with the model. */
function compareSink(exprs: readonly string[], wy: number, lanes: number): string {
  const lo = Array.from({ length: 32 }, (_, j) => `a${j}`);
  const hi = Array.from({ length: 32 }, (_, j) => `h${j}`);
  const lines = [`let tq = 0; let ${lo.map((n, j) => `${n} = ${j < wy ? exprs[j] : 0}`).join(', ')};`, transposeSource(lo, 'tq')];
  if (wy > 32) {
    lines.push(`let ${hi.map((n, j) => `${n} = ${32 + j < wy ? exprs[32 + j] : 0}`).join(', ')};`, transposeSource(hi, 'tq'));
  }
  lines.push('const M = X.m; const base = (wb + w) * 32;');
  for (let j = 0; j < lanes; j++) {
    const v = wy > 32 ? `(a${j} >>> 0) + (h${j} >>> 0) * 4294967296` : `(a${j} >>> 0)`;
    lines.push(`if (M(base + ${j}) !== ${v}) { acc++; if (X.first < 0) { X.first = base + ${j}; X.actual = ${v}; } }`);
  }
  return lines.join('\n');
}
