import { Netlist, type Bit, type MultiplierTrace } from '../netlist/index.js';
import { range, resize } from '../verilog/rtl.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import type { BitMap } from './front.js';
import { portEvaluator } from './evaluate.js';
import { readBits, sliceNetlist } from './slice.js';
import type { ProofStage } from './unit-types.js';

/** The multiplier's operand ports: x gives the columns, y the rows (one row per bit of y). */
export interface MultiplierPorts {
  readonly x: string;
  readonly y: string;
  readonly signedX: boolean;
  readonly signedY: boolean;
}

export type StagesResult =
  | { readonly proven: true; readonly frontier: readonly Bit[]; readonly map: readonly BitMap[]; readonly stages: readonly ProofStage[] }
  | { readonly proven: false; readonly why: string; readonly stages: readonly ProofStage[]; readonly hint?: Readonly<Record<string, bigint>> };

const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** A W-bit vector of cut nets as a Verilog concatenation: constants, bits of port p, or bits of ports x, y. */
function vector(bits: readonly Bit[], names: ReadonlyMap<Bit, string>): string {
  return `{${[...bits]
    .reverse()
    .map((b) => (b <= 1 ? `1'b${b}` : names.get(b)!))
    .join(', ')}}`;
}

interface Ctx {
  readonly net: Netlist;
  readonly ports: MultiplierPorts;
  readonly xBits: readonly Bit[];
  readonly yBits: readonly Bit[];
  readonly w: number;
  readonly timeoutSeconds?: number;
  /** Input of each inverter, by output. */
  readonly inverterOf: ReadonlyMap<Bit, Bit>;
}

/** n -> c for each cut net c = ~n: slices read n as ~c. */
function complementsOf(c: Ctx, cutBits: readonly Bit[]): Map<Bit, Bit> {
  const m = new Map<Bit, Bit>();
  for (const b of cutBits) {
    const n = c.inverterOf.get(b);
    if (n !== undefined) m.set(n, b);
  }
  return m;
}

/** Distinct non-constant nets of a cut that are not operand bits, and every cut bit's Verilog name. */
function cutPort(c: Ctx, vecs: readonly (readonly Bit[])[]): { bits: Bit[]; names: Map<Bit, string> } {
  const names = new Map<Bit, string>();
  c.xBits.forEach((b, i) => names.set(b, `x[${i}]`));
  c.yBits.forEach((b, i) => names.set(b, `y[${i}]`));
  const bits: Bit[] = [];
  for (const b of vecs.flat()) if (b > 1 && !names.has(b)) names.set(b, `p[${bits.push(b) - 1}]`);
  return { bits, names };
}

const portsDecl = (c: Ctx, p: number, out: string) =>
  `(input wire ${range(Math.max(p, 1))} p, input wire ${range(c.xBits.length)} x, input wire ${range(c.yBits.length)} y, output wire ${out})`;

/**
 * Stage t's contract, written from the arithmetic (not from the netlist):
 * S_t + C_t = S_{t-1} + C_{t-1} + k + sum over the y bits b the stage reads of
 * s_b * 2^b * y_b * X (mod 2^W), X the value of x, s_b = -1 for the sign bit
 * of a signed y, else +1; k the stage's constant (its value at all-zero inputs).
 */
function stageSpec(c: Ctx, prev: readonly (readonly Bit[])[], names: Map<Bit, string>, p: number, reads: number[], k: bigint): string {
  const X = resize('x', c.xBits.length, c.ports.signedX, c.w);
  const terms = reads.map((b) => {
    const neg = c.ports.signedY && b === c.yBits.length - 1;
    return ` ${neg ? '-' : '+'} (y[${b}] ? (xw << ${b}) : ${c.w}'d0)`;
  });
  return [
    `module stage_spec ${portsDecl(c, p, `${range(c.w)} v`)};`,
    `  wire ${range(c.w)} xw = ${X};`,
    `  assign v = ${prev.map((v) => vector(v, names)).join(' + ') || `${c.w}'d0`} + ${c.w}'h${k.toString(16)}${terms.join('')};`,
    'endmodule',
    '',
  ].join('\n');
}

function stageImpl(c: Ctx, p: number): string {
  return [
    `module stage_impl ${portsDecl(c, p, `${range(c.w)} v`)};`,
    `  wire ${range(c.w)} s, c;`,
    `  stage_net u (${p > 0 ? '.p(p), ' : ''}.x(x), .y(y), .s(s), .c(c));`,
    '  assign v = s + c;',
    'endmodule',
    '',
  ].join('\n');
}

/** The stage's constant k: S + C at all-zero inputs. */
function stageConstant(slice: Netlist, w: number): bigint {
  const o = portEvaluator(slice)({});
  return BigInt.asUintN(w, o['s']! + o['c']!);
}

/** One Yosys SAT call: the slice's S + C against stageSpec. Returns the x, y of a counterexample, or undefined when proven. */
async function proveStage(c: Ctx, t: number, prev: readonly (readonly Bit[])[], cur: readonly (readonly Bit[])[]): Promise<ProofStage & { fail?: string; hint?: Record<string, bigint>; reads?: number[]; k?: bigint }> {
  const c0 = cpuNow();
  const { bits, names } = cutPort(c, prev);
  const ins = [...(bits.length > 0 ? [{ name: 'p', bits }] : []), { name: 'x', bits: c.xBits }, { name: 'y', bits: c.yBits }];
  const slice = sliceNetlist(
    c.net,
    'stage_net',
    ins,
    [
      { name: 's', bits: cur[0]! },
      { name: 'c', bits: cur[1]! },
    ],
    complementsOf(c, bits),
  );
  const what = `multiplier carry-save stage ${t}: S + C = previous S + C + its row`;
  if (!slice) return { what, method: 'sat', vectors: 0, cpuSeconds: cpuNow() - c0, fail: `stage ${t} reads nets outside its cut` };
  const reads = readBits(slice, c.yBits),
    k = stageConstant(slice, c.w);
  const r = await yosysEquivalent(
    { 'spec.v': stageSpec(c, prev, names, bits.length, reads, k) },
    'stage_spec',
    { 'impl.v': stageImpl(c, bits.length), 'stage_net.v': structuralVerilog(slice, 'stage_net') },
    'stage_impl',
    { timeoutSeconds: c.timeoutSeconds },
  );
  const base = { what, method: 'sat' as const, vectors: 0, cpuSeconds: cpuNow() - c0, reads, k };
  if (r.outcome === 'proved') return base;
  const m = r.counterexample?.[0] ?? {};
  return { ...base, fail: `stage ${t} is not the running row sum (${r.outcome})`, hint: { x: m['x'] ?? 0n, y: m['y'] ?? 0n } };
}

/** The final adder: each frontier net is bit col of S_T + C_T. */
async function proveFinal(c: Ctx, last: readonly (readonly Bit[])[], frontier: readonly Bit[], cols: readonly number[]): Promise<ProofStage & { fail?: string }> {
  const c0 = cpuNow();
  const { bits, names } = cutPort(c, last);
  const ins = [...(bits.length > 0 ? [{ name: 'p', bits }] : []), { name: 'x', bits: c.xBits }, { name: 'y', bits: c.yBits }];
  const slice = sliceNetlist(c.net, 'final_net', ins, [{ name: 'f', bits: frontier }], complementsOf(c, bits));
  const what = `multiplier final adder: the ${frontier.length} product bits the rest reads are bits of S + C`;
  if (!slice) return { what, method: 'sat', vectors: 0, cpuSeconds: cpuNow() - c0, fail: 'the final adder reads nets outside its cut' };
  const spec = [
    `module final_spec ${portsDecl(c, bits.length, `${range(frontier.length)} f`)};`,
    `  wire ${range(c.w)} v = ${last.map((v) => vector(v, names)).join(' + ')};`,
    `  assign f = {${[...cols].reverse().map((k) => `v[${k}]`).join(', ')}};`,
    'endmodule',
    '',
  ].join('\n');
  const r = await yosysEquivalent({ 'spec.v': spec }, 'final_spec', { 'impl.v': structuralVerilog(slice, 'final_net') }, 'final_net', {
    timeoutSeconds: c.timeoutSeconds,
  });
  return { what, method: 'sat', vectors: 0, cpuSeconds: cpuNow() - c0, ...(r.outcome === 'proved' ? {} : { fail: `the final adder is not S + C (${r.outcome})` }) };
}

/**
 * Proves an array multiplier inside `net` (combinational, registers
 * transparent, the trace's cells restored: withTraceCells) by its cut points: the carry-save pairs (S_t, C_t) the
 * generator reports (`trace`, hints only). Each stage's contract is one small
 * Yosys SAT call with the previous cut and the operands free; the final
 * adder's is another. Composition (the arithmetic lemma): when every bit b of
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
    const cut = productCut(net, trace, ports);
  if (!cut) return { proven: false, why: 'the product bits are not the only nets the rest of the circuit reads from the multiplier', stages: [] };
  const inverterOf = new Map(net.cells.filter((x) => x.type === '$_NOT_').map((x) => [x.output, x.inputs[0]!] as const));
  const c: Ctx = { net, ports, xBits: net.port(ports.x).bits, yBits: net.port(ports.y).bits, w: cut.w, timeoutSeconds, inverterOf };
  const trunc = (v: readonly Bit[]) => v.slice(0, c.w);
  const stages: ProofStage[] = [];
  const seen = new Map<number, number>();
  let prev: (readonly Bit[])[] = [],
    k = 0n;
  for (const [t, st] of trace.stages.entries()) {
    const cur = [trunc(st.s), trunc(st.c)];
    const r = await proveStage(c, t, prev, cur);
    stages.push({ what: r.what, method: r.method, vectors: 0, cpuSeconds: r.cpuSeconds });
    if (r.fail) return { proven: false, why: r.fail, stages, ...(r.hint ? { hint: r.hint } : {}) };
    for (const b of r.reads!) seen.set(b, (seen.get(b) ?? 0) + 1);
    k += r.k!;
    prev = cur;
  }
  const lemma = checkLemma(seen, c.yBits.length, k, c.w);
  if (lemma) return { proven: false, why: lemma, stages };
  const f = await proveFinal(c, prev, cut.frontier, cut.cols);
  stages.push({ what: f.what, method: 'sat', vectors: 0, cpuSeconds: f.cpuSeconds });
  if (f.fail) return { proven: false, why: f.fail, stages };
  return { proven: true, frontier: cut.frontier, map: cut.cols.map((bit) => ({ bit, invert: false })), stages };
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
function productCut(net: Netlist, trace: MultiplierTrace, ports: MultiplierPorts): { frontier: Bit[]; cols: number[]; w: number } | undefined {
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
  return { frontier: used.map((s) => s.b), cols: used.map((s) => s.col), w: Math.min(trace.width, 1 + Math.max(...used.map((s) => s.col))) };
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
