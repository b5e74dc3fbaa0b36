import { Netlist, netlistSchedule, type Bit } from '../netlist/index.js';

/**
 * A cut of a combinational netlist between the logic that reads only some
 * input ports (the "front", e.g. a multiplier reading w and x) and the rest
 * (the "back", e.g. the accumulator adder reading the product and acc).
 *
 * `frontier` holds the nets computed from the front ports alone (or
 * constants) that the back reads: every path from a front port to an output
 * leaves the front through one of them. So the outputs are a function of
 * (frontier values, the other ports), and the netlist `back` computes it with
 * each frontier net made an input bit: the decomposition a proof may use.
 */
export interface Cut {
  readonly frontier: readonly Bit[];
}

/**
 * The frontier of the front ports' cone towards `outputs` (nets in net-id
 * order). A net is in the front cone when it is a front port bit or every
 * input of its driving cell is in the cone or constant; undriven nets other
 * than port bits count as outside.
 */
export function frontCut(net: Netlist, frontPorts: readonly string[], outputs: readonly Bit[]): Cut {
  const front = new Set<Bit>(frontPorts.flatMap((p) => net.port(p).bits));
  const inFront = (b: Bit): boolean => b <= 1 || front.has(b);
  const order = netlistSchedule(net, 'transparent').order;
  for (const c of order) if (c.inputs.every(inFront)) front.add(c.output);
  const frontier = new Set<Bit>();
  for (const c of order) {
    if (front.has(c.output)) continue;
    for (const b of c.inputs) if (b > 1 && front.has(b)) frontier.add(b);
  }
  for (const b of outputs) if (b > 1 && front.has(b)) frontier.add(b);
  return { frontier: [...frontier].sort((a, b) => a - b) };
}

/**
 * The back of the cut as its own netlist: the cells outside the front cone,
 * the frontier nets driven by input port `cutPort` (bit k = frontier[k]), the
 * ports not in `frontPorts` kept, outputs kept. `net` must be combinational.
 */
export function backNetlist(net: Netlist, cut: Cut, frontPorts: readonly string[], cutPort: string, outputs: readonly string[]): Netlist {
  const front = new Set<Bit>(frontPorts.flatMap((p) => net.port(p).bits));
  const order = netlistSchedule(net, 'transparent').order;
  const frontCells = new Set<Bit>();
  for (const c of order) if (c.inputs.every((b) => b <= 1 || front.has(b) || frontCells.has(b))) frontCells.add(c.output);
  const out = new Netlist(`${net.name}_back`);
  out.nextNet = net.nextNet;
  out.ports.push({ name: cutPort, direction: 'input', bits: [...cut.frontier] });
  for (const p of net.inputs()) if (!frontPorts.includes(p.name) && p.name !== 'clk') out.ports.push({ ...p, bits: [...p.bits] });
  for (const name of outputs) out.ports.push({ name, direction: 'output', bits: [...net.port(name).bits] });
  for (const c of order) if (!frontCells.has(c.output)) out.cells.push({ type: c.type, inputs: [...c.inputs], output: c.output });
  return out;
}

/** Every net that reaches `outputs` through the cells (registers transparent), the outputs included. */
export function coneNets(net: Netlist, outputs: readonly Bit[]): Set<Bit> {
  const driver = new Map<Bit, readonly Bit[]>();
  for (const c of net.cells) driver.set(c.output, c.type === '$_DFF_P_' ? [c.inputs[0]] : c.inputs);
  const seen = new Set<Bit>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (b <= 1 || seen.has(b)) continue;
    seen.add(b);
    stack.push(...(driver.get(b) ?? []));
  }
  return seen;
}

/** Names of the input ports whose bits reach `outputs` through the cells. */
export function portSupport(net: Netlist, outputs: readonly Bit[]): Set<string> {
  const cone = coneNets(net, outputs);
  return new Set(
    net
      .inputs()
      .filter((p) => p.bits.some((b) => cone.has(b)))
      .map((p) => p.name),
  );
}
