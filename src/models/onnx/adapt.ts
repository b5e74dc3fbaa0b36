import { UserError } from '../../errors.js';
import type { Tensor } from '../graph.js';
import { ATTR_TYPE, readAttributes, type OnnxTypes } from './proto.js';

type NodeProto = OnnxTypes.INodeProto;

/**
 * Version adapters: nodes of models at default-domain opsets 7 to 12 (and the
 * Reduce ops before 18) rewritten into the forms of opset 13 and later, which
 * is all the translator reads. The semantic changes, from the ONNX operator
 * changelog:
 * - Clip before 11: bounds are the attributes min/max, not inputs 2 and 3.
 * - Pad before 11: attributes pads/value (and mode), not inputs.
 * - Slice before 10: attributes starts/ends/axes, not inputs (no steps).
 * - Split, Squeeze, Unsqueeze, ReduceSum before 13, and ReduceMean, ReduceMax,
 *   ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp,
 *   ReduceSumSquare before 18: `split`/`axes` attributes, not inputs.
 * - Softmax, LogSoftmax before 13: the input is coerced to 2-D at `axis`
 *   (default 1) and normalized over the whole flattened trailing block; the
 *   node is marked with COERCE_2D so the translator does exactly that.
 * - BatchNormalization before 9 has the `spatial` attribute (1 = per channel,
 *   the only meaning later opsets keep); its extra training outputs are unused
 *   at inference and left unconnected.
 * - Upsample (opsets 7 to 9; scales an attribute at 7, an input at 9) and
 *   Resize at 10 (inputs X, scales) map output index i to input index
 *   floor(i / scale): Resize with coordinate_transformation_mode 'asymmetric'
 *   and nearest_mode 'floor' (mode 'linear' stays linear).
 * - Dropout's `ratio` attribute (before 12) does not matter at inference.
 */
export const COERCE_2D = 'helu_sim_coerce_2d';

const T = ATTR_TYPE;

const REDUCE_18 = new Set([
  'ReduceMean',
  'ReduceMax',
  'ReduceMin',
  'ReduceProd',
  'ReduceL1',
  'ReduceL2',
  'ReduceLogSum',
  'ReduceLogSumExp',
  'ReduceSumSquare',
]);

interface Rewriter {
  consts: Map<string, Tensor>;
  fresh(base: string): string;
}

function vector(r: Rewriter, base: string, values: readonly number[]): string {
  const name = r.fresh(base);
  r.consts.set(name, { shape: [values.length], data: Float64Array.from(values) });
  return name;
}

function scalar(r: Rewriter, base: string, v: number): string {
  const name = r.fresh(base);
  r.consts.set(name, { shape: [], data: Float64Array.of(v) });
  return name;
}

/** The node without the named attributes, with `inputs` (trailing empty names dropped) and extra attributes. */
function rewrite(
  n: NodeProto,
  drop: readonly string[],
  inputs: readonly string[],
  extra: OnnxTypes.IAttributeProto[] = [],
  opType = n.opType,
): NodeProto {
  const ins = [...inputs];
  while (ins.length > 0 && ins[ins.length - 1] === '') ins.pop();
  return { ...n, opType, input: ins, attribute: [...(n.attribute ?? []).filter((a) => !drop.includes(a.name ?? '')), ...extra] };
}

const aStr = (name: string, s: string): OnnxTypes.IAttributeProto => ({ name, type: T.STRING, s: new TextEncoder().encode(s) });
const aInt = (name: string, i: number): OnnxTypes.IAttributeProto => ({ name, type: T.INT, i });

/** One node's rewrite for `opset`, or the node itself when its form is current. */
function adaptNode(n: NodeProto, opset: number, r: Rewriter): NodeProto {
  const a = readAttributes(n);
  const ins = [...(n.input ?? [])];
  const base = n.name || n.output?.[0] || n.opType || 'node';
  const ints = (k: string): number[] | undefined => a.get(k) as number[] | undefined;
  switch (n.opType) {
    case 'Clip':
      if (opset >= 11) return n;
      return rewrite(
        n,
        ['min', 'max'],
        [
          ins[0]!,
          a.has('min') ? scalar(r, `${base}.min`, a.get('min') as number) : '',
          a.has('max') ? scalar(r, `${base}.max`, a.get('max') as number) : '',
        ],
      );
    case 'Pad':
      if (opset >= 11) return n;
      return rewrite(
        n,
        ['pads', 'value', 'paddings'],
        [
          ins[0]!,
          vector(r, `${base}.pads`, ints('pads') ?? ints('paddings') ?? []),
          scalar(r, `${base}.value`, (a.get('value') as number | undefined) ?? 0),
        ],
      );
    case 'Slice': {
      if (opset >= 10) return n;
      const starts = ints('starts') ?? [];
      return rewrite(
        n,
        ['starts', 'ends', 'axes'],
        [
          ins[0]!,
          vector(r, `${base}.starts`, starts),
          vector(r, `${base}.ends`, ints('ends') ?? []),
          ints('axes') ? vector(r, `${base}.axes`, ints('axes')!) : '',
        ],
      );
    }
    case 'Split':
      if (opset >= 13 || !ints('split')) return n;
      return rewrite(n, ['split'], [ins[0]!, vector(r, `${base}.split`, ints('split')!)]);
    case 'Squeeze':
    case 'Unsqueeze':
    case 'ReduceSum':
      if (opset >= 13 || !ints('axes')) return n;
      return rewrite(n, ['axes'], [ins[0]!, vector(r, `${base}.axes`, ints('axes')!)]);
    case 'Softmax':
    case 'LogSoftmax':
    case 'Hardmax':
      if (opset >= 13) return n;
      return rewrite(n, ['axis'], ins, [aInt('axis', (a.get('axis') as number | undefined) ?? 1), aInt(COERCE_2D, 1)]);
    case 'BatchNormalization':
      if (opset < 9 && ((a.get('spatial') as number | undefined) ?? 1) !== 1)
        throw new UserError(
          `node '${base}' (BatchNormalization): spatial = 0 (statistics per element, opsets before 9) is not supported; only per-channel normalization`,
        );
      return rewrite(n, ['spatial', 'is_test', 'momentum'], ins);
    case 'Upsample': {
      const scales = opset < 9 ? vector(r, `${base}.scales`, (a.get('scales') as number[] | undefined) ?? []) : ins[1]!;
      return rewrite(
        n,
        ['scales', 'mode'],
        [ins[0]!, '', scales],
        [
          aStr('mode', (a.get('mode') as string | undefined) ?? 'nearest'),
          aStr('coordinate_transformation_mode', 'asymmetric'),
          aStr('nearest_mode', 'floor'),
        ],
        'Resize',
      );
    }
    case 'Resize':
      if (opset >= 11) return n;
      return rewrite(n, [], [ins[0]!, '', ins[1]!], [aStr('coordinate_transformation_mode', 'asymmetric'), aStr('nearest_mode', 'floor')]);
  }
  if (REDUCE_18.has(n.opType ?? '') && opset < 18 && ints('axes'))
    return rewrite(n, ['axes'], [ins[0]!, vector(r, `${base}.axes`, ints('axes')!)]);
  return n;
}

/**
 * Rewrites every node of a default-domain opset `opset` model into its
 * current form; constants the rewrites introduce are added to `consts` under
 * fresh names.
 */
export function adaptNodes(
  nodes: readonly NodeProto[],
  opset: number,
  consts: Map<string, Tensor>,
  taken: (name: string) => boolean,
): NodeProto[] {
  let k = 0;
  const r: Rewriter = {
    consts,
    fresh(b) {
      let name = `${b}__adapted`;
      while (taken(name) || consts.has(name)) name = `${b}__adapted${k++}`;
      return name;
    },
  };
  return nodes.map((n) => (n.domain && n.domain !== 'ai.onnx' ? n : adaptNode(n, opset, r)));
}
