import { UserError } from '../errors.js';
import { Netlist, netlistSchedule, type Bit } from '../netlist/index.js';

/**
 * Whether a clocked netlist is a plain pipeline: every register is clocked by
 * `clk`, no register feeds back, and each cell's non-constant inputs all lie
 * the same number of registers after the input ports, counting input port p
 * as `inputRanks[p]` registers late; every bit of output port q must then lie
 * `outputRanks[q]` registers after. Then output q at cycle t is the
 * register-transparent function of each input p at cycle
 * t - (outputRanks[q] - inputRanks[p]), so proving the transparent function
 * proves the pipeline. Throws UserError naming the first violation.
 */
export function checkPipelineRanks(net: Netlist, inputRanks: Record<string, number>, outputRanks: Record<string, number>): void {
  const clk = net.inputs().find((p) => p.name === 'clk')?.bits[0];
  const rank = new Map<Bit, number>(Object.entries(inputRanks).flatMap(([p, r]) => net.port(p).bits.map((b) => [b, r] as const)));
  const rankOf = (b: Bit): number | undefined => (b <= 1 ? undefined : rank.get(b));
  const sched = netlistSchedule(net, 'state');
  const deepest = Math.max(...Object.values(outputRanks));
  const what = Object.entries(outputRanks)
    .map(([q, r]) => `${q} ${r}`)
    .join(', ');
  // Registers read their D after it is computed: repeat until every rank settles (at most deepest + 1 rounds).
  for (let round = 0; round <= deepest + 1; round++) {
    for (const r of sched.registers) {
      if (r.inputs[1] !== clk) throw new UserError(`unit '${net.name}': a register is not clocked by port clk`);
      const d = rankOf(r.inputs[0]);
      if (d !== undefined) rank.set(r.output, d + 1);
    }
    for (const c of sched.order) {
      const ranks = new Set(c.inputs.map(rankOf).filter((v) => v !== undefined));
      if (ranks.size > 1)
        throw new UserError(
          `unit '${net.name}': paths from the inputs with different register counts meet at one gate; expected a plain pipeline (register stages: ${what})`,
        );
      if (ranks.size === 1) rank.set(c.output, [...ranks][0]!);
    }
  }
  for (const [q, want] of Object.entries(outputRanks)) {
    for (const b of net.port(q).bits) {
      const r = rankOf(b);
      if (r !== undefined && r !== want)
        throw new UserError(`unit '${net.name}': ${q} is ${r} register stage(s) after the inputs, expected ${want}`);
    }
  }
  if ([...rank.values()].some((r) => r > deepest))
    throw new UserError(
      `unit '${net.name}': registers feed back or run past the outputs; expected a plain pipeline (register stages: ${what})`,
    );
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
