import { UserError } from '../errors.js';
import type { MacFormats } from '../hardware/network/mac.js';
import { VectorRng, type MultiplierTrace, type Netlist } from '../netlist/index.js';
import { proveMultiplierStages, withTraceCells } from './multiplier-stages.js';
import { codeOf, peCounterexample, peModel, peName } from './pe-model.js';
import { proveBack } from './pe.js';
import { checkForward } from './pe-stages.js';
import { transparentCopy } from './registers.js';
import { searchCounterexample } from './search.js';
import { sliceNetlist } from './slice.js';
import type { UnitCounterexample, UnitProofResult } from './unit-types.js';
import { cpuNow, decomposedProof } from './clock.js';

/** Random inputs tried when the multiplier's decomposition fails (a search, reported as such). */
export const PE_SEARCH_VECTORS = 1 << 14;

/** Smallest and largest exact product w*x over the formats' codes. */
function productRange(f: MacFormats): { min: number; max: number } {
  const ends = (g: MacFormats['weight']) => (g.signed ? [-(2 ** (g.width - 1)), 2 ** (g.width - 1) - 1] : [0, 2 ** g.width - 1]);
  const ps = ends(f.weight).flatMap((w) => ends(f.input).map((x) => w * x));
  return { min: Math.min(...ps), max: Math.max(...ps) };
}

/** The model at raw ports, raw y. */
function rawModel(f: MacFormats): (ins: Readonly<Record<string, bigint>>) => bigint {
  const m = peModel(f);
  return (ins) =>
    BigInt.asUintN(
      f.acc.width,
      BigInt(m(Number(codeOf(ins['w'] ?? 0n, f.weight)), Number(codeOf(ins['x'] ?? 0n, f.input)), Number(codeOf(ins['acc'] ?? 0n, f.acc)))),
    );
}

/** The search after a failed multiplier decomposition: random ports, the first 4096 at the stage counterexample's operands. */
function search(unit: Netlist, f: MacFormats, hint?: Readonly<Record<string, bigint>>): UnitCounterexample | undefined {
  const rng = new VectorRng(19);
  const bits = (w: number) => BigInt.asUintN(w, (BigInt(rng.next32()) << 32n) | BigInt(rng.next32()));
  const draw = (i: number) => ({
    w: hint && i < 4096 ? hint['x']! : bits(f.weight.width),
    x: hint && i < 4096 ? hint['y']! : bits(f.input.width),
    acc: bits(f.acc.width),
  });
  const found = searchCounterexample(transparentCopy(unit), 'y', draw, rawModel(f), PE_SEARCH_VECTORS);
  return found ? peCounterexample(f, found.inputs['w']!, found.inputs['x']!, found.inputs['acc']!, found.got) : undefined;
}

/**
 * helu-sim's PE with operands too wide to enumerate every pair, proven
 * decomposed at its multiplier by the multiplier's own cut points: (1) x_out
 * = x, every x enumerated; (2) the carry-save stages and the final adder, each
 * one small Yosys SAT call (proveMultiplierStages: the product bits the adder
 * reads are bits of the exact product w*x); (3) the rest with the product a
 * free input, against overflow(acc + round(P)) (one SAT call, as for
 * enumerated fronts). `trace`: the multiplier's cut points as built.
 */
export async function provePeStaged(
  unit: Netlist,
  f: MacFormats,
  trace: MultiplierTrace,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  const { stages, done } = decomposedProof(peName(f), 'decomposed at the multiplier: carry-save stages by SAT, accumulate stage by SAT');
  const net = transparentCopy(withTraceCells(unit, trace));
  let c = cpuNow();
  const fwd = checkForward(net, f);
  stages.push({ what: 'x_out = x', method: 'exhaustive', vectors: fwd.vectors, cpuSeconds: cpuNow() - c });
  if (fwd.counterexample) return done(fwd.counterexample);
  if (fwd.undecided)
    throw new UserError(`${unit.name}: x_out reads ports other than x and no input was found where it differs from x; cannot decide`);
  const mult = await proveMultiplierStages(
    net,
    trace,
    { x: 'w', y: 'x', signedX: f.weight.signed, signedY: f.input.signed },
    opts.timeoutSeconds,
  );
  stages.push(...mult.stages);
  if (!mult.proven) {
    c = cpuNow();
    const cx = search(unit, f, mult.hint);
    stages.push({
      what: `search after the multiplier proof failed (${mult.why})`,
      method: 'exhaustive',
      vectors: PE_SEARCH_VECTORS,
      cpuSeconds: cpuNow() - c,
    });
    if (cx) return done(cx, `multiplier not proven (${mult.why}); counterexample found by search`);
    throw new UserError(
      `${unit.name}: ${mult.why}, and none of ${PE_SEARCH_VECTORS} inputs searched differs from the model; the decomposed proof cannot decide`,
    );
  }
  const back = sliceNetlist(
    net,
    'helu_back',
    [
      { name: 'f', bits: mult.frontier },
      { name: 'acc', bits: net.port('acc').bits },
    ],
    [{ name: 'y', bits: net.port('y').bits }],
  );
  if (!back)
    throw new UserError(`${unit.name}: y reads the multiplier's inside, not only its product; the decomposed proof does not apply`);
  c = cpuNow();
  const range = productRange(f);
  const cx = await proveBack(
    net,
    f,
    back,
    { kind: 'P', mapping: { map: mult.map, ...range, vectors: 0 }, value: (w, x) => w * x },
    opts.timeoutSeconds,
  );
  stages.push({
    what: 'accumulate: y = overflow(acc + round(P)) for every acc and every product value',
    method: 'sat',
    vectors: 0,
    cpuSeconds: cpuNow() - c,
  });
  return done(cx);
}
