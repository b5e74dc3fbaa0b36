import { Netlist, pipeline, toStructuralVerilog } from '../../src/netlist/index.js';

/**
 * An 8-bit HeLU gate netlist built by hand (y[i] = x[i] AND NOT x[7] for
 * i < 7, y[7] = 0), written by the netlist room's structural writer, with
 * `stages` register ranks when asked.
 */
export function structuralHelu8(name: string, stages = 0): string {
  const net = new Netlist(name);
  const x = net.addInput('x', 8);
  const y = x.slice(0, 7).map((b) => net.addCell('$_ANDNOT_', [b, x[7]!]));
  net.addOutput('y', [...y, 0]);
  return toStructuralVerilog(stages > 0 ? pipeline(net, stages) : net);
}
