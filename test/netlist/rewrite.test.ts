import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Netlist } from '../../src/netlist/index.js';
import { aigOf, type AigOfNetlist } from '../../src/netlist/synth/aig.js';
import { candidateStructures } from '../../src/netlist/synth/restructure.js';
import { rewrite } from '../../src/netlist/synth/rewrite.js';
import { factoredStructure, refactor } from '../../src/netlist/synth/refactor.js';
import { mergeChoices } from '../../src/netlist/synth/choices.js';
import { structureOf } from '../../src/netlist/synth/structures.js';
import { evalNet, randomNetlist } from './helpers.js';

/*
 * AIG restructuring before mapping: every restructured graph computes the
 * netlist's function (every input vector, against the independent reference
 * evaluator), and every replacement structure computes its truth table.
 */
const SEED = 20261204;

/** Value of every node of an AIG for input bits x. */
function evalNodes(g: AigOfNetlist, x: readonly number[]): Uint8Array {
  const { aig } = g;
  const v = new Uint8Array(aig.size);
  aig.inputs.forEach((n, i) => (v[n] = x[i] ?? 0));
  const lit = (l: number) => v[l >> 1]! ^ (l & 1);
  for (let n = 1; n < aig.size; n++) if (aig.isAnd(n)) v[n] = lit(aig.fanin0[n]!) & lit(aig.fanin1[n]!);
  return v;
}

/** Output bits of an AIG for input bits x (literal 2n + c: node n, complemented when c = 1). */
function evalAig(g: AigOfNetlist, x: readonly number[]): bigint {
  const v = evalNodes(g, x);
  return g.outputs.reduce((acc, o, i) => acc | (BigInt(v[o >> 1]! ^ (o & 1)) << BigInt(i)), 0n);
}

/** Truth table (leaf i = bit i of the minterm) of a structure, evaluated node by node. */
function structureTruth(t: number): number {
  const s = structureOf(t);
  let out = 0;
  for (let x = 0; x < 16; x++) {
    const v = [0, (x >> 0) & 1, (x >> 1) & 1, (x >> 2) & 1, (x >> 3) & 1];
    const lit = (l: number) => v[l >> 1]! ^ (l & 1);
    for (let j = 0; j < s.fanin0.length; j++) v.push(lit(s.fanin0[j]!) & lit(s.fanin1[j]!));
    out |= lit(s.out) << x;
  }
  return out;
}

describe('AIG rewriting', () => {
  it('every candidate structure computes the netlist function on every input vector (random netlists)', () => {
    const pick = fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.array(pick, { minLength: 1, maxLength: 60 }), (n, picks) => {
        const net = randomNetlist(n, picks);
        const src = aigOf(net);
        const versions = candidateStructures(src);
        const choices = mergeChoices(src, versions);
        const graphs = [...versions, choices, refactor(src, true), rewrite(rewrite(src), true)];
        for (let x = 0; x < 1 << n; x++) {
          const want = evalNet(net, { x: BigInt(x) }).y!;
          const bits = Array.from({ length: n }, (_, i) => (x >> i) & 1);
          for (const g of graphs) expect(evalAig(g, bits)).toBe(want);
          // Every choice is equal to its representative (the mapper may implement the one by the other).
          const v = evalNodes(choices, bits);
          for (const [rep, ms] of choices.members) for (const m of ms) expect(v[m.node]).toBe(v[rep]! ^ m.phase);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('every replacement structure computes its 4-input truth table', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (t) => {
        expect(structureTruth(t)).toBe(t);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('every factored cover of refactoring computes its truth table (up to 7 inputs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 7 }), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (k, raw) => {
        const t = raw & ((1n << BigInt(1 << k)) - 1n);
        const s = factoredStructure(t, k);
        let got = 0n;
        for (let x = 0; x < 1 << k; x++) {
          const v = [0, ...Array.from({ length: k }, (_, i) => (x >> i) & 1)];
          const lit = (l: number) => v[l >> 1]! ^ (l & 1);
          for (let j = 0; j < s.fanin0.length; j++) v.push(lit(s.fanin0[j]!) & lit(s.fanin1[j]!));
          got |= BigInt(lit(s.out)) << BigInt(x);
        }
        expect(got).toBe(t);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('known minimum sizes: AND4 3 nodes, XOR2 3, MUX2 3, MAJ3 4, XOR3 6', () => {
    const size = (t: number) => structureOf(t).fanin0.length;
    expect(size(0x8000)).toBe(3);
    expect(size(0x6666)).toBe(3);
    expect(size(0xcaca)).toBe(3); // leaf 2 ? leaf 1 : leaf 0
    expect(size(0xe8e8)).toBe(4);
    expect(size(0x9696)).toBe(6);
  });

  it('rewriting removes the redundancy of (a & b) | (a & c & b): one AND node is left', () => {
    const net = new Netlist('redundant');
    const [a, b, c] = net.addInput('x', 3) as [number, number, number];
    const y = net.addCell('$_OR_', [net.addCell('$_AND_', [a, b]), net.addCell('$_AND_', [net.addCell('$_AND_', [a, c]), b])]);
    net.addOutput('y', [y]);
    const g = aigOf(net);
    expect(g.aig.size).toBe(1 + 3 + 4);
    const r = rewrite(g);
    expect(r.aig.size).toBe(1 + 3 + 1);
    for (let x = 0; x < 8; x++) expect(evalAig(r, [x & 1, (x >> 1) & 1, (x >> 2) & 1])).toBe(BigInt(x & 1 & (x >> 1)));
  });
});
