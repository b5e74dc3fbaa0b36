import { makeKernel, type Netlist } from '../netlist/index.js';
import { portSupport } from './cut.js';
import { portEvaluator } from './evaluate.js';
import { shiftRightRoundNumber } from '../fixedpoint/number.js';
import { alignedProduct, codeOf, peCounterexample, peModel, prodShift } from './pe-model.js';
import type { MacFormats } from '../hardware/network/mac.js';
import type { UnitCounterexample } from './unit-types.js';
import { FRONT_MAX_BITS } from './front.js';

/** Raw bits of a word column set: bit j of vector `lane` over `rows` rows starting at row `at`. */
function laneValue(out: Int32Array, at: number, rows: number, words: number, w: number, lane: number): bigint {
  let v = 0n;
  for (let i = 0; i < rows; i++) if ((out[(at + i) * words + w]! >>> lane) & 1) v |= 1n << BigInt(i);
  return v;
}

/**
 * x_out must be x (registers transparent): proven by enumerating every x when
 * x_out reads only x (its cone of influence); otherwise the first input found
 * (x with w = acc = 0, then w, acc all ones) where it differs.
 */
export function checkForward(net: Netlist, f: MacFormats): { vectors: number; counterexample?: UnitCounterexample; undecided?: boolean } {
  const xBits = net.port('x').bits,
    outBits = net.port('x_out').bits;
  const n = xBits.length,
    words = Math.max(1, 2 ** (n - 5));
  const kernel = makeKernel(net, { mode: 'transparent', inputs: [], outputs: outBits, counterBits: xBits, maxWords: words }, words);
  const out = new Int32Array(outBits.length * words);
  kernel.run(new Int32Array(0), out, words, 0);
  for (let i = 0; i < 2 ** n; i++) {
    const got = laneValue(out, 0, outBits.length, words, i >> 5, i & 31);
    if (got !== BigInt(i)) return { vectors: 2 ** n, counterexample: peCounterexample(f, 0n, BigInt(i), 0n, got, 'x_out') };
  }
  const support = portSupport(net, outBits);
  if (support.size === 0 || (support.size === 1 && support.has('x'))) return { vectors: 2 ** n };
  const ones = (w: number) => (1n << BigInt(w)) - 1n,
    evaluate = portEvaluator(net);
  for (let i = 0; i < 2 ** n; i++) {
    const w = ones(f.weight.width),
      acc = ones(f.acc.width),
      got = evaluate({ w, x: BigInt(i), acc })['x_out']!;
    if (got !== BigInt(i)) return { vectors: 2 ** n, counterexample: peCounterexample(f, w, BigInt(i), acc, got, 'x_out') };
  }
  return { vectors: 2 ** n, undecided: true };
}

/**
 * Every (w, x) pair at a few accumulator values (0, 1, -1, the extremes)
 * against the model: the search for a counterexample when the multiplier's
 * outputs are not the bits of the product (so the decomposition does not
 * apply). Returns the first one found.
 */
export function probeAccumulators(net: Netlist, f: MacFormats): UnitCounterexample | undefined {
  const wBits = net.port('w').bits,
    xBits = net.port('x').bits,
    accBits = net.port('acc').bits,
    yBits = net.port('y').bits;
  const n = wBits.length + xBits.length,
    words = 2 ** (n - 5),
    W = f.acc.width;
  const kernel = makeKernel(
    net,
    { mode: 'transparent', inputs: accBits, outputs: yBits, counterBits: [...wBits, ...xBits], maxWords: words },
    words,
  );
  const model = peModel(f),
    out = new Int32Array(yBits.length * words);
  const probes = [0n, 1n, (1n << BigInt(W)) - 1n, 1n << BigInt(W - 1), (1n << BigInt(W - 1)) - 1n];
  for (const acc of probes) {
    const ins = new Int32Array(W * words);
    for (let k = 0; k < W; k++) ins.fill((acc >> BigInt(k)) & 1n ? -1 : 0, k * words, (k + 1) * words);
    kernel.run(ins, out, words, 0);
    const accCode = Number(codeOf(acc, f.acc));
    for (let i = 0; i < 2 ** n; i++) {
      const w = i & ((1 << wBits.length) - 1),
        x = i >>> wBits.length;
      const got = laneValue(out, 0, yBits.length, words, i >> 5, i & 31);
      const want = BigInt.asUintN(W, BigInt(model(Number(codeOf(BigInt(w), f.weight)), Number(codeOf(BigInt(x), f.input)), accCode)));
      if (got !== want) return peCounterexample(f, BigInt(w), BigInt(x), acc, got);
    }
  }
  return undefined;
}

/** An exact product value brought to the accumulator LSB (the model's rounding). */
interface Pair {
  readonly i: number;
  readonly w: number;
  readonly x: number;
  readonly a: number;
}

/** Every operand pair (raw i = w + 2^Ww * x), nearest a* first. */
function nearestPairs(f: MacFormats, aStar: number): Pair[] {
  const wn = f.weight.width,
    align = alignedProduct(f);
  return Array.from({ length: 2 ** (wn + f.input.width) }, (_, i) => {
    const w = Number(codeOf(BigInt(i & ((1 << wn) - 1)), f.weight)),
      x = Number(codeOf(BigInt(i >>> wn), f.input));
    return { i, w, x, a: align(w, x) };
  }).sort((p, q) => Math.abs(p.a - aStar) - Math.abs(q.a - aStar) || p.i - q.i);
}

/**
 * Operand pairs whose product is near a* * 2^(F_w + F_x - F_acc), too many
 * pairs to enumerate: w = +-2^k and the 2048 weights above |P| / max|x|, each
 * with x = P / w rounded, when both are codes of their formats.
 */
function factorPairs(f: MacFormats, aStar: number): Pair[] {
  const target = aStar * 2 ** prodShift(f),
    align = alignedProduct(f);
  const range = (g: MacFormats['weight']) =>
    g.signed ? ([-(2 ** (g.width - 1)), 2 ** (g.width - 1) - 1] as const) : ([0, 2 ** g.width - 1] as const);
  const [wLo, wHi] = range(f.weight),
    [xLo, xHi] = range(f.input);
  const w0 = Math.ceil(Math.abs(target) / Math.max(-xLo, xHi, 1));
  const ws = [...Array.from({ length: f.weight.width }, (_, k) => 2 ** k), ...Array.from({ length: 2048 }, (_, d) => w0 + d)];
  const out: Pair[] = [];
  for (const w of ws.flatMap((v) => [v, -v])) {
    const x = Math.round(target / w);
    if (w < wLo || w > wHi || x < xLo || x > xHi) continue;
    const i = Number(BigInt.asUintN(f.weight.width, BigInt(w)) + (BigInt.asUintN(f.input.width, BigInt(x)) << BigInt(f.weight.width)));
    out.push({ i, w, x, a: align(w, x) });
  }
  return out;
}

export function alignedOf(f: MacFormats, p: number): number {
  return shiftRightRoundNumber(p, prodShift(f), f.acc.rounding);
}

/**
 * A real counterexample near one the SAT proof of the accumulate stage found
 * at a product value no operand pair produces (a* at the accumulator LSB,
 * accumulator code acc*): the adder sees acc + a, so the operand pairs whose
 * product at the accumulator LSB is nearest a* are tried with
 * acc = acc* + a* - a (when that is an accumulator code), each evaluated on
 * both sides. Undefined when none of the nearest 4096 differs.
 */
export function liftCounterexample(net: Netlist, f: MacFormats, aStar: number, accStar: bigint): UnitCounterexample | undefined {
  const wn = f.weight.width,
    model = peModel(f);
  const lo = f.acc.signed ? -(2 ** (f.acc.width - 1)) : 0,
    hi = f.acc.signed ? 2 ** (f.acc.width - 1) - 1 : 2 ** f.acc.width - 1;
  const pairs = wn + f.input.width <= FRONT_MAX_BITS ? nearestPairs(f, aStar) : factorPairs(f, aStar);
  const evaluate = portEvaluator(net);
  for (const p of pairs.slice(0, 4096)) {
    const acc = Number(accStar) + aStar - p.a;
    if (acc < lo || acc > hi) continue;
    const wRaw = BigInt(p.i % 2 ** wn),
      xRaw = BigInt(Math.floor(p.i / 2 ** wn)),
      accRaw = BigInt.asUintN(f.acc.width, BigInt(acc));
    const got = evaluate({ w: wRaw, x: xRaw, acc: accRaw })['y']!;
    if (got !== BigInt.asUintN(f.acc.width, BigInt(model(p.w, p.x, acc)))) return peCounterexample(f, wRaw, xRaw, accRaw, got);
  }
  return undefined;
}
