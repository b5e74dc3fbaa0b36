/**
 * The MAC datapath of one processing element, built from the netlist
 * generators: an array multiplier of the weight x input code widths and an
 * accumulator adder of the accumulator width, with the accumulator format's
 * rounding (product narrowed to its LSB) and overflow mode (after the add).
 *
 * Semantics (the integer model's accumulator, sim/model.ts): the product
 * w*x has F_w + F_x fraction bits; it is rounded to the accumulator's LSB
 * with the accumulator's rounding mode when that has fewer fraction bits
 * (shifted left exactly otherwise); acc + product is exact, then passes
 * through the accumulator's overflow mode into its width.
 *
 * The processing element registers its weight, its input (forwarded to the
 * next PE) and its result: one weight-stationary PE passes the result down as
 * the next PE's accumulator input; an output-stationary PE feeds it back. The
 * gates are the same either way, so one PE serves both dataflows (the
 * feedback is left open as the input port 'acc' so the netlist stays acyclic).
 */
import { formatToString, fracBits } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { add, CircuitBuilder, convertBits, extend, multiply, prune, signExtend, type CostReport, type Tech } from '../../netlist/index.js';
import type { Bit, Netlist } from '../../netlist/ir.js';
import { costCircuit, costStatic, type CircuitReport } from './circuit.js';
import { macStream, STIMULUS_SEED, type MacStreamFormats } from './stimulus.js';

export type MacFormats = MacStreamFormats;

/** Format of the exact product of weight and input codes (width W_w + W_x, F_w + F_x fraction bits). */
export function productFormat(f: MacFormats): FixedFormat {
  return {
    signed: f.weight.signed || f.input.signed,
    width: f.weight.width + f.input.width,
    intBits: f.weight.intBits + f.input.intBits,
    rounding: 'TRN',
    overflow: 'WRAP',
  };
}

function multiplyCore(b: CircuitBuilder, w: readonly Bit[], x: readonly Bit[], f: MacFormats): Bit[] {
  return multiply(b, w, x, f.weight.signed, f.input.signed);
}

/** acc + product (rules in the file comment), in the accumulator's width. */
function accumulateCore(b: CircuitBuilder, p: readonly Bit[], acc: readonly Bit[], f: MacFormats): Bit[] {
  const pf = productFormat(f);
  const fa = fracBits(f.acc);
  // Wide enough for the product at the accumulator's LSB, its rounding increment and a sign: no wrap.
  const wt = pf.width + Math.max(0, fa - fracBits(pf)) + 2;
  const aligned = convertBits(b, p, pf, { signed: true, width: wt, intBits: wt - fa, rounding: f.acc.rounding, overflow: 'WRAP' }).y;
  const ws = Math.max(f.acc.width, wt) + 1;
  const sum = add(b, extend(acc, ws, f.acc.signed), signExtend(aligned, ws)).sum;
  return convertBits(b, sum, { signed: true, width: ws, intBits: ws - fa, rounding: 'TRN', overflow: 'WRAP' }, f.acc).y;
}

/** The multiplier alone: ports 'w', 'x' -> 'p' (exact product). */
export function buildMultiplier(f: MacFormats): Netlist {
  const b = new CircuitBuilder('mac_multiplier');
  b.output('p', multiplyCore(b, b.input('w', f.weight.width), b.input('x', f.input.width), f));
  prune(b.net);
  return b.net;
}

/** The accumulator adder alone: ports 'p' (product), 'acc' -> 'y'. */
export function buildAccumulator(f: MacFormats): Netlist {
  const b = new CircuitBuilder('mac_accumulator');
  const p = b.input('p', productFormat(f).width);
  b.output('y', accumulateCore(b, p, b.input('acc', f.acc.width), f));
  prune(b.net);
  return b.net;
}

/**
 * One processing element: ports 'clk', 'w', 'x', 'acc' -> 'y' (registered
 * acc + w*x) and 'x_out' (registered x). Registers: W_w + W_x + W_acc bits.
 */
export function buildPe(f: MacFormats): Netlist {
  const b = new CircuitBuilder('pe');
  const clk = b.input('clk', 1)[0]!;
  const wq = b.input('w', f.weight.width).map((d) => b.dff(d, clk));
  const xq = b.input('x', f.input.width).map((d) => b.dff(d, clk));
  const acc = b.input('acc', f.acc.width);
  const y = accumulateCore(b, multiplyCore(b, wq, xq, f), acc, f);
  b.output(
    'y',
    y.map((d) => b.dff(d, clk)),
  );
  b.output('x_out', xq);
  prune(b.net);
  return b.net;
}

export interface MacUnitReport {
  readonly weight: string;
  readonly input: string;
  readonly accumulator: string;
  /** Terms per dot product of the energy stimulus, and its seed (macStream). */
  readonly dotLength: number;
  readonly seed: number;
  readonly multiplier: CostReport;
  readonly accumulatorAdder: CostReport;
  /** The whole PE (multiplier, accumulator adder, registers); energy per MAC over the stimulus. */
  readonly pe: CircuitReport;
}

/**
 * Builds and costs the MAC datapath for the formats. Energy per MAC: the PE
 * simulated over macStream (dot products of `dotLength` terms, seeded).
 */
export function macUnit(f: MacFormats, tech: Tech, dotLength: number, seed = STIMULUS_SEED): MacUnitReport {
  const pe = buildPe(f);
  const s = macStream(f, dotLength, seed);
  return {
    weight: formatToString(f.weight),
    input: formatToString(f.input),
    accumulator: formatToString(f.acc),
    dotLength,
    seed,
    multiplier: costStatic(buildMultiplier(f), tech),
    accumulatorAdder: costStatic(buildAccumulator(f), tech),
    pe: costCircuit(pe, tech, { w: s.w, x: s.a, acc: s.acc }, s.w.length),
  };
}
