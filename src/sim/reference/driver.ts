import { UserError } from '../../errors.js';
import type { ConcatLayer, IntLayer, IntModel, LayerEvents } from '../quantize/model.js';
import type { RefKernel } from './kernel.js';
import { concatRef, transposeRef } from './layout.js';
import { ResidentRun, type ResidentScheme } from './resident.js';

/** What differs between the pow2 and the affine reference: the input quantization, the layers' definitions, a tensor's real values. */
export interface RefScheme {
  /** Raw input values times 2^rawScaleLog2 -> the input tensor (saturations counted). */
  input(v: Float64Array, ev: LayerEvents): Float64Array;
  /** The definition of a layer other than flatten, reshape, transpose and concat. */
  layer(l: IntLayer, inShapes: (readonly number[])[], path: string): RefKernel;
  /** Concat: element v of input k in the output's quantization. */
  concatInto(l: ConcatLayer, path: string): (k: number, v: number, ev: LayerEvents) => number;
  /** The scheme's steps on tensors resident in the reference's own memory, when it has them. */
  resident?: ResidentScheme;
}

/**
 * What one chunk of samples may occupy, all its tensors together: within the
 * last-level cache, and large enough that the per-call work of the kernels
 * (copying weights and tap maps into the kernel memory) is spread over many
 * samples (on the bench CNN, chunks of 1 to 4 samples ran about 25 % slower
 * than chunks of 32).
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface RefRun {
  values: Map<string, Float64Array>;
  events: Map<string, LayerEvents>;
}

/**
 * A model compiled for a float reference: one definition per layer, built
 * once from the model as it is when compiled (nothing cached elsewhere).
 * With resident steps, the layer-by-layer definitions of layers that have a
 * resident step are not built when compiled (they would hold a second copy
 * of the weights): only a run on input codes (`inputCodes`, which the pow2
 * callers never use) builds them, on first use.
 */
export class CompiledReference {
  /** Each layer's definition, built on first use (a resident run needs only those of layers without resident steps). */
  private readonly kernels: RefKernel[] = [];
  private readonly inShapes: (readonly number[])[][];
  private readonly perSample: number;
  /** Samples per chunk whose tensors (all layers, float64) fill about CHUNK_BYTES. */
  readonly cacheChunk: number;
  /** The run with every tensor resident in the reference's memory (schemes with resident steps). */
  readonly resident: ResidentRun | undefined;

  constructor(
    readonly model: IntModel,
    private readonly scheme: RefScheme,
  ) {
    const shapes = new Map<string, readonly number[]>([[model.input.name, model.input.shape]]);
    this.inShapes = model.layers.map((l) => {
      const ins = l.inputs.map((n) => shapes.get(n)!);
      shapes.set(l.output, l.shape);
      return ins;
    });
    this.perSample = model.input.shape.reduce((a, d) => a * d, 1);
    const values = [model.input.shape, ...model.layers.map((l) => l.shape)].reduce((a, s) => a + s.reduce((p, d) => p * d, 1), 0);
    this.cacheChunk = Math.max(1, Math.floor(CHUNK_BYTES / (8 * values)));
    this.resident = scheme.resident && new ResidentRun(model, (i) => this.kernel(i), scheme.resident, this.cacheChunk);
    if (!this.resident) model.layers.forEach((_, i) => this.kernel(i));
  }

  private kernel(i: number): RefKernel {
    return (this.kernels[i] ??= this.define(i));
  }

  private define(i: number): RefKernel {
    const l = this.model.layers[i]!,
      inShapes = this.inShapes[i]!,
      path = `layers[${i}]`;
    switch (l.op) {
      case 'flatten':
      case 'reshape':
        return (xs) => xs[0]!;
      case 'transpose':
        return transposeRef(inShapes[0]!, l.perm);
      case 'concat':
        return concatRef(inShapes, l.axis, this.scheme.concatInto(l, path));
      default:
        return this.scheme.layer(l, inShapes, path);
    }
  }

  /** Raw input values (batch-major) through every layer; `inputCodes` when the input already holds input codes. */
  run(input: ArrayLike<number>, batch: number, inputCodes = false): RefRun {
    let values = new Map<string, Float64Array>();
    if (!this.resident || inputCodes) {
      const events = this.eachChunk(input, batch, batch, (v) => (values = v), inputCodes);
      return { values, events };
    }
    const events = this.eachChunk(input, batch, batch, (v, from, n) => {
      for (const [name, a] of v) {
        const per = a.length / n;
        if (!values.has(name)) values.set(name, new Float64Array(per * batch));
        values.get(name)!.set(a, from * per);
      }
    });
    return { values, events };
  }

  /**
   * As run, `chunk` samples at a time (the last chunk may be shorter): visit
   * gets each chunk's tensors (samples [from, from + n) of the batch) while
   * they are still in the cache; the events are those of the whole batch.
   * Every layer treats samples independently, so the chunks' tensors are
   * the slices of run's. With resident steps, chunks hold at most
   * cacheChunk samples and the tensors are views of the reference's memory,
   * valid only during the visit.
   */
  eachChunk(
    input: ArrayLike<number>,
    batch: number,
    chunk: number,
    visit: (values: Map<string, Float64Array>, from: number, n: number) => void,
    inputCodes = false,
  ): Map<string, LayerEvents> {
    const m = this.model;
    if (input.length !== batch * this.perSample)
      throw new UserError(`input has ${input.length} values; model '${m.name}' expects ${batch} x ${this.perSample}`);
    const events = new Map<string, LayerEvents>([
      [m.input.name, { saturations: 0, wraps: 0 }],
      ...m.layers.map((l) => [l.name, { saturations: 0, wraps: 0 }] as const),
    ]);
    const k = 2 ** (m.input.rawScaleLog2 ?? 0);
    const resident = inputCodes ? undefined : this.resident;
    if (resident) chunk = Math.min(chunk, resident.chunk);
    for (let from = 0; from < batch; from += chunk) {
      const n = Math.min(chunk, batch - from);
      if (resident) {
        visit(resident.run(input, from, n, k, events), from, n);
        continue;
      }
      const x = new Float64Array(n * this.perSample);
      for (let i = 0; i < x.length; i++) x[i] = input[from * this.perSample + i]! * (inputCodes ? 1 : k);
      const values = new Map<string, Float64Array>([[m.input.name, inputCodes ? x : this.scheme.input(x, events.get(m.input.name)!)]]);
      m.layers.forEach((l, i) =>
        values.set(
          l.output,
          this.kernel(i)(
            l.inputs.map((name) => values.get(name)!),
            n,
            events.get(l.name)!,
          ),
        ),
      );
      visit(values, from, n);
    }
    return events;
  }
}
