import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rom } from '../../src/netlist/index.js';
import { circuit, evalNet } from './helpers.js';

const SEED = 3006;

function romNet(n: number, table: bigint[], outWidth: number) {
  return circuit('rom', { x: n }, (b, i) => ({ y: rom(b, i.x, table, outWidth) }));
}

describe('rom (ROM-to-logic)', () => {
  it('reproduces random tables exactly, every entry (index 1..8 bits)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer(), (n, ow, seed) => {
        let s = seed | 0;
        const table = Array.from({ length: 2 ** n }, () => {
          s = (Math.imul(s, 1103515245) + 12345) | 0;
          return BigInt((s >>> 8) % 2 ** ow);
        });
        const net = romNet(n, table, ow);
        return table.every((v, i) => evalNet(net, { x: BigInt(i) }).y === v);
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('identity and constant tables fold to wires and constants (no gates)', () => {
    const n = 6;
    const ident = romNet(
      n,
      Array.from({ length: 64 }, (_, i) => BigInt(i)),
      6,
    );
    expect(ident.cells).toHaveLength(0);
    const konst = romNet(
      n,
      Array.from({ length: 64 }, () => 0b1010n),
      4,
    );
    expect(konst.cells).toHaveLength(0);
    expect(evalNet(konst, { x: 17n }).y).toBe(0b1010n);
  });

  it('shares identical sub-functions across output bits and levels', () => {
    // Every output bit is the same function (x mod 5 == 0) of the 8 index bits: built once.
    const table = Array.from({ length: 256 }, (_, i) => (i % 5 === 0 ? 0xffn : 0n));
    const shared = romNet(8, table, 8);
    const single = romNet(
      8,
      table.map((v) => v & 1n),
      1,
    );
    expect(shared.cells.length).toBe(single.cells.length);
    for (let i = 0; i < 256; i++) expect(evalNet(shared, { x: BigInt(i) }).y).toBe(table[i]);
  });

  it('a complemented output costs one inverter', () => {
    const table = Array.from({ length: 64 }, (_, i) => {
      const f = (i * 37) % 11 < 5 ? 1n : 0n;
      return f | ((1n - f) << 1n);
    });
    const both = romNet(6, table, 2);
    const one = romNet(
      6,
      table.map((v) => v & 1n),
      1,
    );
    expect(both.cells.length).toBeLessThanOrEqual(one.cells.length + 1);
    for (let i = 0; i < 64; i++) expect(evalNet(both, { x: BigInt(i) }).y).toBe(table[i]);
  });

  it('a table that ignores the top index bits has no logic on them', () => {
    // f(x) = popcount of the low 3 bits, independent of bits 3..7
    const table = Array.from({ length: 256 }, (_, i) => BigInt((i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1)));
    const net = romNet(8, table, 2);
    const used = new Set(net.cells.flatMap((c) => c.inputs));
    const x = net.port('x').bits;
    for (let k = 3; k < 8; k++) expect(used.has(x[k])).toBe(false);
  });
});
