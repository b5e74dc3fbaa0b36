import { UserError } from '../errors.js';
import { Netlist, type Bit, type Port } from './ir.js';
import { schedule } from './sim/schedule.js';

/** Most register ranks `pipeline` inserts: far beyond any useful latency, small enough to build. */
export const MAX_PIPELINE_STAGES = 1024;

/**
 * Retime-free pipelining: `stages` register ranks are inserted at logic-level
 * cuts of a combinational netlist, so every input-to-output path crosses
 * exactly `stages` registers (latency = stages cycles, one result per cycle).
 * With D the logic depth, rank k (1..N) sits after level floor(k*D/(N+1)):
 * the N+1 segments have near-equal depth. A cell at level l belongs to stage
 * #{k : cut_k < l}; each net is delayed by a chain of $_DFF_P_ (shared by all
 * readers) up to its reader's stage, and output bits up to stage N. Constant
 * bits need no registers. A new input port 'clk' (first port) clocks them all.
 */
export function pipeline(net: Netlist, stages: number): Netlist {
  if (!Number.isInteger(stages) || stages < 0 || stages > MAX_PIPELINE_STAGES)
    throw new UserError(`pipeline stages must be an integer 0..${MAX_PIPELINE_STAGES}, got ${stages}`);
  if (net.cells.some((c) => c.type === '$_DFF_P_'))
    throw new UserError(`netlist '${net.name}' already has registers; pipeline takes a combinational netlist`);
  if (net.ports.some((p) => p.name === 'clk')) throw new UserError(`netlist '${net.name}' already has a port named 'clk'`);
  const order = schedule(net, 'state').order;
  const level = new Map<Bit, number>();
  for (const c of order) level.set(c.output, 1 + Math.max(0, ...c.inputs.map((i) => level.get(i) ?? 0)));
  const depth = Math.max(0, ...net.outputs().flatMap((p) => p.bits.map((b) => level.get(b) ?? 0)));
  const cuts = Array.from({ length: stages }, (_, k) => Math.floor(((k + 1) * depth) / (stages + 1)));
  const stageOf = (b: Bit): number => {
    const l = level.get(b) ?? 0;
    return cuts.filter((c) => c < l).length;
  };
  const out = new Netlist(net.name);
  out.nextNet = net.nextNet;
  const clk = out.newNet();
  const chains = new Map<Bit, Bit[]>();
  const delayed = (b: Bit, from: number, to: number): Bit => {
    if (b <= 1 || to <= from) return b;
    let chain = chains.get(b);
    if (!chain) chains.set(b, (chain = [b]));
    while (chain.length <= to - from) chain.push(out.addCell('$_DFF_P_', [chain[chain.length - 1], clk]));
    return chain[to - from];
  };
  for (const c of order) {
    const s = stageOf(c.output);
    out.addCell(
      c.type,
      c.inputs.map((i) => delayed(i, stageOf(i), s)),
      c.output,
    );
  }
  const ports: Port[] = [{ name: 'clk', direction: 'input', bits: [clk] }];
  for (const p of net.ports) {
    ports.push(p.direction === 'input' ? p : { ...p, bits: p.bits.map((b) => delayed(b, stageOf(b), stages)) });
  }
  out.ports.push(...ports);
  return out;
}
