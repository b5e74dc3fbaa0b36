import { UserError } from '../errors.js';
import { Netlist, netlistSchedule, type Bit } from '../netlist/index.js';

/**
 * Whether a clocked netlist is a plain pipeline of `latency` stages: every
 * register is clocked by `clk`, no register feeds back, and every path from x
 * to a bit of y passes exactly `latency` registers (each cell's non-constant
 * inputs all lie the same number of registers from x). Then y at cycle t is
 * the register-transparent function of x at cycle t - latency, so proving the
 * transparent function proves the pipeline. Throws UserError naming the
 * first violation.
 */
export function checkPipeline(net: Netlist, latency: number): void {
  const clk = net.inputs().find((p) => p.name === 'clk')?.bits[0];
  const rank = new Map<Bit, number>(net.port('x').bits.map((b) => [b, 0]));
  const rankOf = (b: Bit): number | undefined => (b <= 1 ? undefined : rank.get(b));
  const sched = netlistSchedule(net, 'state');
  // Registers read their D after it is computed: repeat until every rank settles (at most latency + 1 rounds).
  for (let round = 0; round <= latency + 1; round++) {
    for (const r of sched.registers) {
      if (r.inputs[1] !== clk) throw new UserError(`unit '${net.name}': a register is not clocked by port clk`);
      const d = rankOf(r.inputs[0]);
      if (d !== undefined) rank.set(r.output, d + 1);
    }
    for (const c of sched.order) {
      const ranks = new Set(c.inputs.map(rankOf).filter((v) => v !== undefined));
      if (ranks.size > 1) throw new UserError(`unit '${net.name}': paths from x with different register counts meet at one gate; --latency needs a plain ${latency}-stage pipeline`);
      if (ranks.size === 1) rank.set(c.output, [...ranks][0]!);
    }
  }
  for (const b of net.port('y').bits) {
    const r = rankOf(b);
    if (r !== undefined && r !== latency) throw new UserError(`unit '${net.name}': y is ${r} register stage(s) after x, --latency says ${latency}`);
  }
  if (latency > 0 && [...rank.values()].some((r) => r > latency)) throw new UserError(`unit '${net.name}': registers feed back or run past y; --latency needs a plain ${latency}-stage pipeline`);
}

/** The netlist with registers made transparent (Q replaced by the net it copies) and no clk port. */
export function transparentCopy(net: Netlist): Netlist {
  const sched = netlistSchedule(net, 'transparent');
  const map = (b: Bit): Bit => sched.alias.get(b) ?? b;
  const out = new Netlist(net.name);
  out.nextNet = net.nextNet;
  for (const p of net.ports) {
    if (p.name !== 'clk') out.ports.push({ name: p.name, direction: p.direction, bits: p.bits.map(map) });
  }
  for (const c of sched.order) out.cells.push({ type: c.type, inputs: c.inputs.map(map), output: c.output });
  return out;
}
