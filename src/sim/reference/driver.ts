import { UserError } from '../../errors.js';
import type { ConcatLayer, IntLayer, IntModel, LayerEvents } from '../quantize/model.js';
import type { RefKernel } from './kernel.js';
import { concatRef, transposeRef } from './layout.js';

/** What differs between the pow2 and the affine reference: the input quantization, the layers' definitions, a tensor's real values. */
export interface RefScheme {
  /** Raw input values times 2^rawScaleLog2 -> the input tensor (saturations counted). */
  input(v: Float64Array, ev: LayerEvents): Float64Array;
  /** The definition of a layer other than flatten, reshape, transpose and concat. */
  layer(l: IntLayer, inShapes: (readonly number[])[], path: string): RefKernel;
  /** Concat: element v of input k in the output's quantization. */
  concatInto(l: ConcatLayer, path: string): (k: number, v: number, ev: LayerEvents) => number;
}

export interface RefRun { values: Map<string, Float64Array>; events: Map<string, LayerEvents> }

/**
 * A model compiled for a float reference: one definition per layer, built
 * once from the model as it is when compiled (nothing cached elsewhere).
 */
export class CompiledReference {
  private readonly kernels: RefKernel[];
  private readonly perSample: number;

  constructor(readonly model: IntModel, private readonly scheme: RefScheme) {
    const shapes = new Map<string, readonly number[]>([[model.input.name, model.input.shape]]);
    this.kernels = model.layers.map((l, i) => {
      const inShapes = l.inputs.map((n) => shapes.get(n)!);
      shapes.set(l.output, l.shape);
      const path = `layers[${i}]`;
      switch (l.op) {
        case 'flatten': case 'reshape': return (xs) => xs[0]!;
        case 'transpose': return transposeRef(inShapes[0]!, l.perm);
        case 'concat': return concatRef(inShapes, l.axis, scheme.concatInto(l, path));
        default: return scheme.layer(l, inShapes, path);
      }
    });
    this.perSample = model.input.shape.reduce((a, d) => a * d, 1);
  }

  /** Raw input values (batch-major) through every layer; `inputCodes` when the input already holds input codes. */
  run(input: ArrayLike<number>, batch: number, inputCodes = false): RefRun {
    const m = this.model;
    if (input.length !== batch * this.perSample) throw new UserError(`input has ${input.length} values; model '${m.name}' expects ${batch} x ${this.perSample}`);
    const inEv = { saturations: 0, wraps: 0 };
    const k = 2 ** (m.input.rawScaleLog2 ?? 0);
    const x = inputCodes ? Float64Array.from(input) : this.scheme.input(Float64Array.from(input, (v) => v * k), inEv);
    const values = new Map<string, Float64Array>([[m.input.name, x]]);
    const events = new Map<string, LayerEvents>([[m.input.name, inEv]]);
    m.layers.forEach((l, i) => {
      const ev = { saturations: 0, wraps: 0 };
      values.set(l.output, this.kernels[i]!(l.inputs.map((n) => values.get(n)!), batch, ev));
      events.set(l.name, ev);
    });
    return { values, events };
  }
}
