import { UserError } from '../../../errors.js';
import { fracBits, maxCode } from '../../../fixedpoint/format.js';
import { lowestKept } from '../../../fixedpoint/overflow.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../fixedpoint/types.js';
import { sizeOf } from '../../../models/graph.js';
import { countEvent } from '../accumulate.js';
import type { IntLayer, IntModel, LayerEvents } from '../../quantize/model.js';
import type { PlanContext } from '../plan.js';
import type { Kernel } from '../kernel.js';
import type { ActivationMode, Scheme } from '../scheme.js';
import { alloc, f64View, i16View, release } from '../wasm/heap.js';
import { kernels } from '../wasm/module.js';
import { residentAdd, residentAvgPool, residentGlobalAvgPool } from './elementwise.js';
import { residentConcat } from './concat.js';
import { directConvFits, residentDirectConv } from './direct-conv.js';
import { residentActivation, residentConv, residentDense, residentMaxPool, windowsCovered, type ResidentKernel } from './steps.js';

/*
 * The resident pipeline: a whole model run in WebAssembly memory, every
 * tensor an int16 code array there for the whole run (one block per run, no
 * per-layer copies or allocations), every layer one or a few kernel calls,
 * the batch's samples together (dense layers see M = batch * rows). A model
 * takes it when every tensor's codes fit int16; otherwise the layer-by-layer
 * engine runs it. Layers with a resident kernel (dense and conv on the int16
 * path with a data output stage, activations by table, max pools without
 * conversion, pow2 average pools, adds and concats, flatten and reshape) run it; any other layer runs its
 * layer-by-layer kernel on copies of its inputs (hostStep). Both give the
 * same codes and events: the kernels compute the same definitions.
 */

interface ResidentStep {
  readonly name: string;
  readonly output: string;
  readonly inputs: readonly string[];
  /** Per-sample elements of the output. */
  readonly size: number;
  /** undefined: the output is the input's codes (flatten, reshape). */
  readonly kernel?: ResidentKernel;
  /** The layer runs its layer-by-layer kernel (hostStep). */
  readonly host: boolean;
}

function residentKernel(l: IntLayer, s: Scheme, ctx: PlanContext, mode: ActivationMode): ResidentKernel | 'alias' | undefined {
  const inShape = ctx.shapes.get(l.inputs[0]!)!,
    inQ = ctx.quants.get(l.inputs[0]!)!;
  switch (l.op) {
    case 'flatten':
    case 'reshape':
      return 'alias';
    case 'dense':
    case 'conv': {
      const ops = ctx.operands?.get(l.name);
      if (!(ops?.narrow || ops?.requant) || ctx.paths.get(l.name) !== 'i16') return undefined;
      if (l.op === 'dense') return residentDense(ops, inShape);
      return directConvFits(l) ? residentDirectConv(l, ops, inShape) : residentConv(l, ops, inShape);
    }
    case 'activation': {
      const t = s.activationTable?.(l, inQ, l.out, mode);
      return t && residentActivation(t, inShape);
    }
    case 'add':
      return residentAdd(
        s,
        l.inputs.map((n) => ctx.quants.get(n)!),
        l.inputs.map((n) => ctx.shapes.get(n)!),
        l.out,
      );
    case 'globalavgpool':
      return residentGlobalAvgPool(s, inQ, inShape, l.out);
    case 'maxpool':
      return s.convert(inQ, l.out, 'resident') === undefined && windowsCovered(l, inShape) ? residentMaxPool(l, inShape) : undefined;
    case 'avgpool':
      return residentAvgPool(s, l, inQ, inShape);
    case 'concat':
      return residentConcat(
        s,
        l,
        l.inputs.map((n) => ctx.quants.get(n)!),
        l.inputs.map((n) => ctx.shapes.get(n)!),
      );
    default:
      return undefined;
  }
}

/** Writes a run's input codes (int16) at `at`, with n0 * 8 bytes of scratch at `scratch`. */
export type InputWriter = (at: number, scratch: number) => void;

/** Input codes given as doubles (integers of the input's quantization, checked by the caller). */
export function codesInput(codes: Float64Array): InputWriter {
  return (at, scratch) => {
    f64View(scratch, codes.length).set(codes);
    kernels().f64_to_i16(scratch, at, codes.length);
  };
}

/**
 * Raw values quantized in WebAssembly (quantize_f64_i16): each times k, then
 * into `f` (fixed-point quantizeNumber), events counted into ev; a value whose
 * product with k is not finite is a UserError. undefined when 2^F of f is not
 * a double (the layer-by-layer path's bigint route).
 */
export function rawInput(x: ArrayLike<number>, k: number, f: FixedFormat, ev: LayerEvents): InputWriter | undefined {
  const F = fracBits(f);
  if (F > 1023 || F < -1074) return undefined;
  const lo = Number(lowestKept(f)),
    hi = Number(maxCode(f));
  return (at, scratch) => {
    const km = kernels();
    f64View(scratch, x.length).set(x);
    const r = km.quantize_f64_i16(
      scratch,
      x.length,
      k,
      2 ** F,
      ROUNDINGS.indexOf(f.rounding),
      OVERFLOWS.indexOf(f.overflow),
      lo,
      hi,
      f.width,
      f.signed ? 1 : 0,
      at,
    );
    if (r < 0) throw new UserError(`input value ${x[-r - 1]} at index ${-r - 1} is not a finite number`);
    if (r > 0) countEvent(ev, f, r);
  };
}

/**
 * A layer without a resident kernel: its layer-by-layer kernel on its inputs
 * copied out as doubles; its int16 codes copied back (views taken after the
 * kernel, which may grow the memory).
 */
function hostStep(kernel: Kernel, inSizes: readonly number[]): ResidentKernel {
  return {
    scratch: () => 0,
    run(at, batch, ev) {
      const ins = at.ins.map((a, i) => Float64Array.from(i16View(a, inSizes[i]! * batch)));
      const y = kernel(ins, batch, ev);
      i16View(at.out, y.length).set(y);
    },
  };
}

export class ResidentPlan {
  private constructor(
    private readonly model: IntModel,
    private readonly steps: readonly ResidentStep[],
  ) {}

  /** The layers that run their layer-by-layer kernel inside the pipeline. */
  get hostLayers(): string[] {
    return this.steps.filter((s) => s.host).map((s) => s.name);
  }

  /**
   * The plan of a model whose tensors' codes all fit int16 (ctx: the
   * layer-by-layer plan's shapes, paths and operands; kernels: its kernel of
   * each layer, for the layers without a resident one), else undefined.
   */
  static of(m: IntModel, s: Scheme, ctx: PlanContext, mode: ActivationMode, kernels: readonly Kernel[]): ResidentPlan | undefined {
    if (!s.i16Codes || !s.i16Codes(m.input.quant) || !m.layers.every((l) => s.i16Codes!(l.out))) return undefined;
    const steps = m.layers.map((l, i): ResidentStep => {
      const fast = residentKernel(l, s, ctx, mode);
      const k =
        fast ??
        hostStep(
          kernels[i]!,
          l.inputs.map((n) => sizeOf(ctx.shapes.get(n)!)),
        );
      return {
        name: l.name,
        output: l.output,
        inputs: l.inputs,
        size: sizeOf(l.shape),
        kernel: k === 'alias' ? undefined : k,
        host: fast === undefined,
      };
    });
    return new ResidentPlan(m, steps);
  }

  /**
   * Runs `batch` samples whose n0 input values `input` writes as int16 codes
   * at its first offset (its second: n0 * 8 bytes of scratch); returns the
   * kept tensors' codes (Int32Array, or Float64Array with float64Codes) and
   * each layer's events.
   */
  run(
    input: InputWriter,
    n0: number,
    batch: number,
    keep: readonly string[],
    float64Codes: boolean,
    events: Map<string, LayerEvents>,
  ): Map<string, Int32Array | Float64Array> {
    const m = this.model;
    const at = new Map<string, number>(),
      len = new Map<string, number>([[m.input.name, n0]]);
    let top = 0;
    const place = (name: string, n: number) => {
      at.set(name, top);
      top += Math.ceil((n * 2 + 16) / 16) * 16;
    };
    place(m.input.name, n0);
    for (const s of this.steps) {
      len.set(s.output, batch * s.size);
      if (s.kernel) place(s.output, batch * s.size);
    }
    const scratch = Math.max(n0 * 8, ...this.steps.map((s) => s.kernel?.scratch(batch) ?? 0));
    const blk = alloc(top + scratch, false);
    const base = blk.at,
      sc = base + top;
    try {
      input(base, sc);
    } catch (e) {
      release(blk);
      throw e;
    }
    for (const s of this.steps) {
      const ev = { saturations: 0, wraps: 0 };
      if (s.kernel) s.kernel.run({ ins: s.inputs.map((i) => base + at.get(i)!), out: base + at.get(s.output)!, scratch: sc }, batch, ev);
      else at.set(s.output, at.get(s.inputs[0]!)!);
      events.set(s.name, ev);
    }
    const out = new Map<string, Int32Array | Float64Array>();
    for (const name of keep) {
      const v = i16View(base + at.get(name)!, len.get(name)!);
      out.set(name, float64Codes ? Float64Array.from(v) : Int32Array.from(v));
    }
    release(blk);
    return out;
  }
}
