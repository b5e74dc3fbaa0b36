import { wordExpr } from '../gates.js';
import { ONE, ZERO, type Bit, type Cell, type Netlist } from '../ir.js';
import { checkKernelInput, checkRun } from './kernel-check.js';
import { schedule } from './schedule.js';

/**
 * A compiled bit-parallel evaluator. Every net is a 32-bit word holding 32
 * vectors (vector j of a word in bit j); each cell becomes one line of
 * straight-line JavaScript (e.g. `const v9 = v4 & ~v7;`) inside a loop over
 * words, generated once with new Function so V8 compiles the whole circuit
 * to machine code with nets in registers or stack slots. Large circuits are
 * split into chunks (V8's optimising compile time grows fast with function
 * size); nets crossing chunks go through a word buffer.
 *
 * Word buffers are single Int32Arrays holding one row of `maxWords` words per
 * net (row k, word w at k * maxWords + w): a few large arrays instead of one
 * array per net keeps V8's generated code small.
 */
export interface KernelSpec {
  readonly mode: 'transparent' | 'state';
  /** Nets supplied by the caller: row k of run's `inputs` holds net inputs[k]. */
  readonly inputs: readonly Bit[];
  /** Nets whose words the kernel stores: row k of run's `outputs`. */
  readonly outputs: readonly Bit[];
  /**
   * Nets computed from the vector index: bit i of counterBits is bit i of the
   * index 32*(wordBase+w)+j. Any other net without a driver reads as 0.
   */
  readonly counterBits?: readonly Bit[];
  /** Row length of the word buffers: the largest n that run() is called with. */
  readonly maxWords: number;
  /**
   * Optional code consuming the outputs inside the word loop instead of
   * storing them: given the expressions of `outputs`, returns statements that
   * may read `w` (word in block), `wb` (wordBase), `X` (run's extra argument)
   * and add to the number `acc`, which run() returns.
   */
  readonly sink?: (outputExprs: readonly string[]) => string;
  /** Cells per generated function (default 300): V8's optimising compile time grows fast with function size. */
  readonly chunkCells?: number;
}

export interface Kernel {
  /**
   * Evaluates words 0..n-1. wordBase numbers the first word for counter
   * inputs (wordBase + n <= 2^31). Returns the sink's accumulator (0 without a sink).
   */
  run(inputs: Int32Array, outputs: Int32Array, n: number, wordBase: number, extra?: unknown): number;
  /** Combinational cells evaluated per word. */
  readonly cellsPerWord: number;
}

/** Bits 0..4 of the vector index within a word, as constant words. */
export const LOW_PATTERNS = [0xaaaaaaaa | 0, 0xcccccccc | 0, 0xf0f0f0f0 | 0, 0xff00ff00 | 0, 0xffff0000 | 0];

type ChunkFn = (I: Int32Array, O: Int32Array, T: Int32Array, n: number, wb: number, X: unknown) => number;

/**
 * Compiles `net` for `spec`. Checks at entry (kernel-check.ts): every cell a
 * gate of the table with its pin count and nets inside the netlist; every
 * run, the word count and the buffer lengths. Errors name what is wrong.
 */
export function compileKernel(net: Netlist, spec: KernelSpec): Kernel {
  checkKernelInput(net, spec);
  const sched = schedule(net, spec.mode);
  const resolve = (b: Bit): Bit => sched.alias.get(b) ?? b;
  const order = sched.order;
  const CHUNK_CELLS = spec.chunkCells ?? 300;
  const chunkOf = new Map<Bit, number>();
  order.forEach((c, i) => chunkOf.set(c.output, Math.floor(i / CHUNK_CELLS)));
  const nChunks = Math.max(1, Math.ceil(order.length / CHUNK_CELLS));
  const inputSlot = new Map<Bit, number>();
  spec.inputs.forEach((b, i) => inputSlot.set(b, i));
  const counterIdx = new Map<Bit, number>();
  (spec.counterBits ?? []).forEach((b, i) => counterIdx.set(b, i));
  const tempSlot = crossingNets(order, spec.outputs, resolve, chunkOf, CHUNK_CELLS, nChunks);
  const fns: ChunkFn[] = [];
  for (let k = 0; k < nChunks; k++) {
    const cells = order.slice(k * CHUNK_CELLS, (k + 1) * CHUNK_CELLS);
    const last = k === nChunks - 1;
    const src = chunkSource(cells, last ? spec.outputs : [], last ? spec.sink : undefined, {
      resolve,
      chunk: k,
      chunkOf,
      inputSlot,
      counterIdx,
      tempSlot,
      stride: spec.maxWords,
    });
    fns.push(new Function(src)() as ChunkFn);
  }
  const temps = new Int32Array(tempSlot.size * spec.maxWords);
  return {
    cellsPerWord: order.length,
    run(inputs, outputs, n, wordBase, extra) {
      checkRun(spec, inputs, outputs, n, wordBase);
      let acc = 0;
      for (const f of fns) acc = f(inputs, outputs, temps, n, wordBase, extra);
      return acc;
    },
  };
}

/** Nets produced in one chunk and read in a later one (or output after it): each gets a buffer row. */
function crossingNets(
  order: readonly Cell[],
  outputs: readonly Bit[],
  resolve: (b: Bit) => Bit,
  chunkOf: ReadonlyMap<Bit, number>,
  chunkCells: number,
  nChunks: number,
): Map<Bit, number> {
  const tempSlot = new Map<Bit, number>();
  const needTemp = (b: Bit, reader: number): void => {
    const p = chunkOf.get(b);
    if (p !== undefined && p < reader && !tempSlot.has(b)) tempSlot.set(b, tempSlot.size);
  };
  order.forEach((c, i) => c.inputs.forEach((b) => needTemp(resolve(b), Math.floor(i / chunkCells))));
  outputs.forEach((b) => needTemp(resolve(b), nChunks - 1));
  return tempSlot;
}

interface ChunkCtx {
  resolve(b: Bit): Bit;
  chunk: number;
  chunkOf: ReadonlyMap<Bit, number>;
  inputSlot: ReadonlyMap<Bit, number>;
  counterIdx: ReadonlyMap<Bit, number>;
  tempSlot: ReadonlyMap<Bit, number>;
  stride: number;
}

/** Source of one chunk: loads of external nets, one line per cell, stores of outputs and crossing nets. */
function chunkSource(cells: readonly Cell[], outputs: readonly Bit[], sink: KernelSpec['sink'], ctx: ChunkCtx): string {
  const loads: string[] = [];
  const body: string[] = [];
  const stores: string[] = [];
  const loaded = new Set<Bit>();
  let usesCounter = false;
  const ref = (raw: Bit): string => {
    const b = ctx.resolve(raw);
    if (b === ZERO) return '0';
    if (b === ONE) return '-1';
    if (ctx.chunkOf.get(b) === ctx.chunk) return `v${b}`;
    if (!loaded.has(b)) {
      loaded.add(b);
      loads.push(
        `const v${b} = ${externalRead(b, ctx, () => {
          usesCounter = true;
        })};`,
      );
    }
    return `v${b}`;
  };
  for (const c of cells) body.push(`const v${c.output} = ${wordExpr(c.type, c.inputs.map(ref))};`);
  for (const c of cells) {
    const t = ctx.tempSlot.get(c.output);
    if (t !== undefined) stores.push(`T[w + ${t * ctx.stride}] = v${c.output};`);
  }
  if (sink) {
    stores.push(sink(outputs.map(ref)));
  } else {
    outputs.forEach((b, i) => stores.push(`O[w + ${i * ctx.stride}] = ${ref(b)};`));
  }
  return (
    `"use strict"; return function kernelChunk(I, O, T, n, wb, X) {\nlet acc = 0;\n` +
    `for (let w = 0; w < n; w++) {\n${usesCounter ? 'const cnt = wb + w;\n' : ''}${loads.join('\n')}\n${body.join('\n')}\n${stores.join('\n')}\n}\nreturn acc;\n};`
  );
}

function externalRead(b: Bit, ctx: ChunkCtx, counterUsed: () => void): string {
  const ci = ctx.counterIdx.get(b);
  if (ci !== undefined) {
    if (ci < 5) return String(LOW_PATTERNS[ci]);
    counterUsed();
    return `-((cnt >>> ${ci - 5}) & 1)`;
  }
  const ii = ctx.inputSlot.get(b);
  if (ii !== undefined) return `I[w + ${ii * ctx.stride}]`;
  const t = ctx.tempSlot.get(b);
  if (t !== undefined) return `T[w + ${t * ctx.stride}]`;
  // No driver (an input port the caller does not supply, such as an unused clock): reads as 0.
  return '0';
}
