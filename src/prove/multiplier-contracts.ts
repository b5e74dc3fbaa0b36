import { createHash } from 'node:crypto';
import type { Bit, Netlist } from '../netlist/index.js';
import { range, resize } from '../verilog/rtl.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import { portEvaluator } from './evaluate.js';
import { readBits, sliceNetlist } from './slice.js';

/** What the multiplier's stage contracts need to know: the netlist, operand bits and signedness, the modulus 2^w. */
export interface Ctx {
  readonly net: Netlist;
  readonly signedX: boolean;
  readonly signedY: boolean;
  readonly xBits: readonly Bit[];
  readonly yBits: readonly Bit[];
  readonly w: number;
  /** Input of each inverter, by output. */
  readonly inverterOf: ReadonlyMap<Bit, Bit>;
}

/**
 * One contract of the decomposition: module `<id>_spec` (written from the
 * arithmetic) and module `<id>_impl` (the slice of the netlist, `<id>_net`,
 * wrapped), both with ports p (the previous cut, free), x, y -> o.
 */
export interface Contract {
  readonly id: string;
  readonly what: string;
  readonly pWidth: number;
  readonly oWidth: number;
  readonly files: Record<string, string>;
  readonly spec: string;
  /** Row operand bits the slice reads, and its constant (S + C at all-zero inputs); stage contracts only. */
  readonly reads?: readonly number[];
  readonly k?: bigint;
  /** Both sides at raw (p, x, y), in JavaScript: names the failing contract of a counterexample of the joint call. */
  readonly check: (p: bigint, x: bigint, y: bigint) => boolean;
}

/** The value of a cut vector at raw (p, x, y), bit names as `vector` writes them. */
function vectorValue(bits: readonly Bit[], names: ReadonlyMap<Bit, string>, at: Record<string, bigint>): bigint {
  let v = 0n;
  bits.forEach((b, i) => {
    const m = b <= 1 ? undefined : /^(\w)\[(\d+)\]$/.exec(names.get(b)!);
    const bit = b <= 1 ? BigInt(b) : (at[m![1]!]! >> BigInt(m![2]!)) & 1n;
    v |= bit << BigInt(i);
  });
  return v;
}

/** A W-bit vector of cut nets as a Verilog concatenation: constants, bits of port p, or bits of ports x, y. */
function vector(bits: readonly Bit[], names: ReadonlyMap<Bit, string>): string {
  return `{${[...bits]
    .reverse()
    .map((b) => (b <= 1 ? `1'b${b}` : names.get(b)!))
    .join(', ')}}`;
}

/** Distinct non-constant nets of a cut that are not operand bits (port p), and every cut bit's Verilog name. */
function cutPort(c: Ctx, vecs: readonly (readonly Bit[])[]): { bits: Bit[]; names: Map<Bit, string> } {
  const names = new Map<Bit, string>();
  c.xBits.forEach((b, i) => names.set(b, `x[${i}]`));
  c.yBits.forEach((b, i) => names.set(b, `y[${i}]`));
  const bits: Bit[] = [];
  for (const b of vecs.flat()) if (b > 1 && !names.has(b)) names.set(b, `p[${bits.push(b) - 1}]`);
  return { bits, names };
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

const header = (c: Ctx, name: string, p: number, o: number) =>
  `module ${name} (input wire ${range(Math.max(p, 1))} p, input wire ${range(c.xBits.length)} x, input wire ${range(c.yBits.length)} y, output wire ${range(o)} o);`;

/** The slice from the cut `prev` (and the operands) to `outs`, or undefined when it reads outside them. */
function slice(c: Ctx, id: string, prev: readonly (readonly Bit[])[], outs: { name: string; bits: readonly Bit[] }[]) {
  const { bits, names } = cutPort(c, prev);
  const ins = [...(bits.length > 0 ? [{ name: 'p', bits }] : []), { name: 'x', bits: c.xBits }, { name: 'y', bits: c.yBits }];
  const net = sliceNetlist(c.net, `${id}_net`, ins, outs, complementsOf(c, bits));
  return net ? { net, bits, names } : undefined;
}

/**
 * Stage t's contract, written from the arithmetic (not from the netlist):
 * S_t + C_t = S_{t-1} + C_{t-1} + k + sum over the y bits b the stage reads of
 * s_b * 2^b * y_b * X (mod 2^W), X the value of x, s_b = -1 for the sign bit
 * of a signed y, else +1; k the stage's constant (its value at all-zero inputs).
 */
export function stageContract(c: Ctx, t: number, prev: readonly (readonly Bit[])[], cur: readonly (readonly Bit[])[]): Contract | undefined {
  const id = `stage${t}`;
  const sl = slice(c, id, prev, [
    { name: 's', bits: cur[0]! },
    { name: 'c', bits: cur[1]! },
  ]);
  if (!sl) return undefined;
  const reads = readBits(sl.net, c.yBits);
  const z = portEvaluator(sl.net)({});
  const k = BigInt.asUintN(c.w, z['s']! + z['c']!);
  const terms = reads.map((b) => ` ${c.signedY && b === c.yBits.length - 1 ? '-' : '+'} (y[${b}] ? (xw << ${b}) : ${c.w}'d0)`);
  const p = sl.bits.length;
  const prevSum = prev.map((v) => vector(v, sl.names)).join(' + ') || `${c.w}'d0`;
  const spec = [
    header(c, `${id}_spec`, p, c.w),
    `  wire ${range(c.w)} xw = ${resize('x', c.xBits.length, c.signedX, c.w)};`,
    `  assign o = ${prevSum} + ${c.w}'h${k.toString(16)}${terms.join('')};`,
    'endmodule',
  ].join('\n');
  const impl = [
    header(c, `${id}_impl`, p, c.w),
    `  wire ${range(c.w)} s, c;`,
    `  ${id}_net u (${p > 0 ? '.p(p), ' : ''}.x(x), .y(y), .s(s), .c(c));`,
    '  assign o = s + c;',
    'endmodule',
  ].join('\n');
  const files = { [`${id}_impl.v`]: impl, [`${id}_net.v`]: structuralVerilog(sl.net, `${id}_net`) };
  const ev = portEvaluator(sl.net),
    mod = (v: bigint) => BigInt.asUintN(c.w, v);
  const check = (pv: bigint, x: bigint, y: bigint): boolean => {
    const o = ev({ p: pv, x, y }),
      at = { p: pv, x, y };
    const X = c.signedX ? BigInt.asIntN(c.xBits.length, x) : x;
    const rows = reads.reduce((acc, b) => {
      const term = (y >> BigInt(b)) & 1n ? X << BigInt(b) : 0n;
      return c.signedY && b === c.yBits.length - 1 ? acc - term : acc + term;
    }, 0n);
    return mod(o['s']! + o['c']!) === mod(prev.reduce((a, v) => a + vectorValue(v, sl.names, at), 0n) + k + rows);
  };
  return { id, what: `carry-save stage ${t}: S + C = previous S + C + its row`, pWidth: p, oWidth: c.w, files, spec, reads, k, check };
}

/** The final adder's contract: each frontier net is bit col of S_T + C_T. */
export function finalContract(c: Ctx, last: readonly (readonly Bit[])[], frontier: readonly Bit[], cols: readonly number[]): Contract | undefined {
  const sl = slice(c, 'final', last, [{ name: 'f', bits: frontier }]);
  if (!sl) return undefined;
  const p = sl.bits.length,
    n = frontier.length;
  const spec = [
    header(c, 'final_spec', p, n),
    `  wire ${range(c.w)} v = ${last.map((v) => vector(v, sl.names)).join(' + ')};`,
    `  assign o = {${[...cols]
      .reverse()
      .map((k) => `v[${k}]`)
      .join(', ')}};`,
    'endmodule',
  ].join('\n');
  const impl = [header(c, 'final_impl', p, n), `  final_net u (${p > 0 ? '.p(p), ' : ''}.x(x), .y(y), .f(o));`, 'endmodule'].join('\n');
  const files = { 'final_impl.v': impl, 'final_net.v': structuralVerilog(sl.net, 'final_net') };
  const ev = portEvaluator(sl.net);
  const check = (pv: bigint, x: bigint, y: bigint): boolean => {
    const v = last.reduce((a, vec) => a + vectorValue(vec, sl.names, { p: pv, x, y }), 0n);
    return cols.every((col, i) => ((ev({ p: pv, x, y })['f']! >> BigInt(i)) & 1n) === ((v >> BigInt(col)) & 1n));
  };
  return { id: 'final', what: `final adder: the ${n} product bits the rest reads are bits of S + C`, pWidth: p, oWidth: n, files, spec, check };
}

/** A top module instantiating every contract's `<id>_<side>` with its own p port (`<id>_p`) and output (`<id>_o`). */
function top(c: Ctx, name: string, side: 'spec' | 'impl', cs: readonly Contract[]): string {
  const ports = [
    ...cs.map((k) => `input wire ${range(Math.max(k.pWidth, 1))} ${k.id}_p`),
    `input wire ${range(c.xBits.length)} x`,
    `input wire ${range(c.yBits.length)} y`,
    ...cs.map((k) => `output wire ${range(k.oWidth)} ${k.id}_o`),
  ];
  return [
    `module ${name} (${ports.join(', ')});`,
    ...cs.map((k) => `  ${k.id}_${side} u_${k.id} (.p(${k.id}_p), .x(x), .y(y), .o(${k.id}_o));`),
    'endmodule',
    '',
  ].join('\n');
}

/**
 * Every contract in one Yosys SAT call (their inputs are independent, so the
 * miter is proven exactly when each contract is). On failure, the failing
 * contract is the first whose two sides differ at Yosys's counterexample
 * (evaluated in JavaScript); its operand values are returned as a hint.
 */
export async function proveContracts(
  c: Ctx,
  cs: readonly Contract[],
  timeoutSeconds?: number,
): Promise<{ proven: true } | { proven: false; failed?: Contract; hint: Record<string, bigint>; outcome: string }> {
  const r = await runContracts(c, cs, timeoutSeconds);
  if (r.outcome === 'proved') return { proven: true };
  const m = r.counterexample?.[0] ?? {};
  const x = m['x'] ?? 0n,
    y = m['y'] ?? 0n;
  const failed = r.counterexample ? cs.find((k) => !k.check(m[`${k.id}_p`] ?? 0n, x, y)) : undefined;
  return { proven: false, outcome: r.outcome, hint: { x, y }, ...(failed ? { failed } : {}) };
}

/**
 * Contract sets proven in this process, by the hash of their Verilog (both
 * sides): the same text is the same proof obligation, so a unit that differs
 * from a proven one outside its multiplier (or is proven twice) reuses the proof.
 */
const provenContracts = new Set<string>();

async function runContracts(c: Ctx, cs: readonly Contract[], timeoutSeconds?: number) {
  const spec = { 'contracts_spec.v': [...cs.map((k) => k.spec), top(c, 'contracts_spec', 'spec', cs)].join('\n') };
  const impl = Object.assign({ 'contracts_impl.v': top(c, 'contracts_impl', 'impl', cs) }, ...cs.map((k) => k.files)) as Record<string, string>;
  const h = createHash('sha256');
  for (const [n, t] of Object.entries({ ...spec, ...impl }).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${n}\0${t}\0`);
  const key = h.digest('hex');
  if (provenContracts.has(key)) return { outcome: 'proved' as const, counterexample: undefined };
  const r = await yosysEquivalent(spec, 'contracts_spec', impl, 'contracts_impl', { timeoutSeconds });
  if (r.outcome === 'proved') provenContracts.add(key);
  return r;
}
