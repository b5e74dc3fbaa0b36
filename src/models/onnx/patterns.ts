import { activationToString, type ActivationSpec } from '../../activations/float.js';
import type { Tensor } from '../graph.js';
import type { OnnxTypes } from './proto.js';
import { readAttributes } from './proto.js';

type NodeProto = OnnxTypes.INodeProto;

/** Domain and op type of the synthetic node a recognized pattern becomes. */
export const FUSED_DOMAIN = 'helu-sim';
export const FUSED_OP = 'Activation';
/** docString marker carrying an activation spec (also written on exported activation nodes). */
export const ACTIVATION_MARK = 'helu-sim:activation=';

function fused(name: string, x: string, y: string, spec: ActivationSpec): NodeProto {
  return { name, opType: FUSED_OP, domain: FUSED_DOMAIN, input: [x], output: [y], docString: ACTIVATION_MARK + activationToString(spec) };
}

const near = (v: number, want: number): boolean => Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want));

/**
 * Recognizes subgraphs that are one activation, as exporters write them:
 * - GELU, exact form: x/sqrt2 (Div, or Mul by 1/sqrt2) -> Erf -> Add 1 ->
 *   the product of x, that sum and 0.5 in any association and operand order
 *   ((x*a)*0.5, (a*x)*0.5, (x*0.5)*a, (a*0.5)*x, ...), as PyTorch emits it;
 * - SiLU: Sigmoid(x) * x (either order); HardSwish: HardSigmoid(x; 1/6, 1/2) * x;
 * - ReLU written as Where: Where(Greater(x,0) or GreaterOrEqual(x,0), x, 0)
 *   and Where(Less(x,0) or LessOrEqual(x,0), 0, x), the zero being any
 *   all-zero constant (Constant, initializer, Cast of one, or
 *   ConstantOfShape with value 0).
 * Intermediate tensors must have no other consumer. Matched nodes are replaced
 * by one synthetic activation node at the position of the last of them; nodes
 * left without consumers are then removed.
 */
export function fusePatterns(
  nodes: readonly NodeProto[],
  consts: ReadonlyMap<string, Tensor>,
  graphOutputs: ReadonlySet<string>,
): NodeProto[] {
  let list = [...nodes];
  for (const rule of [matchGelu, matchSigmoidMul, matchWhereRelu]) {
    let changed = true;
    while (changed) {
      changed = false;
      const ctx = context(list, consts, graphOutputs);
      for (let i = 0; i < list.length; i++) {
        const m = rule(list[i]!, ctx);
        if (!m) continue;
        const idx = m.remove.map((n) => list.indexOf(n));
        const at = Math.max(...idx);
        const next = list.filter((_n, j) => !idx.includes(j) || j === at);
        next[next.indexOf(list[at]!)] = m.replacement;
        list = next;
        changed = true;
        break;
      }
    }
  }
  return deadCodeElimination(list, graphOutputs);
}

interface Ctx {
  producer(name: string): NodeProto | undefined;
  /** The only consumer of `name`, when it has exactly one and is no graph output. */
  only(name: string): NodeProto | undefined;
  constValue(name: string): Tensor | undefined;
}

function context(list: readonly NodeProto[], consts: ReadonlyMap<string, Tensor>, outs: ReadonlySet<string>): Ctx {
  const prod = new Map<string, NodeProto>();
  const uses = new Map<string, NodeProto[]>();
  for (const n of list) {
    for (const o of n.output ?? []) prod.set(o, n);
    for (const i of n.input ?? []) if (i) uses.set(i, [...(uses.get(i) ?? []), n]);
  }
  const constValue = (name: string): Tensor | undefined => {
    const c = consts.get(name);
    if (c) return c;
    const p = prod.get(name);
    if (!p) return undefined;
    const attrs = readAttributes(p);
    if (p.opType === 'Constant') return attrs.get('value') as Tensor | undefined;
    if (p.opType === 'Cast' || p.opType === 'Identity') return constValue(p.input![0]!);
    if (p.opType === 'ConstantOfShape') return (attrs.get('value') as Tensor | undefined) ?? { shape: [1], data: new Float64Array(1) };
    return undefined;
  };
  return {
    producer: (n) => prod.get(n),
    only: (n) => (outs.has(n) || uses.get(n)?.length !== 1 ? undefined : uses.get(n)![0]),
    constValue,
  };
}

interface Match {
  remove: NodeProto[];
  replacement: NodeProto;
}

function isConst(ctx: Ctx, name: string | undefined, want: number): boolean {
  const c = name === undefined ? undefined : ctx.constValue(name);
  return c !== undefined && c.data.length >= 1 && c.data.every((v) => near(v, want));
}

/** The operand of a two-input node other than `name` (undefined if `name` is not one of them). */
function other(n: NodeProto, name: string): string | undefined {
  const [a, b] = n.input ?? [];
  return a === name ? b : b === name ? a : undefined;
}

function matchGelu(e: NodeProto, ctx: Ctx): Match | undefined {
  if (e.opType !== 'Erf') return undefined;
  const t = e.input![0]!;
  const pt = ctx.producer(t);
  if (!pt || ctx.only(t) !== e) return undefined;
  let x: string | undefined;
  if (pt.opType === 'Div' && isConst(ctx, pt.input![1], Math.SQRT2)) x = pt.input![0];
  else if (pt.opType === 'Mul') x = [0, 1].map((k) => pt.input![k]!).find((v) => isConst(ctx, other(pt, v), Math.SQRT1_2));
  if (x === undefined) return undefined;
  const add = ctx.only(e.output![0]!);
  if (!add || add.opType !== 'Add' || !isConst(ctx, other(add, e.output![0]!), 1)) return undefined;
  const a = add.output![0]!;
  const m1 = ctx.only(a);
  if (!m1 || m1.opType !== 'Mul') return undefined;
  const o1 = other(m1, a)!;
  const base = [pt, e, add, m1];
  const done = (rest: NodeProto[], y: string): Match => ({
    remove: [...base, ...rest],
    replacement: fused(m1.name || y, x!, y, { kind: 'gelu' }),
  });
  if (o1 === x || isConst(ctx, o1, 0.5)) {
    const m2 = ctx.only(m1.output![0]!);
    const want = o1 === x ? (v: string | undefined) => isConst(ctx, v, 0.5) : (v: string | undefined) => v === x;
    if (!m2 || m2.opType !== 'Mul' || !want(other(m2, m1.output![0]!))) return undefined;
    return done([m2], m2.output![0]!);
  }
  const h = ctx.producer(o1);
  if (h && h.opType === 'Mul' && ctx.only(o1) === m1 && other(h, x) !== undefined && isConst(ctx, other(h, x), 0.5))
    return done([h], m1.output![0]!);
  return undefined;
}

function matchSigmoidMul(s: NodeProto, ctx: Ctx): Match | undefined {
  const attrs = readAttributes(s);
  const isHardSigmoid =
    s.opType === 'HardSigmoid' && near((attrs.get('alpha') as number) ?? 0.2, 1 / 6) && near((attrs.get('beta') as number) ?? 0.5, 0.5);
  if (s.opType !== 'Sigmoid' && !isHardSigmoid) return undefined;
  const x = s.input![0]!;
  const m = ctx.only(s.output![0]!);
  if (!m || m.opType !== 'Mul' || other(m, s.output![0]!) !== x) return undefined;
  return { remove: [s, m], replacement: fused(m.name || m.output![0]!, x, m.output![0]!, { kind: isHardSigmoid ? 'hardswish' : 'silu' }) };
}

function matchWhereRelu(w: NodeProto, ctx: Ctx): Match | undefined {
  if (w.opType !== 'Where') return undefined;
  const [c, a, b] = w.input ?? [];
  const pc = c === undefined ? undefined : ctx.producer(c);
  if (!pc || ctx.only(c!) !== w || !isConst(ctx, pc.input![1], 0)) return undefined;
  const x = pc.input![0]!;
  const gt = pc.opType === 'Greater' || pc.opType === 'GreaterOrEqual';
  const lt = pc.opType === 'Less' || pc.opType === 'LessOrEqual';
  const ok = (gt && a === x && isConst(ctx, b, 0)) || (lt && b === x && isConst(ctx, a, 0));
  if (!ok) return undefined;
  return { remove: [pc, w], replacement: fused(w.name || w.output![0]!, x, w.output![0]!, { kind: 'relu' }) };
}

/** Drops nodes none of whose outputs is consumed or a graph output, repeatedly. */
export function deadCodeElimination(list: readonly NodeProto[], outs: ReadonlySet<string>): NodeProto[] {
  let cur = [...list];
  for (;;) {
    const used = new Set<string>(outs);
    for (const n of cur) for (const i of n.input ?? []) used.add(i);
    const next = cur.filter((n) => (n.output ?? []).some((o) => used.has(o)));
    if (next.length === cur.length) return next;
    cur = next;
  }
}
