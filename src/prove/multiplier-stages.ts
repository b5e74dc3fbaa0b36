import { Netlist, type Bit, type MultiplierTrace } from '../netlist/index.js';
import type { BitMap } from './front.js';
import { finalContract, proveContracts, stageContract, type Contract, type Ctx } from './multiplier-contracts.js';
import { sliceNetlist } from './slice.js';
import type { ProofStage } from './unit-types.js';
import { cpuNow } from './clock.js';

/** The multiplier's operand ports: x gives the columns, y the rows (one row per bit of y). */
export interface MultiplierPorts {
  readonly x: string;
  readonly y: string;
  readonly signedX: boolean;
  readonly signedY: boolean;
}

export type StagesResult =
  | { readonly proven: true; readonly frontier: readonly Bit[]; readonly map: readonly BitMap[]; readonly stages: readonly ProofStage[] }
  | {
      readonly proven: false;
      readonly why: string;
      readonly stages: readonly ProofStage[];
      readonly hint?: Readonly<Record<string, bigint>>;
    };

/**
 * Proves an array multiplier inside `net` (combinational, registers
 * transparent, the trace's cells restored: withTraceCells) by its cut
 * points: the carry-save pairs (S_t, C_t) the generator reports (`trace`,
 * hints only). Each stage's contract (multiplier-contracts.ts) has the
 * previous cut and the operands free, the final adder's too; each is one
 * small Yosys SAT call. Composition (the arithmetic lemma): when every bit b of
 * y is read by exactly one stage and the stage constants sum to 0 mod 2^W,
 * S_T + C_T = sum_b s_b 2^b y_b X = X * Y (mod 2^W), so each frontier net
 * (a sum bit the rest of the circuit reads, at column col < W) is bit col of
 * the exact product. Returns those nets and their columns.
 */
export async function proveMultiplierStages(
  net: Netlist,
  trace: MultiplierTrace,
  ports: MultiplierPorts,
  timeoutSeconds?: number,
): Promise<StagesResult> {
  const c0 = cpuNow();
  const cut = productCut(net, trace, ports);
  if (!cut)
    return { proven: false, why: 'the product bits are not the only nets the rest of the circuit reads from the multiplier', stages: [] };
  const inverterOf = new Map(net.cells.filter((x) => x.type === '$_NOT_').map((x) => [x.output, x.inputs[0]!] as const));
  const c: Ctx = { net, ...ports, xBits: net.port(ports.x).bits, yBits: net.port(ports.y).bits, w: cut.w, inverterOf };
  const trunc = (v: readonly Bit[]) => v.slice(0, c.w);
  const cs: Contract[] = [];
  let prev: (readonly Bit[])[] = [];
  for (const [t, st] of trace.stages.entries()) {
    const cur = [trunc(st.s), trunc(st.c)];
    const k = stageContract(c, t, prev, cur);
    if (!k) return { proven: false, why: `carry-save stage ${t} reads nets outside its cut`, stages: [] };
    cs.push(k);
    prev = cur;
  }
  const seen = new Map<number, number>();
  for (const b of cs.flatMap((k) => k.reads!)) seen.set(b, (seen.get(b) ?? 0) + 1);
  const lemma = checkLemma(
    seen,
    c.yBits.length,
    cs.reduce((s, k) => s + k.k!, 0n),
    c.w,
  );
  if (lemma) return { proven: false, why: lemma, stages: [] };
  const fin = finalContract(c, prev, cut.frontier, cut.cols);
  if (!fin) return { proven: false, why: 'the final adder reads nets outside its cut', stages: [] };
  cs.push(fin);
  const r = await proveContracts(c, cs, timeoutSeconds);
  const stage: ProofStage = {
    what: `multiplier: ${cs.length - 1} carry-save stage contracts and the final adder's (the ${cut.frontier.length} product bits the rest reads are bits of the exact product), composed by the row-sum lemma`,
    method: 'sat',
    vectors: 0,
    cpuSeconds: cpuNow() - c0,
  };
  if (!r.proven) return { proven: false, why: `multiplier ${r.failed.what}: not proven (${r.outcome})`, stages: [stage], hint: r.hint };
  return { proven: true, frontier: cut.frontier, map: cut.cols.map((bit) => ({ bit, invert: false })), stages: [stage] };
}

/** The composition's side conditions; a message when one fails. */
function checkLemma(seen: ReadonlyMap<number, number>, m: number, k: bigint, w: number): string | undefined {
  for (let b = 0; b < m; b++)
    if (seen.get(b) !== 1) return `bit ${b} of the row operand is read by ${seen.get(b) ?? 0} carry-save stages, not exactly one`;
  if (BigInt.asUintN(w, k) !== 0n) return `the stage constants sum to ${BigInt.asUintN(w, k)}, not 0 modulo 2^${w}`;
  return undefined;
}

/**
 * The cut at the multiplier's output: the product bits (the trace's sum
 * vector) that cells outside the multiplier, or output ports, read; W = one
 * more than the highest such column. Undefined when the multiplier's cone is
 * not a function of the operands or no product bit is read.
 */
function productCut(
  net: Netlist,
  trace: MultiplierTrace,
  ports: MultiplierPorts,
): { frontier: Bit[]; cols: number[]; w: number } | undefined {
  const driven = new Set<Bit>(net.cells.map((c) => c.output));
  const sum = trace.sum.map((b, col) => ({ b, col })).filter((s) => driven.has(s.b));
  const ins = [ports.x, ports.y].map((name) => ({ name, bits: net.port(name).bits }));
  const mult = sliceNetlist(net, 'multiplier', ins, [{ name: 'p', bits: sum.map((s) => s.b) }]);
  if (!mult) return undefined;
  const inside = new Set<Bit>(mult.cells.map((c) => c.output));
  const read = new Set<Bit>(net.cells.filter((c) => !inside.has(c.output)).flatMap((c) => c.inputs));
  for (const p of net.outputs()) for (const b of p.bits) read.add(b);
  const used = sum.filter((s) => read.has(s.b));
  if (used.length === 0) return undefined;
  return {
    frontier: used.map((s) => s.b),
    cols: used.map((s) => s.col),
    w: Math.min(trace.width, 1 + Math.max(...used.map((s) => s.col))),
  };
}

/**
 * A copy of `net` with the trace's cells that `prune` removed put back. Each
 * drives a net no cell of `net` reads and no port holds (else it would not
 * have been removed), so every net of `net` keeps its function; they give the
 * cut nets the trace names a driver. Registers stay: transparentCopy after.
 */
export function withTraceCells(net: Netlist, trace: MultiplierTrace): Netlist {
  const driven = new Set<Bit>(net.cells.map((c) => c.output));
  const copy = new Netlist(net.name);
  copy.nextNet = net.nextNet;
  copy.ports.push(...net.ports);
  copy.cells.push(...net.cells, ...trace.cells.filter((c) => !driven.has(c.output)));
  return copy;
}
