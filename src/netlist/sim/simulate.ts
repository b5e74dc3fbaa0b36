import { UserError } from '../../errors.js';
import type { Bit, Netlist } from '../ir.js';
import { AUTO_COMPILE_WORDS, makeKernel, type SimEngine } from './engine.js';
import type { Kernel } from './kernel.js';
import { schedule } from './schedule.js';
import { packerFor, unpackerFor } from './pack.js';
import { popcount32 } from './transpose.js';

/** Words per block: 8192 vectors; buffers stay in cache. */
const BLOCK_WORDS = 256;

export interface SimulateOptions {
  /** Count output transitions of every net between consecutive vectors. */
  readonly toggles?: boolean;
  /** Evaluation engine (default 'auto': compiled for long runs, interpreted for short ones). */
  readonly engine?: SimEngine;
}

export interface SimulateResult {
  /** Raw unsigned value of each output port per vector. */
  readonly outputs: Record<string, Float64Array>;
  /** Transitions per net number between consecutive vectors (vector k-1 -> k, k = 1..count-1). */
  readonly toggles?: Float64Array;
  /** Combinational cell evaluations performed, one per cell per vector (bit-parallel words count 32 each). */
  readonly gateEvaluations: number;
}

interface Ports {
  inputs: { name: string; bits: readonly Bit[] }[];
  outputs: { name: string; width: number; bits: readonly Bit[] }[];
  /** Toggle mode: the net of each stored word buffer after the output ports. */
  watched: Bit[];
  alias: ReadonlyMap<Bit, Bit>;
}

function ports(net: Netlist, toggles: boolean): Ports {
  const ins = net.inputs();
  const sched = schedule(net, 'transparent');
  const watched: Bit[] = [];
  if (toggles) {
    for (const p of ins) watched.push(...p.bits);
    for (const c of sched.order) watched.push(c.output);
  }
  return {
    watched,
    alias: sched.alias,
    inputs: ins.map((p) => ({ name: p.name, bits: p.bits })),
    outputs: net.outputs().map((p) => ({ name: p.name, width: p.bits.length, bits: p.bits })),
  };
}

/**
 * A circuit prepared for repeated simulation: the schedule and the kernels
 * (made on first use, interpreted or compiled as SimulateOptions.engine
 * chooses per run) belong to this object, built from the netlist as it is
 * when constructed. A netlist edited afterwards needs a new simulator.
 */
export class CircuitSimulator {
  private readonly p: Ports;
  private readonly kernels = new Map<boolean, Kernel>();

  constructor(
    private readonly net: Netlist,
    private readonly opts: SimulateOptions = {},
  ) {
    this.p = ports(net, opts.toggles === true);
    for (const q of this.p.inputs) {
      if (q.bits.length > 53) throw new UserError(`input port '${q.name}' has ${q.bits.length} bits; simulateVectors takes at most 53`);
    }
  }

  private kernel(totalWords: number): Kernel {
    const engine = this.opts.engine ?? 'auto';
    const compiled = engine === 'compiled' || (engine === 'auto' && totalWords >= AUTO_COMPILE_WORDS);
    let k = this.kernels.get(compiled);
    if (!k) {
      k = makeKernel(
        this.net,
        {
          mode: 'transparent',
          inputs: this.p.inputs.flatMap((q) => q.bits),
          outputs: [...this.p.outputs.flatMap((q) => q.bits), ...this.p.watched],
          maxWords: BLOCK_WORDS,
          // every net is stored anyway when toggles are counted: small functions compile fast
          chunkCells: this.p.watched.length > 0 ? 200 : undefined,
        },
        totalWords,
        compiled ? 'compiled' : 'interpreted',
      );
      this.kernels.set(compiled, k);
    }
    return k;
  }

  /** simulateVectors on this circuit. */
  run(inputs: Record<string, ArrayLike<number>>, count: number): SimulateResult {
    const c = this.p;
    for (const p of c.inputs) {
      const v = inputs[p.name];
      if (v === undefined && p.name !== 'clk')
        throw new UserError(`no values for input port '${p.name}'; expected one array per input port`);
      if (v !== undefined && v.length < count) throw new UserError(`input port '${p.name}' has ${v.length} values, expected ${count}`);
    }
    const totalWords = Math.ceil(count / 32);
    const kernel = this.kernel(totalWords);
    const nInBits = c.inputs.reduce((s, p) => s + p.bits.length, 0);
    const inBuf = new Int32Array(nInBits * BLOCK_WORDS);
    const nOutBits = c.outputs.reduce((s, p) => s + p.width, 0);
    const outBuf = new Int32Array((nOutBits + c.watched.length) * BLOCK_WORDS);
    const outputs: Record<string, Float64Array> = {};
    for (const p of c.outputs) outputs[p.name] = new Float64Array(count);
    const counts = new Float64Array(c.watched.length);
    const prevTop = new Int32Array(c.watched.length);
    const scratch = new Int32Array(64);
    const inPlanes = portRows(
      inBuf,
      c.inputs.map((p) => p.bits.length),
    );
    const outPlanes = portRows(
      outBuf,
      c.outputs.map((p) => p.width),
    );
    for (let w0 = 0; w0 < totalWords; w0 += BLOCK_WORDS) {
      const n = Math.min(BLOCK_WORDS, totalWords - w0);
      c.inputs.forEach((p, k) => {
        const values = inputs[p.name];
        if (values !== undefined) packerFor(p.bits.length)(values, count, inPlanes[k], w0, n, scratch);
      });
      kernel.run(inBuf, outBuf, n, w0);
      c.outputs.forEach((p, k) => unpackerFor(p.width)(outPlanes[k], outputs[p.name], count, w0, n, scratch));
      if (this.opts.toggles) countBlockToggles(outBuf, nOutBits, counts, prevTop, w0, n, count);
    }
    const result: SimulateResult = { outputs, gateEvaluations: kernel.cellsPerWord * count };
    if (!this.opts.toggles) return result;
    const toggles = new Float64Array(this.net.nextNet);
    c.watched.forEach((b, i) => {
      toggles[b] = counts[i];
    });
    for (const [q, d] of c.alias) toggles[q] = d > 1 ? toggles[d] : 0;
    return { ...result, toggles };
  }
}

/**
 * Simulates `count` input vectors bit-parallel (32 per word, every cell once
 * per word). inputs[port][k] is the raw unsigned pattern (0 .. 2^W-1, W <= 53)
 * of input port `port` in vector k; a missing port is UserError. Registers are
 * transparent (the combinational function of a pipelined circuit). With
 * `toggles`, toggles[net] counts the vectors k in 1..count-1 whose value of
 * that net differs from vector k-1 (a register's Q toggles with its D).
 */
export function simulateVectors(
  net: Netlist,
  inputs: Record<string, ArrayLike<number>>,
  count: number,
  opts: SimulateOptions = {},
): SimulateResult {
  return new CircuitSimulator(net, opts).run(inputs, count);
}

/** Views of consecutive rows of a row-major word buffer, grouped per port (widths in port order). */
function portRows(buf: Int32Array, widths: readonly number[]): Int32Array[][] {
  let row = 0;
  return widths.map((w) =>
    Array.from({ length: w }, () => {
      const r = buf.subarray(row * BLOCK_WORDS, (row + 1) * BLOCK_WORDS);
      row++;
      return r;
    }),
  );
}

/**
 * Transitions within each word are bits k where vector k differs from vector
 * k-1: x ^ (x << 1 | previous vector's bit). The first vector overall has no
 * predecessor; bits past `count` in the last word are masked off.
 */
function countBlockToggles(
  buf: Int32Array,
  first: number,
  counts: Float64Array,
  prevTop: Int32Array,
  w0: number,
  n: number,
  count: number,
): void {
  const lastWord = Math.ceil(count / 32) - 1;
  const rem = count - lastWord * 32;
  const lastMask = rem === 32 ? -1 : (1 << rem) - 1;
  for (let i = 0; i < counts.length; i++) {
    const at = (first + i) * BLOCK_WORDS;
    let prev = w0 === 0 ? buf[at] & 1 : prevTop[i];
    let total = 0;
    for (let w = 0; w < n; w++) {
      const x = buf[at + w];
      let t = x ^ ((x << 1) | prev);
      if (w0 + w === lastWord) t &= lastMask;
      total += popcount32(t);
      prev = x >>> 31;
    }
    prevTop[i] = prev;
    counts[i] += total;
  }
}
