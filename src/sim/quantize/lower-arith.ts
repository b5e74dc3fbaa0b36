import { UserError } from '../../errors.js';
import { formatToString, fracBits } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { BinaryFn, Graph, GraphNode } from '../../models/graph.js';
import { shapeOf } from '../../models/graph.js';
import type { FLayer } from './float-net.js';
import type { ElementFn } from './model-arith.js';
import type { IntLayer } from './model.js';
import { maxAbsCode } from './quant.js';

/*
 * Lowering of the arithmetic of two (Where: three) computed tensors to the
 * integer layers of quantize/model-arith.ts, and their pow2 export.
 */

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/** Why the remaining fns of two computed tensors have no integer layer. */
const REFUSED: Partial<Record<string, string>> = {
  Div: 'a quotient by a computed divisor is unbounded near 0 and undefined at 0, so no integer format holds it; Div by a constant is supported',
  Pow: 'a computed exponent makes the result irrational in general, which no fixed-point code represents exactly; Pow with a constant exponent is supported',
  Mod: 'fmod by a computed divisor is undefined at 0; Mod by a constant is not supported either',
};

const FNS: Partial<Record<BinaryFn | 'Sub' | 'Div', ElementFn>> = {
  Sub: 'sub',
  Min: 'min',
  Max: 'max',
  Equal: 'equal',
  Greater: 'greater',
  Less: 'less',
  GreaterOrEqual: 'greaterorequal',
  LessOrEqual: 'lessorequal',
};

function base(n: GraphNode, shape: number[]) {
  return { name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [] as string[] };
}

/** Operands that broadcast to the output with the batch axis kept: equal ranks, each axis the output's or 1. */
function checkBroadcast(g: Graph, n: GraphNode, what: string, shape: readonly number[]): void {
  const ins = n.inputs.map((i) => shapeOf(g, i));
  if (ins.some((s) => s.length !== shape.length || s.some((d, i) => d !== 1 && d !== shape[i])))
    throw new UserError(
      `node '${n.name}': ${what} of ${ins.map(fmt).join(', ')} is not supported by the integer simulator (operands of equal rank, each axis equal to the output's or 1, are)`,
    );
}

/** A fn of two computed tensors (Sub, Min, Max, the comparisons) as a binary layer; one line for the others. */
export function lowerBinaryFn(g: Graph, n: GraphNode, fn: BinaryFn | 'Sub' | 'Div', shape: number[]): FLayer {
  const f = FNS[fn];
  if (!f)
    throw new UserError(
      `node '${n.name}': ${fn} of two runtime tensors is not supported by the integer simulator (${REFUSED[fn] ?? 'only Sub, Min, Max and the comparisons are'})`,
    );
  checkBroadcast(g, n, fn, shape);
  return { ...base(n, shape), op: 'binary', fn: f };
}

export function lowerWhere(g: Graph, n: GraphNode, shape: number[]): FLayer {
  if (n.inputs.length !== 3)
    throw new UserError(
      `node '${n.name}': Where with a constant operand is not supported by the integer simulator (three runtime operands are)`,
    );
  checkBroadcast(g, n, 'Where', shape);
  return { ...base(n, shape), op: 'where' };
}

/** MatMul of two computed tensors: A [..., M, K] times B [..., K, N] per sample, equal leading axes. */
export function lowerMatMul(g: Graph, n: GraphNode, shape: number[]): FLayer {
  const [a, b] = n.inputs.map((i) => shapeOf(g, i)) as [readonly number[], readonly number[]];
  const r = a.length;
  if (r < 2 || b.length !== r || a.slice(0, -2).some((d, i) => d !== b[i]))
    throw new UserError(
      `node '${n.name}': MatMul of runtime tensors ${fmt(a)} and ${fmt(b)} is not supported by the integer simulator (per-sample [..., M, K] times [..., K, N] with equal leading axes is)`,
    );
  return { ...base(n, shape), op: 'matmul', K: a[r - 1]! };
}

/**
 * The pow2 layer of a lowered arithmetic layer given its output (`keep`) and
 * input formats. A matmul's accumulator has F_a + F_b fraction bits and the
 * width of its worst case K max|a| max|b| (RND_CONV, SAT: it never acts).
 */
export function pow2ArithLayer(l: FLayer, kept: Omit<IntLayer, 'op'>, ins: readonly FixedFormat[]): IntLayer {
  if (l.op === 'binary') return { op: 'binary', ...kept, fn: l.fn };
  if (l.op === 'where') return { op: 'where', ...kept };
  const [a, b] = ins as [FixedFormat, FixedFormat];
  if (l.op !== 'matmul') throw new Error(`internal: '${l.op}' is not an arithmetic layer`);
  const K = l.K;
  const bound = K * maxAbsCode(a) * maxAbsCode(b);
  const width = Math.max(2, Math.floor(Math.log2(Math.max(1, bound))) + 2);
  const F = fracBits(a) + fracBits(b);
  if (width > 52 || a.width + b.width > 52)
    throw new UserError(
      `layer '${l.name}': products of ${a.width}- and ${b.width}-bit operands summed over ${K} terms need ${width} bits; the simulator is exact only below 2^52`,
    );
  const acc = formatToString({ signed: true, width, intBits: width - F, rounding: 'RND_CONV', overflow: 'SAT' });
  return { op: 'matmul', ...kept, acc: { kind: 'pow2', formats: [acc], bound } };
}
