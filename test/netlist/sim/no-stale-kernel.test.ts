import { describe, expect, it } from 'vitest';
import { Netlist, simulateVectors, type Cell } from '../../../src/netlist/index.js';
import { CircuitSimulator } from '../../../src/netlist/sim/simulate.js';

/** y = a AND b on one-bit inputs, all four input pairs. */
function andNet(): Netlist {
  const net = new Netlist('g');
  const [a] = net.addInput('a', 1),
    [b] = net.addInput('b', 1);
  net.addOutput('y', [net.addCell('$_AND_', [a!, b!])]);
  return net;
}

const A = [0, 1, 0, 1],
  B = [0, 0, 1, 1];

describe('the bit-parallel simulator keeps no kernel by netlist identity', () => {
  it.each(['interpreted', 'compiled'] as const)(
    'a cell edited in place (same cell and net counts) changes the next simulation (%s)',
    (engine) => {
      const net = andNet();
      expect([...simulateVectors(net, { a: A, b: B }, 4, { engine }).outputs.y!]).toEqual([0, 0, 0, 1]);
      const cells = net.cells as Cell[];
      cells[0] = { ...cells[0]!, type: '$_XOR_' };
      expect([...simulateVectors(net, { a: A, b: B }, 4, { engine }).outputs.y!]).toEqual([0, 1, 1, 0]);
    },
  );

  it('a CircuitSimulator owns the circuit as it was when made; a new one sees the edit', () => {
    const net = andNet();
    const sim = new CircuitSimulator(net, { engine: 'interpreted' });
    expect([...sim.run({ a: A, b: B }, 4).outputs.y!]).toEqual([0, 0, 0, 1]);
    (net.cells as Cell[])[0] = { ...net.cells[0]!, type: '$_OR_' };
    expect([...new CircuitSimulator(net, { engine: 'interpreted' }).run({ a: A, b: B }, 4).outputs.y!]).toEqual([0, 1, 1, 1]);
  });
});
