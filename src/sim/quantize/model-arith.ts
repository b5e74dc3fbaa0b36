import { formatToString, fracBits } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { asInt, asObject, asOneOf, fieldError } from './fields.js';
import type { Accumulator, IntLayer, LayerBase } from './model.js';
import { channelFormats, maxAbsCode } from './quant.js';

/*
 * Integer layers that combine two (Where: three) computed tensors. Shapes are
 * per sample; operands of the elementwise layers broadcast numpy-style with
 * equal ranks (each axis equal to the output's or 1), as two tensors that both
 * carry the batch axis do.
 */

/**
 * Batched product of two computed tensors (attention's q k^T and s v):
 * A [..., M, K] times B [..., K, N] with equal leading axes, output [..., M, N].
 * acc = sum over k increasing of (a - z_a)(b - z_b) (pow2: z = 0), starting at
 * 0, each partial sum passed through the accumulator's overflow mode (one
 * event each time it acts).
 * pow2: products are exact at F_a + F_b fraction bits, the accumulator's one
 * format has exactly that F (no rounding before the sum) and `bound` is
 * K max|a| max|b|; the sum is narrowed into the output (its rounding, then
 * its overflow mode).
 * affine: int32 with wrap (ONNX MatMulInteger), then requantized with
 * multiplier s_a s_b / s_c under the model's scheme (QLinearMatMul):
 * onnxruntime z_c + rne(f32(f32(acc) f32(f32(s_a s_b) / s_c))), the TFLite
 * schemes as a dense layer's output stage; saturated to the output type.
 */
export interface MatMulLayer extends LayerBase {
  op: 'matmul';
  acc: Accumulator;
}

/**
 * Elementwise function of two computed tensors, exact on the operands' real
 * values. min, max: the smaller / larger real value, quantized into the
 * output (quantization is monotone, so this is the min / max of the two
 * operands each quantized into the output). sub: a - b. Comparisons: 1 when
 * the relation holds between the exact real values, else 0, quantized into
 * the output.
 * pow2: operands aligned to F = max(F_a, F_b) by exact left shifts, the
 * result narrowed into the output format (its rounding, then overflow).
 * affine (onnxruntime scheme: DequantizeLinear in float32, the float op,
 * QuantizeLinear — the QDQ graph onnxruntime runs, which has no integer
 * kernel for these ops; other schemes: min/max requantize each operand to
 * the output scale by the scheme's rescale, sub as TFLite's integer Sub,
 * comparisons on the exact values).
 */
export interface BinaryLayer extends LayerBase {
  op: 'binary';
  fn: ElementFn;
}

/**
 * Where(cond, X, Y): X where cond's real value is not 0, else Y, the chosen
 * operand requantized into the output (pow2: narrowed from its format;
 * affine: the scheme's requantization of one code, as concat's inputs).
 */
export interface WhereLayer extends LayerBase {
  op: 'where';
}

export const ELEMENT_FNS = ['min', 'max', 'sub', 'equal', 'greater', 'less', 'greaterorequal', 'lessorequal'] as const;
export type ElementFn = (typeof ELEMENT_FNS)[number];
export type ArithLayer = MatMulLayer | BinaryLayer | WhereLayer;
export const ARITH_OPS = ['matmul', 'binary', 'where'] as const;

/** Number of inputs of an arithmetic layer, undefined for any other op. */
export function arithInputCount(op: string): number | undefined {
  return op === 'where' ? 3 : op === 'matmul' || op === 'binary' ? 2 : undefined;
}

export const isArith = (l: IntLayer): l is ArithLayer => arithInputCount(l.op) !== undefined;

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

/** Output shape of operands broadcast together (equal ranks, each axis the output's or 1); UserError naming the field otherwise. */
export function broadcastShapes(ins: readonly (readonly number[])[], path: string): number[] {
  const r = ins[0]!.length;
  const out = ins[0]!.map((_, d) => Math.max(...ins.map((s) => s[d] ?? 1)));
  if (ins.some((s) => s.length !== r || s.some((v, d) => v !== 1 && v !== out[d])))
    fieldError(`${path}.inputs`, `shapes ${ins.map(fmt).join(' ')} do not broadcast together (equal ranks, each axis equal or 1)`);
  return out;
}

/** Per-sample output shape of an arithmetic layer. */
export function arithShape(l: ArithLayer, ins: readonly (readonly number[])[], path: string): number[] {
  if (l.op !== 'matmul') return broadcastShapes(ins, path);
  const [a, b] = ins as [readonly number[], readonly number[]];
  const r = a.length;
  if (r < 2 || b.length !== r || a.slice(0, -2).some((d, i) => d !== b[i]) || a[r - 1] !== b[r - 2])
    fieldError(`${path}.inputs`, `${fmt(a)} times ${fmt(b)} is not a batched matrix product ([..., M, K] times [..., K, N])`);
  return [...a.slice(0, -1), b[r - 1]!];
}

/** Scheme-free fields: fn of a binary layer, acc of a matmul. */
export function checkArithFields(l: Record<string, unknown>, path: string): void {
  if (l.op === 'binary') asOneOf(l.fn, `${path}.fn`, ELEMENT_FNS);
  if (l.op !== 'matmul') return;
  const acc = asObject(l.acc, `${path}.acc`);
  if (asOneOf(acc.kind, `${path}.acc.kind`, ['pow2', 'int']) === 'int') {
    asInt(acc.bits, `${path}.acc.bits`, 2, 53);
    asOneOf(acc.overflow, `${path}.acc.overflow`, ['WRAP', 'SAT']);
  }
}

/** pow2 exactness of an arithmetic layer: every integer the engine forms stays below 2^53. */
export function checkPow2Arith(l: ArithLayer, ins: readonly FixedFormat[], path: string): void {
  const big = (what: string) => fieldError(`${path}.inputs`, `${what}; the simulator is exact only below 2^53`);
  if (l.op === 'matmul') {
    const [a, b] = ins as [FixedFormat, FixedFormat];
    if (l.acc.kind !== 'pow2') fieldError(`${path}.acc.kind`, `must be 'pow2' in a pow2 model, got '${l.acc.kind}'`);
    const [acc] = channelFormats(l.acc, 1, `${path}.acc`);
    if (fracBits(acc!) !== fracBits(a) + fracBits(b))
      fieldError(`${path}.acc`, `must have F_a + F_b = ${fracBits(a) + fracBits(b)} fraction bits, got ${fracBits(acc!)}`);
    if (a.width + b.width > 52 || acc!.width > 52)
      big(`products of ${formatToString(a)} and ${formatToString(b)} summed in ${formatToString(acc!)}`);
  } else if (l.op === 'binary') {
    const F = Math.max(...ins.map(fracBits));
    if (ins.some((f) => maxAbsCode(f) * 2 ** (F - fracBits(f)) >= 2 ** 52)) big(`${ins.map(formatToString).join(' and ')} aligned`);
  }
}
