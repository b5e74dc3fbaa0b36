import type { Netlist } from '../../netlist/ir.js';
import { CircuitSimulator } from '../../netlist/sim/simulate.js';

/**
 * An activation circuit (input port x, output port y) as a function from
 * distinct input codes to their output codes: the codes' raw patterns are
 * simulated bit-parallel in one run. The simulator (schedule and kernels) is
 * built once.
 */
export function gateCodes(
  net: Netlist,
  rawOf: (code: number) => number,
  codeOf: (raw: number) => number,
): (codes: readonly number[]) => Float64Array {
  const sim = new CircuitSimulator(net);
  return (codes) => {
    const out = sim.run({ x: codes.map(rawOf) }, codes.length).outputs.y!;
    return Float64Array.from(out, codeOf);
  };
}

/**
 * Gate mode of an activation layer: the layer's circuit simulated once per
 * batch over the distinct input codes of the batch (at most 2^W_in of them,
 * whatever the batch size), each element then taking the circuit's output for
 * its code. Every output code still comes from simulating the gates; a code
 * that occurs many times is simulated once per batch, which keeps gate mode
 * close to functional mode on whole networks.
 */
export function gateLayer(
  net: Netlist,
  rawOf: (code: number) => number,
  codeOf: (raw: number) => number,
  domain?: { base: number; size: number },
): (x: Float64Array) => Float64Array {
  const run = gateCodes(net, rawOf, codeOf);
  if (domain && domain.size <= 2 ** 16) return smallDomain(run, domain.base, domain.size);
  return (x) => {
    const slot = new Map<number, number>();
    const codes: number[] = [];
    const at = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      let k = slot.get(x[i]!);
      if (k === undefined) {
        k = codes.length;
        slot.set(x[i]!, k);
        codes.push(x[i]!);
      }
      at[i] = k;
    }
    const out = run(codes);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = out[at[i]!]!;
    return y;
  };
}

/** gateLayer for input codes in [base, base + size): the distinct codes found with a slot table instead of a map. */
function smallDomain(run: (codes: readonly number[]) => Float64Array, base: number, size: number): (x: Float64Array) => Float64Array {
  const slot = new Int32Array(size).fill(-1);
  return (x) => {
    const codes: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const c = x[i]! - base;
      if (slot[c]! < 0) {
        slot[c] = codes.length;
        codes.push(x[i]!);
      }
    }
    const out = run(codes);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = out[slot[x[i]! - base]!]!;
    for (const c of codes) slot[c - base] = -1;
    return y;
  };
}
