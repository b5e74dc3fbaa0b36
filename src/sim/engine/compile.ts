import { UserError } from '../../errors.js';
import { sizeOf } from '../../models/graph.js';
import type { IntModel, LayerEvents, TensorQuant } from '../quantize/model.js';
import type { KernelChoice, LinearPath } from './kernels.js';
import { layerKernel, type PlanContext, type Step } from './plan.js';
import { codesInput, rawInput, ResidentPlan, type InputWriter } from './resident/pipeline.js';
import type { ActivationMode, Scheme, SchemeOptions } from './scheme.js';
import { affineScheme } from './affine/scheme.js';
import { pow2Scheme } from './pow2/scheme.js';

export interface RunOptions {
  /** Which tensors to return: every tensor (default) or only the model outputs. */
  keep?: 'all' | 'outputs';
  /** Return every tensor as a Float64Array of exact integer codes (no narrowing to Int32Array). */
  float64Codes?: boolean;
}

export interface IntegerRunResult {
  /** Integer codes of each tensor, batch-major: Int32Array when the tensor's codes fit, else Float64Array (exact integers). */
  tensors: Map<string, Int32Array | Float64Array>;
  /** Saturation and wrap events per layer name (and the input's name for input quantization). */
  events: Map<string, LayerEvents>;
}

export interface CompileOptions extends SchemeOptions {
  /** Exact dense/conv layers on the WebAssembly kernels (default) or on the JavaScript GEMM. */
  kernels: KernelChoice;
  /**
   * With the WebAssembly kernels, run the whole model in WebAssembly memory
   * when every layer allows it (resident/pipeline.ts; default true); false
   * keeps the layer-by-layer engine.
   */
  resident: boolean;
}

/** The model's scheme (engine/pow2, engine/affine): the driver and the plan know only the Scheme interface. */
function schemeOf(model: IntModel, opts: SchemeOptions): Scheme {
  switch (model.scheme) {
    case 'pow2':
      return pow2Scheme(model);
    case 'affine':
      return affineScheme(model, opts);
    default:
      throw new UserError(`scheme '${(model as { scheme: unknown }).scheme}': must be pow2 or affine`);
  }
}

/**
 * A model compiled for the integer engine: the plan (every layer's kernel,
 * with the weights, formats and requantizers it derived from the model)
 * belongs to this object. It reads the model once, when compiled: a model
 * edited afterwards needs a new compile, and nothing is cached anywhere else.
 */
export class CompiledModel {
  readonly mode: ActivationMode;
  private readonly scheme: Scheme;
  private readonly steps: Step[];
  private readonly quants: Map<string, TensorQuant>;
  private readonly perSample: number;
  /** The kernel of each dense and conv layer (by name): 'i16' or 'wide' (WebAssembly), 'js' (exact JavaScript GEMM), 'checked'. */
  readonly linearPaths: ReadonlyMap<string, LinearPath>;
  /** The whole-model WebAssembly pipeline, when the model allows it (see `resident`). */
  private readonly resident: ResidentPlan | undefined;

  constructor(
    readonly model: IntModel,
    opts: Partial<CompileOptions> = {},
  ) {
    this.mode = opts.mode ?? 'functional';
    this.scheme = schemeOf(model, { requant: opts.requant, accumulation: opts.accumulation, mode: this.mode });
    const m = model;
    const ctx: PlanContext = {
      shapes: new Map([[m.input.name, m.input.shape]]),
      quants: new Map([[m.input.name, m.input.quant]]),
      kernels: opts.kernels ?? 'wasm',
      paths: new Map(),
      operands: new Map(),
    };
    this.steps = m.layers.map((l, i) => {
      const kernel = layerKernel(l, this.scheme, ctx, this.mode, `layers[${i}]`);
      ctx.shapes.set(l.output, l.shape);
      ctx.quants.set(l.output, l.out);
      return { name: l.name, output: l.output, inputs: l.inputs, kernel };
    });
    this.quants = ctx.quants;
    this.linearPaths = ctx.paths;
    this.resident =
      ctx.kernels === 'wasm' && opts.resident !== false
        ? ResidentPlan.of(
            m,
            this.scheme,
            ctx,
            this.mode,
            this.steps.map((s) => s.kernel),
          )
        : undefined;
    ctx.operands = undefined;
    this.perSample = sizeOf(m.input.shape);
  }

  /** Whether runs take the whole-model WebAssembly pipeline (resident/pipeline.ts) rather than the layer-by-layer engine. */
  get residentPipeline(): boolean {
    return this.resident !== undefined;
  }

  /** In the resident pipeline, the layers that run their layer-by-layer kernel on copies of their inputs (none: every layer has a WebAssembly kernel). */
  get hostLayers(): string[] {
    return this.resident?.hostLayers ?? [];
  }

  private checkBatch(n: number, batch: number): void {
    if (!Number.isInteger(batch) || batch < 0 || n !== batch * this.perSample) {
      const m = this.model;
      throw new UserError(
        `input has ${n} values; model '${m.name}' expects ${batch} x ${this.perSample} (per-sample shape [${m.input.shape.join(',')}])`,
      );
    }
  }

  /**
   * Runs `batch` samples (raw dataset values, batch-major, per-sample shape
   * model.input.shape): each value times 2^rawScaleLog2 (exact), quantized by
   * the scheme, then integer arithmetic only (except where an affine scheme
   * prescribes float operations).
   */
  run(input: ArrayLike<number>, batch: number, opts: RunOptions = {}): IntegerRunResult {
    this.checkBatch(input.length, batch);
    const k = 2 ** (this.model.input.rawScaleLog2 ?? 0);
    const f = this.scheme.inputFormat;
    if (this.resident && f) {
      const ev = { saturations: 0, wraps: 0 };
      const w = rawInput(input, k, f, ev);
      if (w) return this.runResident(w, input.length, batch, ev, opts);
    }
    const v = new Float64Array(input.length);
    for (let i = 0; i < v.length; i++) {
      v[i] = input[i]! * k;
      if (!Number.isFinite(v[i]!)) throw new UserError(`input value ${input[i]} at index ${i} is not a finite number`);
    }
    const ev = { saturations: 0, wraps: 0 };
    return this.runFrom(this.scheme.quantizeInput(v, ev), batch, ev, opts);
  }

  private runResident(input: InputWriter, n: number, batch: number, inEv: LayerEvents, opts: RunOptions): IntegerRunResult {
    const m = this.model;
    const events = new Map<string, LayerEvents>([[m.input.name, inEv]]);
    const keep = opts.keep === 'outputs' ? m.outputs : [m.input.name, ...new Set(this.steps.map((s) => s.output))];
    return { tensors: this.resident!.run(input, n, batch, keep, opts.float64Codes === true, events), events };
  }

  /** As run, with the input given as codes of the input tensor (checked). */
  runCodes(codes: ArrayLike<number>, batch: number, opts: RunOptions = {}): IntegerRunResult {
    this.checkBatch(codes.length, batch);
    this.scheme.checkInputCodes(codes);
    return this.runFrom(Float64Array.from(codes), batch, { saturations: 0, wraps: 0 }, opts);
  }

  private runFrom(x: Float64Array, batch: number, inEv: LayerEvents, opts: RunOptions): IntegerRunResult {
    const m = this.model;
    if (this.resident) return this.runResident(codesInput(x), x.length, batch, inEv, opts);
    const events = new Map<string, LayerEvents>([[m.input.name, inEv]]);
    const values = new Map<string, Float64Array>([[m.input.name, x]]);
    for (const s of this.steps) {
      const ev = { saturations: 0, wraps: 0 };
      values.set(
        s.output,
        s.kernel(
          s.inputs.map((n) => values.get(n)!),
          batch,
          ev,
        ),
      );
      events.set(s.name, ev);
    }
    const keep = opts.keep === 'outputs' ? m.outputs : [...values.keys()];
    const tensors = new Map(
      keep.map((n) => {
        const v = values.get(n)!;
        return [n, opts.float64Codes || !this.scheme.fitsInt32(this.quants.get(n)!) ? v : Int32Array.from(v)] as const;
      }),
    );
    return { tensors, events };
  }
}

/** Compiles a model for the integer engine (see CompiledModel). */
export function compile(m: IntModel, opts: Partial<CompileOptions> = {}): CompiledModel {
  return new CompiledModel(m, opts);
}
