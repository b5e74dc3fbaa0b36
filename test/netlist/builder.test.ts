import { describe, expect, it } from 'vitest';
import { CircuitBuilder, ONE, ZERO, prune } from '../../src/netlist/index.js';
import { countType, evalNet } from './helpers.js';

describe('CircuitBuilder clean-up', () => {
  it('propagates constants and trivial identities', () => {
    const b = new CircuitBuilder('c');
    const [x, y] = b.input('x', 2);
    expect(b.and(x, ZERO)).toBe(ZERO);
    expect(b.and(x, ONE)).toBe(x);
    expect(b.or(x, ONE)).toBe(ONE);
    expect(b.or(x, ZERO)).toBe(x);
    expect(b.xor(x, x)).toBe(ZERO);
    expect(b.and(x, x)).toBe(x);
    expect(b.and(x, b.not(x))).toBe(ZERO);
    expect(b.or(x, b.not(x))).toBe(ONE);
    expect(b.not(b.not(y))).toBe(y);
    expect(b.mux(x, y, ZERO)).toBe(x);
    expect(b.mux(x, y, ONE)).toBe(y);
    expect(b.mux(x, x, y)).toBe(x);
    expect(b.mux(ZERO, ONE, y)).toBe(y);
    expect(b.andnot(x, x)).toBe(ZERO);
    expect(b.ornot(x, x)).toBe(ONE);
    expect(prune(b.net) + b.net.cells.length).toBeGreaterThan(0);
    expect(b.net.cells).toHaveLength(0);
  });

  it('hashes structurally (commutative inputs in any order)', () => {
    const b = new CircuitBuilder('c');
    const [x, y] = b.input('x', 2);
    expect(b.and(x, y)).toBe(b.and(y, x));
    expect(b.xor(x, y)).toBe(b.xor(y, x));
    expect(b.andnot(x, y)).not.toBe(b.andnot(y, x));
    expect(b.net.cells).toHaveLength(4);
  });

  it('absorbs inverters into ANDNOT / ORNOT / NOR / NAND / XNOR', () => {
    const b = new CircuitBuilder('c');
    const [x, y] = b.input('x', 2);
    const outs = [b.and(x, b.not(y)), b.or(b.not(x), y), b.and(b.not(x), b.not(y)), b.or(b.not(x), b.not(y)), b.xor(b.not(x), y)];
    b.output('y', outs);
    prune(b.net);
    expect(b.net.cells.map((c) => c.type)).toEqual(['$_ANDNOT_', '$_ORNOT_', '$_NOR_', '$_NAND_', '$_XNOR_']);
    for (let v = 0n; v < 4n; v++) {
      const x0 = v & 1n,
        y0 = v >> 1n;
      const nx = 1n - x0,
        ny = 1n - y0;
      const exp = (x0 & ny) | ((nx | y0) << 1n) | ((nx & ny) << 2n) | ((nx | ny) << 3n) | ((nx ^ y0) << 4n);
      expect(evalNet(b.net, { x: v }).y).toBe(exp);
    }
  });

  it('pins the sign-bit mux y[i] = x[i] & ~x[W-1] at exactly W-1 $_ANDNOT_ cells', () => {
    for (const w of [2, 4, 8, 16, 32]) {
      const b = new CircuitBuilder('relu');
      const x = b.input('x', w);
      b.output(
        'y',
        x.map((xi) => b.andnot(xi, x[w - 1])),
      );
      prune(b.net);
      expect(b.net.cells).toHaveLength(w - 1);
      expect(countType(b.net, '$_ANDNOT_')).toBe(w - 1);
    }
  });

  it('the mux form of the sign-bit mux folds to the same W-1 cells', () => {
    const w = 8;
    const b = new CircuitBuilder('relu');
    const x = b.input('x', w);
    b.output(
      'y',
      x.map((xi) => b.mux(xi, ZERO, x[w - 1])),
    );
    prune(b.net);
    expect(b.net.cells.map((c) => c.type)).toEqual(Array(w - 1).fill('$_ANDNOT_'));
  });

  it('prune removes dead cells and keeps registers feeding outputs', () => {
    const b = new CircuitBuilder('c');
    const [x, y, clk] = b.input('x', 3);
    b.xor(x, y);
    const q = b.dff(b.and(x, y), clk);
    b.output('y', [q]);
    expect(prune(b.net)).toBe(1);
    expect(b.net.cells.map((c) => c.type)).toEqual(['$_AND_', '$_DFF_P_']);
  });
});
