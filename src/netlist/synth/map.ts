import type { Netlist } from '../ir.js';
import type { CellLibrary, LibCell } from '../tech/library.js';
import { aigOf, type Aig, type AigOfNetlist } from './aig.js';
import { candidateStructures } from './restructure.js';
import { mergeChoices, type ChoiceAig } from './choices.js';
import { fullMask, mergeCuts, trivialCut, type Cut } from './cuts.js';
import { matchKey, matchTable, type MatchTable } from './match.js';
import { choiceLeaves as leavesOf, less, recoverLiteral, type Choice, type CoverState } from './exact-area.js';
import { CONST, CONST_ONE, mappedFigures, type MappedCell, type MappedNetlist } from './mapped-timing.js';

/**
 * helu-sim's own technology mapping: the netlist as a structurally hashed AIG
 * (aig.ts), its 4-input cuts (cuts.ts) matched against every wiring of the
 * library's cells (match.ts), both polarities of every node (an inverter
 * joins them), in the manner of ABC's cut-based standard-cell mapper:
 * 1. delay: every node polarity takes the match with the earliest arrival
 *    (cell delay = intrinsic + drive x LOAD_INPUTS input pins);
 * 2. required times from the outputs at TARGET_SLACK x that optimal delay,
 *    then two passes of area recovery by area flow (cell area plus the
 *    leaves' area flow, shared over the node's fanout) and two of exact area
 *    (exact-area.ts), each among the matches meeting the required time.
 * Each candidate structure of the AIG (balanced, rewritten, refactored:
 * restructure.ts) is mapped so, and so is their merge with choices
 * (choices.ts: a node's cuts include those of its equivalent nodes in the
 * other versions); the best mapping is kept (mapNetlist).
 * Register outputs are inputs of the logic (at clock-to-Q), register D pins
 * outputs; registers map to the library's flip-flop.
 */
const CUT_LIMIT = 20;
/** Load assumed while choosing matches: this many cell inputs (the final timing uses the real loads). */
const LOAD_INPUTS = 2;
/** Area recovery may lengthen the delay-optimal critical path by this factor (ABC's mapper trades some delay for area too). */
const TARGET_SLACK = 1.1;

interface Best {
  arrival: number;
  flow: number;
  choice: Choice;
}

const TABLES = new WeakMap<CellLibrary, MatchTable>();
function cachedMatchTable(lib: CellLibrary): MatchTable {
  let t = TABLES.get(lib);
  if (!t) TABLES.set(lib, (t = matchTable(lib)));
  return t;
}

class Mapper {
  readonly table: MatchTable;
  readonly inv: LibCell;
  readonly cuts: Cut[][] = [];
  readonly arr: Float64Array;
  readonly flow: Float64Array;
  readonly choice: Choice[];
  readonly req: Float64Array;
  readonly refs: Float64Array;

  constructor(
    readonly aig: Aig,
    readonly lib: CellLibrary,
    readonly outputs: readonly number[],
    readonly regQ: ReadonlySet<number>,
    readonly members: ChoiceAig['members'] = new Map(),
  ) {
    this.table = cachedMatchTable(lib);
    this.inv = libCell(lib, 'INV_X1');
    const lits = 2 * aig.size;
    this.arr = new Float64Array(lits);
    this.flow = new Float64Array(lits);
    this.req = new Float64Array(lits).fill(Infinity);
    this.choice = new Array<Choice>(lits).fill(null);
    this.refs = new Float64Array(aig.size);
    for (let n = 1; n < aig.size; n++) {
      if (!aig.isAnd(n)) continue;
      this.refs[aig.fanin0[n]! >> 1]++;
      this.refs[aig.fanin1[n]! >> 1]++;
    }
    for (const o of outputs) this.refs[o >> 1]++;
  }

  /**
   * Delay of `cell` while choosing matches: LOAD_INPUTS input pins whatever the
   * node's fanout (the final timing uses the real loads). A load taken from the
   * estimated fanout was tried: it maps for less delay than Yosys + ABC reach
   * (16-bit tables 1.2-2.1x faster) at up to 1.6x the area (PE), so the
   * synthesized figure is tracked better by the fixed load.
   */
  delay(cell: LibCell): number {
    return cell.intrinsicPs + cell.drivePsPerFf * cell.pinCapFf * LOAD_INPUTS;
  }

  /** One pass over the nodes in order ('delay' also enumerates the cuts). */
  pass(mode: 'delay' | 'area'): void {
    const dff = this.lib.cells.find((c) => c.setupPs !== undefined);
    for (let n = 0; n < this.aig.size; n++) {
      if (n === 0) {
        this.set(0, { arrival: 0, flow: 0, choice: 'const' });
        this.set(1, { arrival: 0, flow: 0, choice: 'const' });
      } else if (!this.aig.isAnd(n)) {
        const a0 = this.regQ.has(n) && dff ? this.delay(dff) : 0;
        this.set(2 * n, { arrival: a0, flow: 0, choice: null });
        this.set(2 * n + 1, { arrival: a0 + this.delay(this.inv), flow: this.inv.areaUm2, choice: 'inv' });
      } else {
        if (mode === 'delay') this.cuts[n] = this.enumerate(n);
        this.choose(n, mode);
      }
      if (this.cuts[n] === undefined) this.cuts[n] = [];
    }
  }

  set(lit: number, b: Best): void {
    this.arr[lit] = b.arrival;
    this.flow[lit] = b.flow;
    this.choice[lit] = b.choice;
  }

  private enumerate(n: number): Cut[] {
    const f0 = this.aig.fanin0[n]! >> 1,
      f1 = this.aig.fanin1[n]! >> 1;
    const all = mergeCuts(this.aig, n, [...this.cuts[f0]!, trivialCut(f0)], [...this.cuts[f1]!, trivialCut(f1)]);
    for (const { node, phase } of this.members.get(n) ?? []) {
      for (const c of this.cuts[node]!) {
        if (!all.some((a) => sameLeaves(a.leaves, c.leaves)))
          all.push(phase ? { leaves: c.leaves, truth: ~c.truth & fullMask(c.leaves.length) } : c);
      }
    }
    const rank = all.map((cut) => {
      const b0 = this.best(n, cut, 0, 'delay'),
        b1 = this.best(n, cut, 1, 'delay');
      return { cut, arrival: Math.min(b0.arrival, b1.arrival), flow: Math.min(b0.flow, b1.flow) };
    });
    rank.sort((a, b) => a.arrival - b.arrival || a.flow - b.flow || a.cut.leaves.length - b.cut.leaves.length);
    return rank.slice(0, CUT_LIMIT).map((r) => r.cut);
  }

  /** Every match of every kept cut of node n for polarity q. */
  candidates(n: number, q: number): Choice[] {
    const out: Choice[] = [];
    for (const cut of this.cuts[n]!) {
      const m = cut.leaves.length;
      if (m === 0) continue;
      for (const match of this.table.get(matchKey(m, q ? ~cut.truth & fullMask(m) : cut.truth)) ?? []) out.push({ cut, match });
    }
    return out;
  }

  /** The best match of one cut for polarity q of node n. */
  best(n: number, cut: Cut, q: number, mode: 'delay' | 'area'): Best {
    const m = cut.leaves.length;
    let best: Best = { arrival: Infinity, flow: Infinity, choice: null };
    if (m === 0) return { arrival: 0, flow: 0, choice: 'const' };
    const matches = this.table.get(matchKey(m, q ? ~cut.truth & fullMask(m) : cut.truth)) ?? [];
    const share = Math.max(1, this.refs[n]!);
    const req = this.req[2 * n + q]!;
    for (const match of matches) {
      let a = 0,
        f = match.cell.areaUm2;
      for (let j = 0; j < match.leafOfPin.length; j++) {
        const leaf = 2 * cut.leaves[match.leafOfPin[j]!]! + ((match.complemented >> j) & 1);
        a = Math.max(a, this.arr[leaf]!);
        f += this.flow[leaf]!;
      }
      const cand = { arrival: a + this.delay(match.cell), flow: f / share, choice: { cut, match } };
      if (better(cand, best, mode, req)) best = cand;
    }
    return best;
  }

  private choose(n: number, mode: 'delay' | 'area'): void {
    for (const q of [0, 1]) {
      let best: Best = { arrival: Infinity, flow: Infinity, choice: null };
      for (const cut of this.cuts[n]!) {
        const b = this.best(n, cut, q, mode);
        if (better(b, best, mode, this.req[2 * n + q]!)) best = b;
      }
      this.set(2 * n + q, best);
    }
    // An inverter on the other polarity when that is better.
    for (const q of [0, 1]) {
      const via: Best = {
        arrival: this.arr[2 * n + (q ^ 1)]! + this.delay(this.inv),
        flow: this.flow[2 * n + (q ^ 1)]! + this.inv.areaUm2 / Math.max(1, this.refs[n]!),
        choice: 'inv',
      };
      const own: Best = { arrival: this.arr[2 * n + q]!, flow: this.flow[2 * n + q]!, choice: this.choice[2 * n + q]! };
      if (this.choice[2 * n + (q ^ 1)] !== 'inv' && better(via, own, mode, this.req[2 * n + q]!)) this.set(2 * n + q, via);
    }
  }
}

/** Delay mode: earlier, then less area flow. Area mode: meeting `req` first, then less area flow, then earlier. */
function better(a: Best, b: Best, mode: 'delay' | 'area', req: number): boolean {
  if (b.choice === null) return a.choice !== null;
  if (mode === 'delay') return less(a.arrival, b.arrival) || (!less(b.arrival, a.arrival) && less(a.flow, b.flow));
  const okA = !less(req, a.arrival),
    okB = !less(req, b.arrival);
  if (okA !== okB) return okA;
  if (!okA) return less(a.arrival, b.arrival);
  return less(a.flow, b.flow) || (!less(b.flow, a.flow) && less(a.arrival, b.arrival));
}

const sameLeaves = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function libCell(lib: CellLibrary, name: string): LibCell {
  const c = lib.cells.find((x) => x.name === name);
  if (!c) throw new Error(`internal: library '${lib.name}' has no ${name}`);
  return c;
}

/**
 * The literals the current choices use, from the outputs down, in an order
 * where every literal follows the literals it reads (so reversed, consumers
 * come first); sets the fanout estimate to the cover's references.
 */
function cover(m: Mapper): number[] {
  const used = new Set<number>();
  const order: number[] = [];
  m.refs.fill(0);
  const visit = (root: number) => {
    const stack: [number, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ls = leavesOf(top[0], m.choice[top[0]]!);
      if (top[1] < ls.length) {
        const l = ls[top[1]++]!;
        m.refs[l >> 1]++;
        if (!used.has(l)) {
          used.add(l);
          stack.push([l, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  };
  for (const o of m.outputs) {
    m.refs[o >> 1]++;
    if (!used.has(o)) {
      used.add(o);
      visit(o);
    }
  }
  return order;
}

/** Required times of the cover's literals for the outputs to arrive by `target`. */
function requiredTimes(m: Mapper, order: readonly number[], target: number): void {
  m.req.fill(Infinity);
  for (const o of m.outputs) m.req[o] = target;
  for (let i = order.length - 1; i >= 0; i--) {
    const lit = order[i]!;
    const c = m.choice[lit]!;
    const d = c === 'inv' ? m.delay(m.inv) : c === null || c === 'const' ? 0 : m.delay(c.match.cell);
    for (const l of leavesOf(lit, c)) m.req[l] = Math.min(m.req[l]!, m.req[lit]! - d);
  }
}

/** Exact-area recovery (exact-area.ts) of every literal the cover uses. */
function exactArea(m: Mapper, order: readonly number[]): void {
  const refs = new Int32Array(m.choice.length);
  for (const lit of order) for (const l of leavesOf(lit, m.choice[lit]!)) refs[l]++;
  for (const o of m.outputs) refs[o]++;
  const s: CoverState = {
    choice: m.choice,
    arr: m.arr,
    req: m.req,
    refs,
    invArea: m.inv.areaUm2,
    invDelay: m.delay(m.inv),
    delayOf: (c) => (c === 'inv' ? m.delay(m.inv) : c === null || c === 'const' ? 0 : m.delay(c.match.cell)),
  };
  for (let n = 1; n < m.aig.size; n++) {
    if (!m.aig.isAnd(n)) continue;
    for (const q of [0, 1]) {
      const lit = 2 * n + q;
      if (refs[lit] === 0 || m.choice[lit] === 'const') continue;
      const cands: Choice[] = m.candidates(n, q);
      if (m.choice[lit ^ 1] !== 'inv') cands.push('inv');
      recoverLiteral(s, lit, cands);
    }
  }
}

/** Maps one AIG (delay first, then area recovery; rules in the file comment). */
function mapAig(g: AigOfNetlist | ChoiceAig, lib: CellLibrary): MappedNetlist {
  const { aig, outputs, registers } = g;
  const all = [...outputs, ...registers.map((r) => r.d)];
  const m = new Mapper(aig, lib, all, new Set(registers.map((r) => r.q)), 'members' in g ? g.members : undefined);
  m.pass('delay');
  const target = TARGET_SLACK * Math.max(0, ...all.map((o) => m.arr[o]!));
  for (let i = 0; i < 2; i++) {
    requiredTimes(m, cover(m), target);
    m.pass('area');
  }
  for (let i = 0; i < 2; i++) {
    const order = cover(m);
    requiredTimes(m, order, target);
    exactArea(m, order);
  }
  return emit(m, cover(m), outputs, registers);
}

/** A mapping within this factor of the fastest candidate's delay competes on area. */
const CHOICE_SLACK = 1.05;

/**
 * Maps `net` onto `lib`: each candidate structure of its AIG (restructure.ts)
 * and the graph merging them with per-node choices (choices.ts) are mapped,
 * and the smallest mapping whose critical path is within CHOICE_SLACK of the
 * fastest one is kept.
 */
export function mapNetlist(net: Netlist, lib: CellLibrary): MappedNetlist {
  const src = aigOf(net);
  const versions = candidateStructures(src);
  const mapped = [...versions, mergeChoices(src, versions)].map((g) => {
    const m = mapAig(g, lib);
    return { m, f: mappedFigures(m, lib) };
  });
  const fastest = Math.min(...mapped.map((x) => x.f.delayPs));
  const ok = mapped.filter((x) => x.f.delayPs <= CHOICE_SLACK * fastest);
  return ok.reduce((a, b) => (b.f.areaUm2 < a.f.areaUm2 ? b : a)).m;
}

/** Value of a literal mapped as a constant (the constant node, or a node whose cut function has no leaves). */
function constValue(m: Mapper, lit: number): number {
  const n = lit >> 1;
  if (n === 0) return lit & 1;
  const cut = m.cuts[n]!.find((c) => c.leaves.length === 0)!;
  return (cut.truth & 1) ^ (lit & 1);
}

function emit(
  m: Mapper,
  order: readonly number[],
  outputs: readonly number[],
  registers: readonly { d: number; q: number }[],
): MappedNetlist {
  const netOf = (lit: number) => (m.choice[lit] !== 'const' ? lit : constValue(m, lit) ? CONST_ONE : CONST);
  const cells: MappedCell[] = [];
  for (const lit of order) {
    const c = m.choice[lit]!;
    if (c === null || c === 'const') continue;
    const cell = c === 'inv' ? m.inv : c.match.cell;
    const ls = leavesOf(lit, c);
    cells.push({ type: cell.name, inputs: new Map(cell.inputs.map((p, j) => [p, netOf(ls[j]!)])), output: lit });
  }
  const clock = 2 * m.aig.size;
  const regQ = new Set(registers.map((r) => 2 * r.q));
  const dff = m.lib.cells.find((c) => c.setupPs !== undefined);
  for (const r of registers) {
    cells.push({
      type: dff!.name,
      inputs: new Map([
        ['D', netOf(r.d)],
        ['CK', clock],
      ]),
      output: 2 * r.q,
    });
  }
  const inputs = m.aig.inputs.map((n) => 2 * n).filter((l) => !regQ.has(l));
  return { cells, inputs: registers.length > 0 ? [...inputs, clock] : inputs, outputs: outputs.map(netOf) };
}
