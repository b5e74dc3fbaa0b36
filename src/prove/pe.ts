import { UserError } from '../errors.js';
import { fracBits } from '../fixedpoint/index.js';
import { buildPe, type MacFormats } from '../hardware/network/mac.js';
import type { Netlist } from '../netlist/index.js';
import { signedBits } from '../verilog/rtl.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import { backNetlist, frontCut, type Cut } from './cut.js';
import { FRONT_MAX_BITS, mapFront, type FrontMapping } from './front.js';
import { alignedProduct, codeOf, numberCode, peName, prodShift } from './pe-model.js';
import { peBackImpl, peBackSpec, type CutValue } from './pe-spec.js';
import { alignedOf, checkForward, liftCounterexample, probeAccumulators } from './pe-stages.js';
import { transparentCopy } from './registers.js';
import { traceMultipliers } from '../netlist/index.js';
import { provePeStaged } from './pe-staged.js';
import { loadUserUnit, type UserRtl } from './user-rtl.js';
import type { UnitCounterexample, UnitProofResult } from './unit-types.js';
import { cpuNow, decomposedProof } from './clock.js';

/**
 * Formats a PE is proven at, codes exact in doubles: a user's PE (its
 * multiplier proven by enumerating every operand pair) up to FRONT_MAX_BITS
 * operand bits together, helu-sim's (by its carry-save stages above that) up to 50.
 */
function checkFormats(f: MacFormats, maxBits = FRONT_MAX_BITS): void {
  const n = f.weight.width + f.input.width;
  if (n > maxBits || n < 5)
    throw new UserError(
      `prove pe: weight and input widths together must be 5..${maxBits} bits${maxBits === FRONT_MAX_BITS ? ' for a user PE (its multiplier is proven by enumerating every operand pair)' : ''}, got ${n}`,
    );
  if (f.acc.width > 52 || n > 50) throw new UserError(`prove pe: accumulator width must be at most 52 bits, got ${f.acc.width}`);
}

/** The front's value on raw operands: the exact product (P) or the product at the accumulator LSB (A). */
function frontValue(f: MacFormats, kind: 'A' | 'P'): (w: number, x: number) => number {
  const a = alignedProduct(f),
    wCode = numberCode(f.weight),
    xCode = numberCode(f.input);
  return kind === 'A' ? (w, x) => a(wCode(w), xCode(x)) : (w, x) => wCode(w) * xCode(x);
}

export interface Front {
  kind: 'A' | 'P';
  mapping: FrontMapping;
  value: (w: number, x: number) => number;
}

/** Enumerates every operand pair and maps the multiplier's outputs onto A, else P. */
function enumerateFront(net: Netlist, f: MacFormats, cut: Cut): Front {
  let last: Front | undefined;
  // A product with fewer fraction bits than the accumulator is shifted left by wiring: the adder reads P's bits.
  const kinds = prodShift(f) < 0 ? (['P', 'A'] as const) : prodShift(f) === 0 ? (['A'] as const) : (['A', 'P'] as const);
  for (const kind of kinds) {
    const value = frontValue(f, kind);
    last = { kind, mapping: mapFront(net, ['w', 'x'], cut.frontier, value), value };
    if (last.mapping.map) return last;
  }
  return last!;
}

/** Stage 2 by SAT; a counterexample (a, acc) is mapped back to an operand pair giving that a. */
export async function proveBack(
  net: Netlist,
  f: MacFormats,
  backNet: Netlist,
  front: Front,
  timeoutSeconds?: number,
): Promise<UnitCounterexample | undefined> {
  const m = front.mapping;
  const v: CutValue = {
    width: signedBits(BigInt(m.min), BigInt(m.max)),
    frac: front.kind === 'A' ? fracBits(f.acc) : fracBits(f.weight) + fracBits(f.input),
    min: m.min,
    max: m.max,
  };
  const back = structuralVerilog(backNet, 'helu_back', ['PE after the multiplier, under proof']);
  const impl = { 'impl.v': peBackImpl('pe_back_impl', v, m.map!, f.acc.width, 'helu_back'), 'helu_back.v': back };
  const r = await yosysEquivalent({ 'spec.v': peBackSpec('pe_back_spec', v, f.acc) }, 'pe_back_spec', impl, 'pe_back_impl', {
    timeoutSeconds,
  });
  if (r.outcome === 'proved') return undefined;
  if (r.outcome === 'inconclusive')
    throw new UserError(`SAT proof of the PE's accumulate stage ran out of time (${timeoutSeconds} s); raise --timeout`);
  const a = BigInt.asIntN(v.width, r.counterexample![0]!['a']!),
    acc = r.counterexample![0]!['acc']!;
  const target = Number(a < BigInt(m.min) ? BigInt(m.min) : a > BigInt(m.max) ? BigInt(m.max) : a);
  const cx = liftCounterexample(net, f, front.kind === 'A' ? target : alignedOf(f, target), codeOf(acc, f.acc));
  if (cx) return cx;
  throw new UserError(
    `the PE's accumulate stage differs from the model at a product value no operand pair produces (${target}, acc = ${codeOf(acc, f.acc)}), and at no operand pair near it; the decomposed proof cannot decide`,
  );
}

/**
 * Proves a PE's combinational function (registers transparent; ports w, x,
 * acc -> y, x_out) equal to the integer engine's accumulate step, decomposed
 * at the multiplier: (1) x_out = x, every x enumerated; (2) every (w, x) pair
 * enumerated bit-parallel, finding that the nets the multiplier hands to the
 * adder (the cut: nets computed from w and x alone that the rest reads) are
 * bits of A = w*x at the accumulator LSB (or of the exact product P);
 * (3) Yosys SAT: the rest of the circuit, fed A (or P) as a free input over
 * its whole range, equals overflow(acc + A) for every acc. (2) and (3)
 * together cover every (w, x, acc).
 */
export async function provePeNetlist(net: Netlist, f: MacFormats, opts: { timeoutSeconds?: number } = {}): Promise<UnitProofResult> {
  checkFormats(f);
  const { stages, done } = decomposedProof(peName(f), 'decomposed at the multiplier: operand pairs enumerated, accumulate stage by SAT');
  let c = cpuNow();
  const fwd = checkForward(net, f);
  stages.push({ what: 'x_out = x', method: 'exhaustive', vectors: fwd.vectors, cpuSeconds: cpuNow() - c });
  if (fwd.counterexample) return done(fwd.counterexample);
  if (fwd.undecided)
    throw new UserError(`${net.name}: x_out reads ports other than x and no input was found where it differs from x; cannot decide`);
  c = cpuNow();
  const cut = frontCut(net, ['w', 'x'], net.port('y').bits);
  const front = enumerateFront(net, f, cut);
  const frontWhat = `multiplier: the ${cut.frontier.length} nets from w, x into the adder are bits of ${front.kind === 'A' ? 'w*x at the accumulator LSB' : 'the exact product w*x'}`;
  stages.push({ what: frontWhat, method: 'exhaustive', vectors: front.mapping.vectors, cpuSeconds: cpuNow() - c });
  if (!front.mapping.map) {
    const cx = probeAccumulators(net, f);
    if (cx)
      return done(cx, 'the multiplier outputs are not the product; counterexample from enumerating every (w, x) at extreme accumulators');
    throw new UserError(
      `${net.name}: the nets from w and x into the adder are not the bits of the product, and no counterexample was found at acc = 0, 1, -1 or the extremes; the decomposed proof does not apply`,
    );
  }
  c = cpuNow();
  const cx = await proveBack(net, f, backNetlist(net, cut, ['w', 'x'], 'f', ['y']), front, opts.timeoutSeconds);
  stages.push({
    what: `accumulate: y = overflow(acc + ${front.kind === 'A' ? 'A' : 'round(P)'}) for every acc and every product value`,
    method: 'sat',
    vectors: 0,
    cpuSeconds: cpuNow() - c,
  });
  return done(cx);
}

/**
 * helu-sim's PE (hardware/network/mac.ts buildPe, the netlist `verilog pe
 * --style structural` writes), proven: by enumerating the multiplier's
 * operand pairs up to FRONT_MAX_BITS operand bits, by its carry-save stages
 * (provePeStaged) above.
 */
export function provePe(f: MacFormats, opts: { timeoutSeconds?: number } = {}): Promise<UnitProofResult> {
  checkFormats(f, 50);
  if (f.weight.width + f.input.width > FRONT_MAX_BITS) {
    const { result, multipliers } = traceMultipliers(() => buildPe(f));
    return provePeStaged(result, f, multipliers[0]!, opts);
  }
  return provePeNetlist(transparentCopy(buildPe(f)), f, opts);
}

/**
 * A user's PE in Verilog with the ports `verilog pe` writes (clk, w, x, acc ->
 * y, x_out; w and x registered, then y: y two stages after w and x, one after
 * acc; x_out one after x), proven equal to the model.
 */
export async function provePeRtl(
  rtl: Omit<UserRtl, 'latency'>,
  f: MacFormats,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  checkFormats(f);
  const ports = [
    { name: 'w', direction: 'input', width: f.weight.width },
    { name: 'x', direction: 'input', width: f.input.width },
    { name: 'acc', direction: 'input', width: f.acc.width },
    { name: 'y', direction: 'output', width: f.acc.width },
    { name: 'x_out', direction: 'output', width: f.input.width },
  ] as const;
  const net = await loadUserUnit(rtl, ports, { inputs: { w: 0, x: 0, acc: 1 }, outputs: { y: 2, x_out: 1 } }, peName(f), {
    keepOperators: true,
  });
  return provePeNetlist(net, f, opts);
}
