import { windowOutput } from '../../models/window.js';
import { sizeOf } from '../../models/graph.js';
import { fieldError } from './fields.js';
import type { IntLayer } from './model.js';
import { dataLayerShape } from './data-layers.js';
import { arithShape } from './model-arith.js';

const fmt = (s: readonly number[]): string => `[${s.join(',')}]`;

function windowShape(l: Extract<IntLayer, { kernel: unknown }>, x: readonly number[], ceil: boolean, path: string): [number, number] {
  if (x.length !== 3) fieldError(`${path}.inputs`, `must be a [C,H,W] tensor, got ${fmt(x)}`);
  const oh = windowOutput(x[1]!, l.kernel[0], l.strides[0], l.pads[0], l.pads[2], l.dilations[0], ceil);
  const ow = windowOutput(x[2]!, l.kernel[1], l.strides[1], l.pads[1], l.pads[3], l.dilations[1], ceil);
  if (oh < 1 || ow < 1) fieldError(`${path}.kernel`, `window ${fmt(l.kernel)} does not fit input ${fmt(x)}`);
  return [oh, ow];
}

/** Per-sample output shape of a layer from its input shapes; UserError naming the field on a mismatch. */
export function layerShape(l: IntLayer, ins: (readonly number[])[], path: string): number[] {
  const x = ins[0]!;
  switch (l.op) {
    case 'dense': {
      const [n, k] = l.weights.shape as [number, number];
      if (x[x.length - 1] !== k) fieldError(`${path}.weights.shape`, `expects ${k} input features, input is ${fmt(x)}`);
      return [...x.slice(0, -1), n];
    }
    case 'conv': {
      const [m, cg] = l.weights.shape as [number, number];
      if (x[0]! % l.group !== 0 || m % l.group !== 0 || cg * l.group !== x[0]) {
        fieldError(`${path}.group`, `group ${l.group} with weights ${fmt(l.weights.shape)} does not fit input ${fmt(x)}`);
      }
      return [m, ...windowShape(l, x, false, path)];
    }
    case 'maxpool':
    case 'avgpool':
      return [x[0]!, ...windowShape(l, x, l.ceilMode, path)];
    case 'globalavgpool':
      if (x.length !== 3) fieldError(`${path}.inputs`, `must be a [C,H,W] tensor, got ${fmt(x)}`);
      return [x[0]!, 1, 1];
    case 'flatten':
      return [sizeOf(x)];
    case 'reshape':
      if (sizeOf(l.shape) !== sizeOf(x)) fieldError(`${path}.shape`, `${fmt(l.shape)} does not hold the ${sizeOf(x)} values of ${fmt(x)}`);
      return [...l.shape];
    case 'transpose': {
      const sorted = [...l.perm].sort((a, b) => a - b);
      if (l.perm.length !== x.length || sorted.some((v, i) => v !== i))
        fieldError(`${path}.perm`, `is not a permutation of ${x.length} axes`);
      return l.perm.map((i) => x[i]!);
    }
    case 'add':
      // An affine add may take its second operand as a constant (QLinearAdd with an
      // initializer); the affine layer checker validates its broadcast.
      if (ins.length === 1 && 'constant' in l && l.constant !== undefined) return [...x];
      if (ins.length !== 2 || fmt(ins[1]!) !== fmt(x))
        fieldError(`${path}.inputs`, `must be two tensors of one shape, got ${ins.map(fmt).join(' ')}`);
      return [...x];
    case 'mul': {
      const b = ins[1]!;
      if (b.length !== x.length || b.some((d, i) => d !== 1 && d !== x[i]))
        fieldError(`${path}.inputs`, `second input ${fmt(b)} does not broadcast to the first ${fmt(x)}`);
      return [...x];
    }
    case 'concat': {
      if (!(l.axis >= 0 && l.axis < x.length)) fieldError(`${path}.axis`, `is out of range for ${fmt(x)}`);
      const out = [...x];
      out[l.axis] = 0;
      for (const s of ins) {
        if (s.length !== x.length || s.some((d, i) => i !== l.axis && d !== x[i]))
          fieldError(`${path}.inputs`, `shapes ${ins.map(fmt).join(' ')} differ outside axis ${l.axis}`);
        out[l.axis] += s[l.axis]!;
      }
      return out;
    }
    case 'activation':
      return [...x];
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      return dataLayerShape(l, ins, path);
    default:
      return arithShape(l, ins, path);
  }
}
