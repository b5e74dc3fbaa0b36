import type { Netlist } from '../../netlist/ir.js';
import { CircuitSimulator } from '../../netlist/sim/simulate.js';

/**
 * Gate mode of an activation layer: the layer's circuit (input port x,
 * output port y), simulated bit-parallel once per batch over the distinct
 * input codes of the batch (at most 2^W_in of them, whatever the batch
 * size), each element then taking the circuit's output for its code. Every
 * output code still comes from simulating the gates; a code that occurs many
 * times is simulated once per batch, which keeps gate mode close to
 * functional mode on whole networks. The simulator (schedule and kernels)
 * is built once, when the layer is compiled.
 */
export function gateLayer(
  net: Netlist, rawOf: (code: number) => number, codeOf: (raw: number) => number, domain?: { base: number; size: number },
): (x: Float64Array) => Float64Array {
  const sim = new CircuitSimulator(net);
  if (domain && domain.size <= 2 ** 16) return smallDomain(sim, rawOf, codeOf, domain.base, domain.size);
  return (x) => {
    const slot = new Map<number, number>();
    const raws: number[] = [];
    const at = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      let k = slot.get(x[i]!);
      if (k === undefined) {
        k = raws.length;
        slot.set(x[i]!, k);
        raws.push(rawOf(x[i]!));
      }
      at[i] = k;
    }
    const out = sim.run({ x: raws }, raws.length).outputs.y!;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = codeOf(out[at[i]!]!);
    return y;
  };
}

/** gateLayer for input codes in [base, base + size): the distinct codes found with a slot table instead of a map. */
function smallDomain(sim: CircuitSimulator, rawOf: (code: number) => number, codeOf: (raw: number) => number, base: number, size: number): (x: Float64Array) => Float64Array {
  const slot = new Int32Array(size).fill(-1);
  return (x) => {
    const used: number[] = [], raws: number[] = [];
    for (let i = 0; i < x.length; i++) {
      const c = x[i]! - base;
      if (slot[c]! < 0) {
        slot[c] = raws.length;
        used.push(c);
        raws.push(rawOf(x[i]!));
      }
    }
    const out = sim.run({ x: raws }, raws.length).outputs.y!;
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = codeOf(out[slot[x[i]! - base]!]!);
    for (const c of used) slot[c] = -1;
    return y;
  };
}
