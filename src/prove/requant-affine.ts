import { UserError } from '../errors.js';
import { amountBits, buildAffineRequant, requantKey, type AffineRequantSpec } from '../hardware/network/requant.js';
import { affineRequantGolden } from '../hardware/verilog/golden.js';
import { traceMultipliers, VectorRng, type MultiplierTrace, type Netlist } from '../netlist/index.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import { portEvaluator } from './evaluate.js';
import { proveMultiplierStages, withTraceCells } from './multiplier-stages.js';
import { portValue } from './pe-model.js';
import { transparentCopy } from './registers.js';
import { affineBackImpl, affineBackSpec, affineProductRange } from './requant-affine-spec.js';
import { searchCounterexample } from './search.js';
import { sliceNetlist } from './slice.js';
import { loadUserUnit, readDesign } from './user-rtl.js';
import { requantRtl } from '../hardware/verilog/requant-rtl.js';
import type { UnitCounterexample, UnitProofResult } from './unit-types.js';
import { cpuNow, decomposedProof, satProofResult, startClock } from './clock.js';

/** Random inputs tried when the multiplier's decomposition fails (a search, reported as such). */
export const AFFINE_SEARCH_VECTORS = 1 << 14;

const intFmt = (signed: boolean, width: number) => ({ signed, width, intBits: width, rounding: 'TRN', overflow: 'WRAP' }) as const;

/** The counterexample at raw (acc, m, e, zp): the golden model's y against the unit's `got`. */
function affineCounterexample(s: AffineRequantSpec, ins: Readonly<Record<string, bigint>>, got: bigint): UnitCounterexample {
  const want = affineRequantGolden(s)(ins['acc']!, ins['m']!, Number(ins['e']!), ins['zp']!);
  const fmts = {
    acc: intFmt(true, s.accBits),
    m: intFmt(true, 32),
    e: intFmt(false, amountBits(s.accBits - 1)),
    zp: intFmt(true, s.out.width + 1),
  };
  const inputs = Object.entries(fmts).map(([n, f]) => portValue(n, ins[n]!, f));
  const out = intFmt(s.out.signed, s.out.width);
  const expected = portValue('y', want, out),
    gotV = portValue('y', got, out);
  if (expected.raw === gotV.raw) throw new Error(`internal: the reported affine counterexample is not one (y = ${got} on both sides)`);
  const text = `${inputs.map((v) => `${v.name} = ${v.code}`).join(', ')}: expected y = ${expected.code}, got ${gotV.code}`;
  return { inputs, output: 'y', expected, got: gotV, text };
}

/** Raw golden y at raw port values (e limited to 0 .. W-1, the unit's specified exponents). */
function golden(s: AffineRequantSpec): (ins: Readonly<Record<string, bigint>>) => bigint {
  const g = affineRequantGolden(s);
  return (ins) => g(ins['acc'] ?? 0n, ins['m'] ?? 0n, Number(ins['e'] ?? 0n), ins['zp'] ?? 0n);
}

/** Random port values, e within 0 .. W-1; the first `hint` vectors keep the stage counterexample's acc and m. */
function drawer(s: AffineRequantSpec, hint?: Readonly<Record<string, bigint>>): (i: number) => Record<string, bigint> {
  const rng = new VectorRng(19);
  const bits = (w: number) => BigInt.asUintN(w, (BigInt(rng.next32()) << 32n) | BigInt(rng.next32()));
  return (i) => ({
    acc: hint && i < 4096 ? hint['x']! : bits(s.accBits),
    m: hint && i < 4096 ? hint['y']! : bits(32),
    e: BigInt(rng.next32() % s.accBits),
    zp: bits(s.out.width + 1),
  });
}

/**
 * Operand pairs (acc, m) whose product is p* or near it: for acc = +-2^k, the
 * 2048 largest magnitudes (every acc for W <= 12), m = p* / acc rounded (and
 * one either side); for m = +-2^k and the 2048 values above |p*| / 2^(W-1),
 * acc = p* / m rounded. Only pairs of codes of their widths.
 */
function productPairs(s: AffineRequantSpec, p: bigint): [bigint, bigint][] {
  const W = s.accBits,
    aMax = (1n << BigInt(W - 1)) - 1n,
    mMax = (1n << 31n) - 1n;
  const div = (a: bigint, b: bigint) => (2n * a + (a < 0n !== b < 0n ? -b : b)) / (2n * b); // a / b rounded
  const pow2 = (n: number) => Array.from({ length: n }, (_, k) => 1n << BigInt(k));
  const near = (top: bigint) => Array.from({ length: 2048 }, (_, d) => top - BigInt(d)).filter((v) => v > 0n);
  const accs = W <= 12 ? Array.from({ length: Number(aMax) + 1 }, (_, i) => BigInt(i + 1)) : [...pow2(W - 1), ...near(aMax + 1n)];
  const mag = p < 0n ? -p : p;
  const ms = [...pow2(31), ...Array.from({ length: 2048 }, (_, d) => mag / (aMax + 1n) + 1n + BigInt(d))];
  const pairs: [bigint, bigint][] = [];
  for (const a of accs.flatMap((v) => [v, -v])) for (const d of [0n, -1n, 1n]) pairs.push([a, div(p, a) + d]);
  for (const m of ms.flatMap((v) => [v, -v])) pairs.push([div(p, m), m]);
  return pairs.filter(([a, m]) => a >= -aMax - 1n && a <= aMax && m >= -mMax - 1n && m <= mMax);
}

/**
 * A real counterexample near the one the SAT proof of the stage after the
 * multiplier found at product p* (maybe a product of no operand pair): the
 * pairs of productPairs, nearest first, each evaluated on both sides.
 */
function liftProduct(unit: Netlist, s: AffineRequantSpec, p: bigint, e: bigint, zp: bigint): UnitCounterexample | undefined {
  const evaluate = portEvaluator(unit),
    model = golden(s);
  const dist = ([a, m]: [bigint, bigint]) => (a * m > p ? a * m - p : p - a * m);
  const pairs = productPairs(s, p).sort((u, v) => (dist(u) < dist(v) ? -1 : dist(u) > dist(v) ? 1 : 0));
  for (const [a, m] of pairs.slice(0, 8192)) {
    const ins = { acc: BigInt.asUintN(s.accBits, a), m: BigInt.asUintN(32, m), e, zp };
    const got = evaluate(ins)['y']!;
    if (got !== model(ins)) return affineCounterexample(s, ins, got);
  }
  return undefined;
}

/** Stage 2: the back of the cut against affineBackSpec by one Yosys SAT call; a counterexample lifted to real operands. */
async function proveBack(
  unit: Netlist,
  net: Netlist,
  s: AffineRequantSpec,
  cut: { frontier: readonly number[]; map: readonly { bit: number; invert: boolean }[] },
  timeoutSeconds?: number,
): Promise<UnitCounterexample | undefined> {
  const back = sliceNetlist(
    net,
    'helu_back',
    [{ name: 'f', bits: cut.frontier }, ...['e', 'zp'].map((n) => ({ name: n, bits: net.port(n).bits }))],
    [{ name: 'y', bits: net.port('y').bits }],
  );
  if (!back) throw new UserError(`${net.name}: y reads the multiplier's inside, not only its product; the decomposed proof does not apply`);
  const r = await yosysEquivalent(
    { 'spec.v': affineBackSpec('affine_back_spec', s) },
    'affine_back_spec',
    { 'impl.v': affineBackImpl('affine_back_impl', s, cut.map, 'helu_back'), 'helu_back.v': structuralVerilog(back, 'helu_back') },
    'affine_back_impl',
    { timeoutSeconds },
  );
  if (r.outcome === 'proved') return undefined;
  if (r.outcome === 'inconclusive')
    throw new UserError(`SAT proof of the affine unit after its multiplier ran out of time (${timeoutSeconds} s); raise --timeout`);
  const m = r.counterexample![0]!,
    range = affineProductRange(s);
  let p = BigInt.asIntN(range.width, m['p']!);
  p = p < range.min ? range.min : p > range.max ? range.max : p;
  const e = m['e']! > BigInt(s.accBits - 1) ? BigInt(s.accBits - 1) : m['e']!;
  const cx = liftProduct(unit, s, p, e, m['zp']!);
  if (cx) return cx;
  throw new UserError(
    `the affine unit after its multiplier differs from the model at product ${p} (e = ${e}), and at no operand pair near it; the decomposed proof cannot decide`,
  );
}

/**
 * Proves an affine requantization netlist (ports acc, m, e, zp -> y; e in
 * 0 .. W-1) equal to the gemmlowp model, decomposed at its multiplier:
 * (1) the multiplier's carry-save stages and final adder, each by a small SAT
 * call (proveMultiplierStages: the product bits the rest reads are bits of
 * acc * m); (2) the rest, with the product a free input over its whole range,
 * against the specification written from the formulas (one SAT call).
 * `trace`: the multiplier's cut points as built (hints; each is proven).
 */
export async function proveAffineRequantNetlist(
  unit: Netlist,
  s: AffineRequantSpec,
  trace: MultiplierTrace,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  const { stages, done } = decomposedProof(
    requantKey(s),
    'decomposed at the multiplier: carry-save stages by SAT, the rest by SAT with the product free',
  );
  const net = transparentCopy(withTraceCells(unit, trace));
  const mult = await proveMultiplierStages(net, trace, { x: 'acc', y: 'm', signedX: true, signedY: true }, opts.timeoutSeconds);
  stages.push(...mult.stages);
  if (!mult.proven) {
    const c = cpuNow();
    const found = searchCounterexample(unit, 'y', drawer(s, mult.hint), golden(s), AFFINE_SEARCH_VECTORS);
    stages.push({
      what: `search after the multiplier proof failed (${mult.why})`,
      method: 'exhaustive',
      vectors: AFFINE_SEARCH_VECTORS,
      cpuSeconds: cpuNow() - c,
    });
    if (found)
      return done(affineCounterexample(s, found.inputs, found.got), `multiplier not proven (${mult.why}); counterexample found by search`);
    throw new UserError(
      `${unit.name}: ${mult.why}, and none of ${AFFINE_SEARCH_VECTORS} inputs searched differs from the model; the decomposed proof cannot decide`,
    );
  }
  const c = cpuNow();
  const cx = await proveBack(unit, net, s, mult, opts.timeoutSeconds);
  stages.push({
    what: 'after the multiplier: y = clamp(zp + RDBP(SRDHM(p), e)) for every product p, e and zp',
    method: 'sat',
    vectors: 0,
    cpuSeconds: cpuNow() - c,
  });
  return done(cx);
}

/** helu-sim's affine requantization unit (hardware/network/requant.ts buildAffineRequant), proven. */
export function proveAffineRequant(s: AffineRequantSpec, opts: { timeoutSeconds?: number } = {}): Promise<UnitProofResult> {
  const { result, multipliers } = traceMultipliers(() => buildAffineRequant(s));
  return proveAffineRequantNetlist(result, s, multipliers[0]!, opts);
}

/**
 * A user's affine requantization unit (ports acc, m, e, zp -> y as `verilog
 * requant --acc-bits` writes them): its structure is unknown, so the cut
 * points of helu-sim's multiplier are not available. One Yosys SAT call on the
 * miter of the user's Verilog (as written, not the gate netlist) and the
 * behavioral Verilog of the model: when the unit multiplies with the Verilog
 * operator `*` on the same operands as the model's RTL, Yosys encodes both
 * products alike and the proof goes through; a unit that differs is refuted
 * with a counterexample re-checked on both sides; otherwise the call runs out
 * of time and the command says it cannot decide (exit 2).
 */
export async function proveAffineRequantRtl(
  rtl: { file: string; top?: string },
  s: AffineRequantSpec,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  const clock = startClock();
  const ports = [
    { name: 'acc', direction: 'input', width: s.accBits },
    { name: 'm', direction: 'input', width: 32 },
    { name: 'e', direction: 'input', width: amountBits(s.accBits - 1) },
    { name: 'zp', direction: 'input', width: s.out.width + 1 },
    { name: 'y', direction: 'output', width: s.out.width },
  ] as const;
  const net = await loadUserUnit(rtl, ports, { inputs: { acc: 0 }, outputs: { y: 0 } }, requantKey(s));
  const timeoutSeconds = opts.timeoutSeconds ?? RTL_TIMEOUT_SECONDS;
  const r = await yosysEquivalent(
    { 'spec.v': requantRtl(s, 'helu_requant_spec', ['specification from the gemmlowp formulas']) },
    'helu_requant_spec',
    readDesign(rtl.file),
    net.name,
    {
      timeoutSeconds,
    },
  );
  if (r.outcome === 'inconclusive')
    throw new UserError(
      `SAT on the whole affine unit did not decide in ${timeoutSeconds} s: the unit's structure is unknown (helu-sim decomposes only its own multiplier), and its product is not Yosys's encoding of the model's acc * m; raise --timeout`,
    );
  const m = r.counterexample?.[0];
  const cx = m ? affineCounterexample(s, m, portEvaluator(net)(m)['y']!) : undefined;
  return satProofResult(
    requantKey(s),
    'yosys miter -equiv of the Verilog as written against the behavioral Verilog of the model, sat -prove-asserts',
    'y = clamp(zp + RDBP(SRDHM(acc, m), e)) for every acc, m, e, zp',
    clock,
    cx,
  );
}

/** Default time limit of the SAT call on a user's affine unit. */
export const RTL_TIMEOUT_SECONDS = 120;
