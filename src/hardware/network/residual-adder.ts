/**
 * The adder of a residual Add (ResNet's relu(conv(x) + x)) whose output an
 * activation unit processes: costed in series before that unit.
 *
 * pow2: codes a (F_a) and b (F_b) aligned to F = max(F_a, F_b) by wiring
 * (exact left shifts), summed exactly by one signed ripple adder of
 * max(I_a, I_b) + F + 2 bits (a sign bit and the carry), then narrowed into the add's output format
 * (convertBits: its rounding and overflow) — the integer engine's residual add.
 * affine: the adder of TFLite's integer Add, which sums the two operands after
 * each is scaled to a 32-bit intermediate (the multipliers are costed as part
 * of the requantization unit): a 32-bit ripple adder.
 */
import { parseFormat } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { add, CircuitBuilder, constBits, convertBits, extend, prune, VectorRng, type Tech } from '../../netlist/index.js';
import type { Netlist } from '../../netlist/ir.js';
import type { TensorQuant } from '../../sim/quantize/model.js';
import type { SharedUnit } from '../accelerator-types.js';
import { costCircuit, unitCostOf } from './circuit.js';
import { buildAffineMultiplier, buildPow2Multiplier } from './eltwise-multiplier.js';
import { STIMULUS_SEED, uniformStream } from './stimulus.js';

export interface ResidualAdderSpec {
  /** The add layer's name (or the mul layer's: see eltwise-multiplier.ts). */
  readonly layer: string;
  /** 'mul': the unit is the elementwise multiplier of a mul layer, not an adder. */
  readonly op?: 'add' | 'mul';
  readonly a: TensorQuant;
  readonly b: TensorQuant;
  readonly out: TensorQuant;
}

const fracOf = (f: FixedFormat) => f.width - f.intBits;

export function buildPow2Adder(fa: FixedFormat, fb: FixedFormat, out: FixedFormat): Netlist {
  const b = new CircuitBuilder('residual_add_pow2');
  const F = Math.max(fracOf(fa), fracOf(fb));
  const I = Math.max(fa.intBits, fb.intBits);
  const w = I + F + 2; // a sign bit (unsigned operands are zero-extended) and the carry
  const align = (x: readonly ReturnType<CircuitBuilder['input']>[number][], f: FixedFormat) =>
    extend([...constBits(0n, F - fracOf(f)), ...x], w, f.signed);
  const sum = add(b, align(b.input('a', fa.width), fa), align(b.input('b', fb.width), fb)).sum;
  b.output('y', convertBits(b, sum, { signed: true, width: w, intBits: w - F, rounding: 'TRN', overflow: 'WRAP' }, out).y);
  prune(b.net);
  return b.net;
}

function buildAffineAdder(): Netlist {
  const b = new CircuitBuilder('residual_add_affine');
  b.output('y', add(b, b.input('a', 32), b.input('b', 32)).sum);
  return b.net;
}

export function residualAdderKey(s: ResidualAdderSpec): string {
  const t = (q: TensorQuant) => (q.kind === 'pow2' ? q.format : q.type);
  if (s.op === 'mul') return s.a.kind === 'pow2' ? `elementwise mul ${t(s.a)} * ${t(s.b)} -> ${t(s.out)}` : 'elementwise mul s9 * s9';
  return s.a.kind === 'pow2' ? `residual add ${t(s.a)} + ${t(s.b)} -> ${t(s.out)}` : 'residual add int32 + int32';
}

function circuitOf(s: ResidualAdderSpec): Netlist {
  const pow2 = s.a.kind === 'pow2' && s.b.kind === 'pow2' && s.out.kind === 'pow2';
  const f = (q: TensorQuant) => parseFormat((q as { format: string }).format);
  if (s.op === 'mul') return pow2 ? buildPow2Multiplier(f(s.a), f(s.b), f(s.out)) : buildAffineMultiplier();
  return pow2 ? buildPow2Adder(f(s.a), f(s.b), f(s.out)) : buildAffineAdder();
}

/** Builds and costs the adder (energy over uniformly random operand patterns). */
export function residualAdderUnit(s: ResidualAdderSpec, tech: Tech, seed = STIMULUS_SEED): SharedUnit {
  const net = circuitOf(s);
  const rng = new VectorRng(seed);
  const stimulus = Object.fromEntries(net.inputs().map((p) => [p.name, uniformStream(p.bits.length, rng)]));
  const r = costCircuit(net, tech, stimulus, stimulus.a!.length);
  return {
    key: residualAdderKey(s),
    ...unitCostOf(r, 0),
    report: { layer: s.layer, gates: r.gates, depth: r.depth, areaUm2: r.areaUm2, delayPs: r.delayPs, energyFjPerOp: r.energyFjPerOp },
  };
}

/** The adder and the activation unit after it as one unit in series: areas, delays, energies and cycles add. */
export function inSeries(adder: SharedUnit, act: SharedUnit): SharedUnit {
  return {
    key: `${adder.key}, then ${act.key}`,
    areaUm2: adder.areaUm2 + act.areaUm2,
    delayPs: adder.delayPs + act.delayPs,
    energyPjPerOp: adder.energyPjPerOp + act.energyPjPerOp,
    cycles: adder.cycles + act.cycles,
    report: {
      ...(act.report as object),
      [adder.key.startsWith('elementwise mul') ? 'elementwiseMultiplier' : 'residualAdder']: adder.report,
    },
  };
}

/**
 * An activation unit and a second one on the same outputs (layer: the
 * second's activation layer). In series (after the first): areas, delays,
 * energies and cycles add. In parallel (beside it, both on every value):
 * areas and energies add, delay and cycles are the larger. The report lists
 * the second under `then` (`parallel` marks one beside).
 */
export function afterUnit(first: SharedUnit, next: SharedUnit, layer: string, parallel = false): SharedUnit {
  const prev = (first.report as { then?: unknown[] }).then ?? [];
  const join = parallel ? Math.max : (x: number, y: number) => x + y;
  return {
    key: `${first.key}, ${parallel ? 'beside' : 'then'} ${next.key}`,
    areaUm2: first.areaUm2 + next.areaUm2,
    delayPs: join(first.delayPs, next.delayPs),
    energyPjPerOp: first.energyPjPerOp + next.energyPjPerOp,
    cycles: join(first.cycles, next.cycles),
    report: { ...(first.report as object), then: [...prev, { layer, ...(parallel ? { parallel } : {}), ...(next.report as object) }] },
  };
}
