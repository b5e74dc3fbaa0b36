import { parseActivation } from '../../activations/float.js';
import { UserError } from '../../errors.js';
import { formatToString, fracBits, minCode, maxCode } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import { asArray, asBoolean, asInt, asIntArray, asNumber, asObject, asOneOf, asShape, asString, fieldError } from './fields.js';
import type { IntLayer } from './model.js';
import { checkPow2Data } from './data-layers.js';
import { checkArithFields, checkPow2Arith, isArith } from './model-arith.js';
import { channelFormats, maxAbsCode, parseModelFormat, pow2Format } from './quant.js';

/** Largest input/output width of an activation unit (the functional models' number path). */
export const MAX_ACTIVATION_WIDTH = 32;

type Raw = Record<string, unknown>;

function windowFields(l: Raw, path: string): void {
  const pair = (k: string) => {
    const a = asIntArray(l[k], `${path}.${k}`, 2);
    a.forEach((v, i) => asInt(v, `${path}.${k}[${i}]`, 1));
  };
  pair('kernel');
  pair('strides');
  pair('dilations');
  asIntArray(l.pads, `${path}.pads`, 4).forEach((v, i) => asInt(v, `${path}.pads[${i}]`, 0));
}

/** Checks the fields of one layer that do not depend on the scheme (names, op, window, shapes of weights). */
export function checkLayerFields(l: Raw, path: string): void {
  switch (l.op) {
    case 'dense':
      asShape(asObject(l.weights, `${path}.weights`).shape, `${path}.weights.shape`, 2);
      break;
    case 'conv':
      windowFields(l, path);
      asInt(l.group, `${path}.group`, 1);
      asShape(asObject(l.weights, `${path}.weights`).shape, `${path}.weights.shape`, 4);
      break;
    case 'maxpool':
    case 'avgpool':
      windowFields(l, path);
      asBoolean(l.ceilMode, `${path}.ceilMode`);
      asBoolean(l.countIncludePad, `${path}.countIncludePad`);
      break;
    case 'reshape':
      asShape(l.shape, `${path}.shape`);
      break;
    case 'transpose':
      asIntArray(l.perm, `${path}.perm`);
      break;
    case 'concat':
      asInt(l.axis, `${path}.axis`, 0);
      break;
    case 'activation':
      try {
        parseActivation(asString(l.activation, `${path}.activation`));
      } catch (e) {
        if (e instanceof UserError) fieldError(`${path}.activation`, e.message);
        throw e;
      }
      asObject(l.in, `${path}.in`);
      asObject(l.circuit, `${path}.circuit`);
      break;
    default:
      checkArithFields(l, path);
      break;
  }
}

function checkCodes(codes: unknown, fs: FixedFormat[], perChannel: number, path: string): void {
  const a = asIntArray(codes, path, fs.length * perChannel);
  for (let i = 0; i < a.length; i++) {
    const f = fs[Math.floor(i / perChannel)]!;
    const c = BigInt(a[i]!);
    if (c < minCode(f) || c > maxCode(f)) fieldError(`${path}[${i}]`, `code ${a[i]} is outside ${formatToString(f)}`);
  }
}

/** Weights, bias and accumulator of a pow2 dense or conv layer. */
function checkPow2Linear(l: Extract<IntLayer, { op: 'dense' | 'conv' }>, path: string): void {
  const w = asObject(l.weights, `${path}.weights`);
  const shape = l.weights.shape;
  const m = shape[0]!;
  const wf = channelFormats(asObject(w.quant, `${path}.weights.quant`) as never, m, `${path}.weights.quant`);
  checkCodes(w.codes, wf, sizeOf(shape) / m, `${path}.weights.codes`);
  if (l.bias !== undefined) asIntArray(l.bias, `${path}.bias`, m);
  const acc = asObject(l.acc, `${path}.acc`);
  asOneOf(acc.kind, `${path}.acc.kind`, ['pow2']);
  asArray(acc.formats, `${path}.acc.formats`);
  channelFormats({ kind: 'pow2', formats: acc.formats as string[] }, m, `${path}.acc`);
  asNumber(acc.bound, `${path}.acc.bound`);
  if (l.activation !== undefined) fieldError(`${path}.activation`, 'is not allowed in a pow2 model (activations are layers of their own)');
}

/** Scheme-specific checks of a pow2 layer, given the formats of its inputs. Returns its output format. */
export function checkPow2Layer(l: IntLayer, inFormats: FixedFormat[], inShapes: number[][], path: string): FixedFormat {
  const out = pow2Format(asObject(l.out, `${path}.out`) as never, `${path}.out`);
  const same = (a: FixedFormat, b: FixedFormat, field: string) => {
    if (formatToString(a) !== formatToString(b))
      fieldError(
        `${path}.${field}`,
        `must equal the input's format ${formatToString(b)} (${l.op} does not requantize it), got ${formatToString(a)}`,
      );
  };
  switch (l.op) {
    case 'dense':
    case 'conv':
      checkPow2Linear(l, path);
      break;
    case 'maxpool':
    case 'flatten':
    case 'reshape':
    case 'transpose':
      same(out, inFormats[0]!, 'out');
      break;
    case 'activation': {
      const inF = pow2Format(l.in, `${path}.in`);
      same(inF, inFormats[0]!, 'in');
      if (inF.width > MAX_ACTIVATION_WIDTH || out.width > MAX_ACTIVATION_WIDTH) {
        fieldError(`${path}.out`, `activation units take formats up to ${MAX_ACTIVATION_WIDTH} bits (in ${inF.width}, out ${out.width})`);
      }
      break;
    }
    case 'add': {
      const F = Math.max(...inFormats.map(fracBits));
      const peak = inFormats.reduce((t, f) => t + maxAbsCode(f) * 2 ** (F - fracBits(f)), 0);
      if (peak >= 2 ** 53)
        fieldError(
          `${path}.inputs`,
          `aligned sums of ${inFormats.map(formatToString).join(' and ')} reach 2^${Math.log2(peak).toFixed(1)}; the simulator is exact only below 2^53`,
        );
      break;
    }
    case 'mul': {
      const [a, b] = inFormats as [FixedFormat, FixedFormat];
      if (a.width + b.width > 53)
        fieldError(
          `${path}.inputs`,
          `products of ${formatToString(a)} and ${formatToString(b)} need ${a.width + b.width} bits; the simulator is exact only below 2^53`,
        );
      break;
    }
    case 'avgpool':
    case 'globalavgpool': {
      const taps = l.op === 'avgpool' ? l.kernel[0] * l.kernel[1] : inShapes[0]![1]! * inShapes[0]![2]!;
      const d = fracBits(out) - fracBits(inFormats[0]!);
      if (taps * maxAbsCode(inFormats[0]!) * 2 ** Math.max(d, 0) >= 2 ** 53 || taps * 2 ** Math.max(-d, 0) >= 2 ** 53) {
        fieldError(
          `${path}.out`,
          `${formatToString(out)} after ${formatToString(inFormats[0]!)} needs integers beyond 2^53; the simulator is exact only below`,
        );
      }
      break;
    }
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      checkPow2Data(l, out, inFormats, inShapes, path);
      break;
    default:
      if (isArith(l)) checkPow2Arith(l, inFormats, path);
      break;
  }
  return out;
}

export { parseModelFormat };
