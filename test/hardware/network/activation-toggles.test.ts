import { describe, expect, it } from 'vitest';
import { getActivation } from '../../../src/activations/index.js';
import { parseFormat } from '../../../src/fixedpoint/index.js';
import { activationToggleEnergy } from '../../../src/hardware/index.js';
import { loadTech, VectorRng, type Netlist } from '../../../src/netlist/index.js';
import { runReference } from '../../../src/sim/reference/run.js';
import { FORMATS_8, pow2Mlp } from './models.js';

/*
 * Toggle energy on real activations, checked against an oracle written here:
 * the activation input codes come from the float reference (value * 2^F), an
 * independent evaluator of Yosys's gate semantics counts every cell output's
 * transitions, and energy = sum(transitions x the technology's cell energy) / (n - 1).
 */
const GATE: Record<string, (a: number, b: number, s: number) => number> = {
  $_NOT_: (a) => 1 - a,
  $_AND_: (a, b) => a & b,
  $_OR_: (a, b) => a | b,
  $_XOR_: (a, b) => a ^ b,
  $_NAND_: (a, b) => 1 - (a & b),
  $_NOR_: (a, b) => 1 - (a | b),
  $_XNOR_: (a, b) => 1 - (a ^ b),
  $_ANDNOT_: (a, b) => a & (1 - b),
  $_ORNOT_: (a, b) => a | (1 - b),
  $_MUX_: (a, b, s) => (s ? b : a),
};

function oracleEnergyFj(net: Netlist, raws: readonly number[], tech: ReturnType<typeof loadTech>): number {
  const x = net.ports.find((p) => p.name === 'x')!.bits;
  let prev: Map<number, number> | null = null;
  let fj = 0;
  for (const raw of raws) {
    const v = new Map<number, number>([
      [0, 0],
      [1, 1],
    ]);
    x.forEach((b, i) => v.set(b, Math.floor(raw / 2 ** i) % 2));
    let left = net.cells.slice();
    while (left.length > 0) {
      const next = left.filter((c) => !c.inputs.every((i) => v.has(i)));
      for (const c of left)
        if (c.inputs.every((i) => v.has(i)))
          v.set(c.output, GATE[c.type]!(v.get(c.inputs[0]!)!, v.get(c.inputs[1]!) ?? 0, v.get(c.inputs[2]!) ?? 0));
      expect(next.length).toBeLessThan(left.length);
      left = next;
    }
    if (prev) for (const c of net.cells) if (prev.get(c.output) !== v.get(c.output)) fj += tech.cells[c.type].energyFj;
    prev = v;
  }
  return fj / (raws.length - 1);
}

describe('activation energy from toggles on real activations', () => {
  const m = pow2Mlp([12, 10, 6], 'helu');
  const tech = loadTech('nangate45');
  const count = 40;
  const rng = new VectorRng(7);
  const x = Float64Array.from({ length: count * 12 }, () => (rng.bits(8) - 128) / 16);

  it('equals the oracle: reference codes through an independent gate evaluator', () => {
    const rows = activationToggleEnergy(m, x, count, 'nangate45');
    expect(rows.map((r) => r.layer)).toEqual(['act1']);
    const f = parseFormat(FORMATS_8.act);
    const codes = Array.from(runReference(m, x, count).tensors.get('fc1')!, (v) => Math.round(v * 2 ** (f.width - f.intBits)));
    const raws = codes.map((c) => (c < 0 ? c + 256 : c));
    const net = getActivation('helu').circuit(f, f);
    expect(rows[0]!.evaluations).toBe(count * 10);
    expect(rows[0]!.perInference).toBe(10);
    expect(rows[0]!.energyFjPerOp).toBeCloseTo(oracleEnergyFj(net, raws, tech), 9);
    expect(rows[0]!.energyFjPerOp).toBeGreaterThan(0);
  });

  it('one value per sample, identical samples: nothing toggles, zero energy', () => {
    const one = pow2Mlp([12, 1, 3], 'helu');
    const same = new Float64Array(count * 12).fill(0.5);
    expect(activationToggleEnergy(one, same, count, 'nangate45')[0]!.energyFjPerOp).toBe(0);
    expect(activationToggleEnergy(one, x, count, 'nangate45')[0]!.energyFjPerOp).toBeGreaterThan(0);
  });
});
