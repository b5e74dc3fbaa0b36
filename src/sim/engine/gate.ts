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
export function gateLayer(net: Netlist, rawOf: (code: number) => number, codeOf: (raw: number) => number): (x: Float64Array) => Float64Array {
  const sim = new CircuitSimulator(net);
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
