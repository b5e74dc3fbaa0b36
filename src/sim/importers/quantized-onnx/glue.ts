import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { ImportContext } from './context.js';
import { ELEM, type Const, type NodeView } from './read.js';
import { intAttr } from './window.js';

/*
 * The glue exporters write around quantized operators, folded at import:
 * - constant subgraphs (every input a constant): Identity, Cast,
 *   ConstantOfShape (PyTorch's int32 bias zero point), Shape of a runtime
 *   tensor (its per-sample shape behind a batch entry), Gather, Unsqueeze,
 *   Squeeze, Concat — evaluated once, their outputs become constants;
 * - Cast of a quantized tensor to its own element type (PyTorch writes one
 *   after every QuantizeLinear): the same tensor.
 */

const FOLDABLE = new Set(['Identity', 'Cast', 'ConstantOfShape', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat']);

/** Element types a Cast may produce among constants; values are kept as exact numbers. */
const CAST_RANGES: Record<number, [number, number] | 'float'> = {
  [ELEM.FLOAT]: 'float',
  [ELEM.UINT8]: [0, 255],
  [ELEM.INT8]: [-128, 127],
  [ELEM.INT32]: [-(2 ** 31), 2 ** 31 - 1],
  [ELEM.INT64]: [-(2 ** 53), 2 ** 53],
};

function fail(v: NodeView, what: string): never {
  throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
}

function constArgs(ctx: ImportContext, v: NodeView): Const[] | undefined {
  const named = v.inputs.filter((i) => i !== '');
  if (v.op === 'Shape') return ctx.values.has(named[0] ?? '') ? [] : undefined;
  return named.every((i) => ctx.consts.has(i)) ? named.map((i) => ctx.consts.get(i)!) : undefined;
}

function castConst(v: NodeView, c: Const): Const {
  const to = intAttr(v, 'to', 0);
  const range = CAST_RANGES[to];
  if (!range) fail(v, `Cast to element type ${to} is not supported (float, uint8, int8, int32, int64)`);
  const data = range === 'float' ? c.tensor.data.map(Math.fround) : c.tensor.data.map(Math.trunc);
  if (range !== 'float' && data.some((x) => x < range[0] || x > range[1]))
    fail(v, `a value of '${v.inputs[0]}' does not fit element type ${to}`);
  return { tensor: { shape: [...c.tensor.shape], data }, elemType: to };
}

function axes(v: NodeView, args: Const[], rank: number): number[] {
  const a = args[1] ? Array.from(args[1].tensor.data) : ((v.attrs.get('axes') as number[] | undefined) ?? []);
  return a.map((x) => (x < 0 ? x + rank : x));
}

function gather(v: NodeView, [data, idx]: Const[]): Const {
  if (data!.tensor.shape.length !== 1 || intAttr(v, 'axis', 0) !== 0) fail(v, 'only Gather on a 1-D constant along axis 0 is supported');
  const n = data!.tensor.data.length;
  const picked = Array.from(idx!.tensor.data, (i) => {
    const k = i < 0 ? i + n : i;
    if (!Number.isInteger(k) || k < 0 || k >= n) fail(v, `index ${i} is outside [0, ${n})`);
    return data!.tensor.data[k]!;
  });
  return { tensor: { shape: [...idx!.tensor.shape], data: Float64Array.from(picked) }, elemType: data!.elemType };
}

/** The constant a glue node computes from constant inputs. */
function evaluate(ctx: ImportContext, v: NodeView, args: Const[]): Const {
  const [a] = args;
  switch (v.op) {
    case 'Identity':
      return a!;
    case 'Cast':
      return castConst(v, a!);
    case 'ConstantOfShape': {
      const shape = Array.from(a!.tensor.data);
      const value = v.attrs.get('value') as { data: Float64Array } | undefined;
      const elemType = (v.attrs.get('__elem') as number | undefined) ?? ELEM.FLOAT;
      return { tensor: { shape, data: new Float64Array(sizeOf(shape)).fill(value?.data[0] ?? 0) }, elemType };
    }
    case 'Shape': {
      // The batch entry is 1: the targets built from it (Reshape) read the per-sample entries only.
      const shape = [1, ...ctx.shapeOf(v, v.inputs[0]!)];
      return { tensor: { shape: [shape.length], data: Float64Array.from(shape) }, elemType: ELEM.INT64 };
    }
    case 'Gather':
      return gather(v, args);
    case 'Unsqueeze':
    case 'Squeeze': {
      const rank = a!.tensor.shape.length + (v.op === 'Unsqueeze' ? axes(v, args, 0).length : 0);
      const ax = axes(v, args, rank);
      const shape =
        v.op === 'Unsqueeze'
          ? ax.sort((x, y) => x - y).reduce((s, k) => [...s.slice(0, k), 1, ...s.slice(k)], [...a!.tensor.shape])
          : a!.tensor.shape.filter((d, k) => !(ax.length === 0 ? d === 1 : ax.includes(k)));
      return { tensor: { shape, data: a!.tensor.data }, elemType: a!.elemType };
    }
    default: {
      // Concat
      if (args.some((c) => c.tensor.shape.length !== 1)) fail(v, 'only Concat of 1-D constants is supported');
      const data = Float64Array.from(args.flatMap((c) => Array.from(c.tensor.data)));
      return { tensor: { shape: [data.length], data }, elemType: a!.elemType };
    }
  }
}

/** Folds a glue node whose inputs are constants; true when it did. */
export function foldGlue(ctx: ImportContext, v: NodeView): boolean {
  if (!FOLDABLE.has(v.op)) return false;
  const args = constArgs(ctx, v);
  if (!args) return false;
  ctx.addConst(v.outputs[0]!, evaluate(ctx, v, args));
  return true;
}

/** Cast of a quantized tensor (or its DequantizeLinear) to the element type it already has: the same value. */
export function castRuntime(ctx: ImportContext, v: NodeView): void {
  const val = ctx.value(v, v.inputs[0], 'input');
  const to = intAttr(v, 'to', 0);
  if (val.kind === 'q') {
    const type = ctx.info(val.tensor).quant.type;
    if (to === (type === 'int8' ? ELEM.INT8 : ELEM.UINT8)) return void ctx.values.set(v.outputs[0]!, val);
    fail(v, `casts the ${type} tensor '${v.inputs[0]}' to element type ${to}; only a Cast to its own type is supported`);
  }
  if ((val.kind === 'dq' || val.kind === 'float') && to === ELEM.FLOAT) return void ctx.values.set(v.outputs[0]!, val);
  fail(
    v,
    `Cast of '${v.inputs[0]}' to element type ${to} is not supported (only no-op Casts of quantized tensors, and the int32 product of MatMulInteger/ConvInteger to float)`,
  );
}
