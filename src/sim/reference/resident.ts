import type { IntModel, LayerEvents } from '../quantize/model.js';
import type { RefKernel } from './kernel.js';
import { ReferenceMemory } from './wasm/resident.js';

/**
 * A layer on tensors resident in the reference's memory: reads its inputs
 * at byte offsets `ins`, writes `batch` samples of its output at `out`, adds
 * its events to ev.
 */
export type ResidentStep = (ins: number[], out: number, batch: number, ev: LayerEvents) => void;

/** A scheme's resident definitions (undefined for a layer: its RefKernel runs on views of the memory). */
export interface ResidentScheme {
  /** Quantizes n input values in place at byte offset `at`. */
  input(mem: ReferenceMemory, at: number, n: number, ev: LayerEvents): void;
  /** The layer's step (chunk: the most samples a step runs at once), or undefined: its RefKernel runs on views. */
  layer(mem: ReferenceMemory, l: IntModel['layers'][number], inShapes: (readonly number[])[], chunk: number): ResidentStep | undefined;
}

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/**
 * A compiled reference's run of one chunk of at most `chunk` samples with
 * every tensor in one slot of its memory: the input written and quantized
 * there, each layer's step reading and writing slots (flatten and reshape
 * name their input's slot; a layer without a resident step runs its RefKernel
 * on views of its inputs and its output is copied into its slot).
 */
export class ResidentRun {
  readonly mem = new ReferenceMemory();
  private readonly steps: ResidentStep[];
  /** Byte offset and per-sample size of every tensor, by name. */
  private readonly slots = new Map<string, { at: number; size: number }>();
  private readonly compareAt: number;

  constructor(
    private readonly model: IntModel,
    kernel: (layer: number) => RefKernel,
    scheme: ResidentScheme,
    readonly chunk: number,
  ) {
    const shapes = new Map<string, readonly number[]>([[model.input.name, model.input.shape]]);
    this.steps = model.layers.map((l, i) => {
      const inShapes = l.inputs.map((n) => shapes.get(n)!);
      shapes.set(l.output, l.shape);
      if (l.op === 'flatten' || l.op === 'reshape') return () => undefined;
      return scheme.layer(this.mem, l, inShapes, chunk) ?? this.onViews(kernel(i), inShapes.map(size), size(l.shape));
    });
    const slot = (name: string, s: readonly number[]) => this.slots.set(name, { at: this.mem.alloc(size(s) * chunk * 8), size: size(s) });
    slot(model.input.name, model.input.shape);
    for (const l of model.layers) {
      if (l.op === 'flatten' || l.op === 'reshape') this.slots.set(l.output, { ...this.slots.get(l.inputs[0]!)!, size: size(l.shape) });
      else slot(l.output, l.shape);
    }
    this.mem.seal();
    this.compareAt = this.mem.alloc(Math.max(...[...this.slots.values()].map((s) => s.size)) * chunk * 8);
    this.inputQuantize = (at, n, ev) => scheme.input(this.mem, at, n, ev);
  }

  private readonly inputQuantize: (at: number, n: number, ev: LayerEvents) => void;

  private onViews(kernel: RefKernel, inSizes: number[], outSize: number): ResidentStep {
    return (ins, out, batch, ev) => {
      const y = kernel(
        ins.map((at, j) => this.mem.f64(at, inSizes[j]! * batch)),
        batch,
        ev,
      );
      this.mem.f64(out, outSize * batch).set(y);
    };
  }

  /**
   * Samples [from, from + n) of the input (n <= chunk; raw values times k)
   * through every layer; returns views of every tensor's slot, valid until
   * the next call.
   */
  run(input: ArrayLike<number>, from: number, n: number, k: number, events: Map<string, LayerEvents>): Map<string, Float64Array> {
    const m = this.model;
    const inSlot = this.slots.get(m.input.name)!;
    const x = this.mem.f64(inSlot.at, n * inSlot.size);
    const base = from * inSlot.size;
    for (let i = 0; i < x.length; i++) x[i] = input[base + i]! * k;
    this.inputQuantize(inSlot.at, x.length, events.get(m.input.name)!);
    m.layers.forEach((l, i) =>
      this.steps[i]!(
        l.inputs.map((name) => this.slots.get(name)!.at),
        this.slots.get(l.output)!.at,
        n,
        events.get(l.name)!,
      ),
    );
    return new Map([...this.slots].map(([name, s]) => [name, this.mem.f64(s.at, s.size * n)]));
  }

  /**
   * The first index where reals * scale - codes is not 0 (codes.length when
   * none), reals a view returned by run: codes are copied next to it and
   * compared in the reference's memory.
   */
  firstDifference(reals: Float64Array, codes: Float64Array, scale: number): number {
    this.mem.f64(this.compareAt, codes.length).set(codes);
    return this.mem.k.first_difference_f64(reals.byteOffset, this.compareAt, codes.length, scale);
  }

  /** Whether `a` is a view of this run's memory. */
  holds(a: Float64Array): boolean {
    return a.buffer === this.mem.k.memory.buffer;
  }
}
