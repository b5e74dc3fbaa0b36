import { sizeOf } from '../../../models/graph.js';
import { asArray, asInt, asIntArray, asNumber, asObject, asOneOf, asShape, fieldError } from '../fields.js';
import type { AffineQuant, IntLayer, IntModel } from '../model.js';
import { checkAffineData } from '../data-layers.js';
import { AFFINE_RANGE, FUSED_ACTIVATIONS, isAffine8, isFloat32Scale, sameAffine, tensorParams, type AffineLayer } from './types.js';

type Raw = Record<string, unknown>;

/** Weight or constant quant: int8/uint8, one scale (and zero point) or one per channel of axis 0. */
function checkChannelQuant(v: unknown, channels: number, path: string): AffineQuant {
  const q = asObject(v, path);
  asOneOf(q.kind, `${path}.kind`, ['affine']);
  const type = asOneOf(q.type, `${path}.type`, ['int8', 'uint8']);
  const scale = asArray(q.scale, `${path}.scale`);
  const zp = asIntArray(q.zeroPoint, `${path}.zeroPoint`);
  if (scale.length !== 1 && scale.length !== channels)
    fieldError(`${path}.scale`, `must hold 1 or ${channels} scales, has ${scale.length}`);
  if (zp.length !== scale.length) fieldError(`${path}.zeroPoint`, `must hold as many entries as scale (${scale.length}), has ${zp.length}`);
  if (scale.length > 1 && q.axis !== undefined && q.axis !== 0) fieldError(`${path}.axis`, 'must be 0 (output channels)');
  scale.forEach((s, i) => {
    if (!isFloat32Scale(s)) fieldError(`${path}.scale[${i}]`, `must be a positive finite float32, got ${JSON.stringify(s)}`);
  });
  const [lo, hi] = AFFINE_RANGE[type];
  zp.forEach((z, i) => asInt(z, `${path}.zeroPoint[${i}]`, lo, hi));
  return q as unknown as AffineQuant;
}

function checkCodes(v: unknown, n: number, type: 'int8' | 'uint8' | 'int32', path: string): void {
  const a = asIntArray(v, path, n);
  const [lo, hi] = AFFINE_RANGE[type];
  for (let i = 0; i < a.length; i++)
    if (a[i]! < lo || a[i]! > hi) fieldError(`${path}[${i}]`, `code ${a[i]} is outside ${type} [${lo}, ${hi}]`);
}

function checkRescale(v: unknown, m: number, path: string): void {
  const r = asObject(v, path);
  for (const key of ['scale', 'bias'] as const) {
    if (key === 'bias' && r.bias === undefined) continue;
    const a = asArray(r[key], `${path}.${key}`);
    if (a.length !== 1 && a.length !== m) fieldError(`${path}.${key}`, `must hold 1 or ${m} values, has ${a.length}`);
    a.forEach((x, i) => {
      const f = asNumber(x, `${path}.${key}[${i}]`);
      if (Math.fround(f) !== f) fieldError(`${path}.${key}[${i}]`, `must be a float32 value, got ${f}`);
    });
  }
}

function checkLinear(l: Raw & AffineLayer & { op: 'dense' | 'conv' }, path: string): void {
  const shape = l.weights.shape;
  const m = shape[0]!;
  const q = checkChannelQuant(l.weights.quant, m, `${path}.weights.quant`);
  checkCodes(l.weights.codes, sizeOf(shape), q.type, `${path}.weights.codes`);
  if (l.bias !== undefined) checkCodes(l.bias, m, 'int32', `${path}.bias`);
  const acc = asObject(l.acc, `${path}.acc`);
  asOneOf(acc.kind, `${path}.acc.kind`, ['int']);
  asInt(acc.bits, `${path}.acc.bits`, 2, 32);
  asOneOf(acc.overflow, `${path}.acc.overflow`, ['WRAP', 'SAT']);
  if (l.activation !== undefined) asOneOf(l.activation, `${path}.activation`, FUSED_ACTIVATIONS);
  if (l.rescale !== undefined) {
    checkRescale(l.rescale, m, `${path}.rescale`);
    if (l.bias !== undefined) fieldError(`${path}.bias`, 'must be absent when the layer has a float rescale (its bias is rescale.bias)');
  }
}

function checkAdd(l: Raw & AffineLayer, inputs: readonly { shape: number[] }[], path: string): void {
  if (l.activation !== undefined) asOneOf(l.activation, `${path}.activation`, FUSED_ACTIVATIONS);
  if (inputs.length === 2) {
    if (l.constant !== undefined) fieldError(`${path}.constant`, 'must be absent when the add has two inputs');
    return;
  }
  const c = asObject(l.constant, `${path}.constant`);
  const shape = c.shape === undefined || (Array.isArray(c.shape) && c.shape.length === 0) ? [] : asShape(c.shape, `${path}.constant.shape`);
  const q = checkChannelQuant(c.quant, 1, `${path}.constant.quant`);
  checkCodes(c.codes, sizeOf(shape), q.type, `${path}.constant.codes`);
  const x = inputs[0]!.shape;
  if (shape.length > x.length || shape.some((d, i) => d !== 1 && d !== x[x.length - shape.length + i])) {
    fieldError(`${path}.constant.shape`, `[${shape.join(',')}] does not broadcast to the input [${x.join(',')}]`);
  }
}

/**
 * The affine checks of one layer, given its inputs' shapes and quants
 * (registered with the model validator for scheme 'affine'). Runtime tensors
 * are per-tensor int8/uint8; data-movement layers keep their input's quant.
 */
export function checkAffineLayer(layer: IntLayer, inputs: { shape: number[]; quant: unknown }[], path: string, _model: IntModel): void {
  const l = layer as Raw & AffineLayer;
  tensorParams(l.out, `${path}.out`);
  inputs.forEach((t, i) => tensorParams(t.quant as AffineQuant, `${path}.inputs[${i}] (its quant)`));
  if (l.op !== 'dense' && l.op !== 'conv' && l.rescale !== undefined)
    fieldError(`${path}.rescale`, `is only allowed on dense and conv layers`);
  if (l.op !== 'add' && l.constant !== undefined) fieldError(`${path}.constant`, `is only allowed on add layers`);
  switch (l.op) {
    case 'dense':
    case 'conv':
      checkLinear(l as never, path);
      break;
    case 'add':
      checkAdd(l, inputs, path);
      break;
    case 'flatten':
    case 'reshape':
    case 'transpose':
      if (!sameAffine(l.out, inputs[0]!.quant as AffineQuant))
        fieldError(`${path}.out`, `must equal the input's quant (${l.op} moves codes unchanged)`);
      break;
    case 'activation': {
      const inQ = tensorParams(l.in, `${path}.in`);
      if (!isAffine8(inQ.type) || !sameAffine(l.in, inputs[0]!.quant as AffineQuant))
        fieldError(`${path}.in`, 'must equal the quant of the layer input');
      break;
    }
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      checkAffineData(
        l,
        inputs.map((t) => t.quant as AffineQuant),
        inputs.map((t) => t.shape),
        path,
      );
      break;
    default:
      break;
  }
}
