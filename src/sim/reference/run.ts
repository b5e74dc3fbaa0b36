import { UserError } from '../../errors.js';
import type { IntLayer, IntModel, TensorQuant } from '../quantize/model.js';
import { referenceActivation } from './activation.js';
import { convReal, denseReal, type RefKernel } from './linear.js';
import { addReal, concatReal, globalAvgReal, poolReal, transposeReal } from './other.js';
import { quantizeReal, realFormat, type RealEvents, type RealFormat } from './real.js';

export interface ReferenceRunResult {
  /** Real values of every tensor (code * 2^-F of the integer engine's codes, when both agree). */
  tensors: Map<string, Float64Array>;
  /** Saturation and wrap events per layer name (and the input's name), found by the reference's own logic. */
  events: Map<string, RealEvents>;
}

function formatOf(q: TensorQuant): RealFormat {
  if (q.kind !== 'pow2') throw new UserError(`the pow2 float reference cannot run a '${q.kind}' tensor`);
  return realFormat(q.format);
}

function size(s: readonly number[]): number {
  return s.reduce((a, d) => a * d, 1);
}

function compile(l: IntLayer, ins: RealFormat[], shapes: (readonly number[])[], out: RealFormat): RefKernel {
  switch (l.op) {
    case 'dense': return denseReal(l, ins[0]!, size(shapes[0]!));
    case 'conv': return convReal(l, ins[0]!, shapes[0]!);
    case 'maxpool': case 'avgpool': return poolReal(l, shapes[0]!, out);
    case 'globalavgpool': return globalAvgReal(shapes[0]!, out);
    case 'flatten': case 'reshape': return (xs) => xs[0]!;
    case 'transpose': return transposeReal(shapes[0]!, l.perm);
    case 'add': return addReal(out);
    case 'concat': return concatReal(l, shapes, out);
    case 'activation': {
      const act = referenceActivation(l.activation, ins[0]!, out);
      return (xs, _b, ev) => {
        const x = xs[0]!, y = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) y[i] = act(x[i]!, ev);
        return y;
      };
    }
  }
}

const compiled = new WeakMap<IntModel, { kernels: RefKernel[]; inF: RealFormat }>();

function plan(m: IntModel): { kernels: RefKernel[]; inF: RealFormat } {
  let p = compiled.get(m);
  if (p) return p;
  const inF = formatOf(m.input.quant);
  const formats = new Map<string, RealFormat>([[m.input.name, inF]]);
  const shapes = new Map<string, readonly number[]>([[m.input.name, m.input.shape]]);
  const kernels = m.layers.map((l) => {
    const out = formatOf(l.out);
    const k = compile(l, l.inputs.map((n) => formats.get(n)!), l.inputs.map((n) => shapes.get(n)!), out);
    formats.set(l.output, out);
    shapes.set(l.output, l.shape);
    return k;
  });
  p = { kernels, inF };
  compiled.set(m, p);
  return p;
}

/**
 * The float reference: the same quantized network executed in float64 on
 * dequantized values (weights code * 2^-F), rounding and saturating at the
 * same points with the float operations of real.ts. For a pow2 model every
 * value is exact, so each tensor equals the integer engine's codes times
 * 2^-F element for element.
 */
export function runReference(m: IntModel, input: ArrayLike<number>, batch: number): ReferenceRunResult {
  if (m.scheme !== 'pow2') throw new UserError(`runReference: scheme '${m.scheme}' has its own reference`);
  const p = plan(m);
  const scale = 2 ** (m.input.rawScaleLog2 ?? 0);
  if (input.length !== batch * size(m.input.shape)) throw new UserError(`input has ${input.length} values; model '${m.name}' expects ${batch} x ${size(m.input.shape)}`);
  const events = new Map<string, RealEvents>();
  const inEv = { saturations: 0, wraps: 0 };
  events.set(m.input.name, inEv);
  const x = new Float64Array(input.length);
  for (let i = 0; i < x.length; i++) x[i] = quantizeReal(input[i]! * scale, p.inF, inEv);
  const tensors = new Map<string, Float64Array>([[m.input.name, x]]);
  m.layers.forEach((l, i) => {
    const ev = { saturations: 0, wraps: 0 };
    tensors.set(l.output, p.kernels[i]!(l.inputs.map((n) => tensors.get(n)!), batch, ev));
    events.set(l.name, ev);
  });
  return { tensors, events };
}
