import { UserError } from '../../errors.js';
import { runAffine } from '../affine/engine/run.js';
import { quantizeArray } from '../../fixedpoint/batch.js';
import type { RequantScheme } from '../../fixedpoint/requant.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import type { IntLayer, IntModel, LayerEvents } from '../model.js';
import { pow2Format } from '../quant.js';
import { activationKernel, type ActivationMode } from './activation.js';
import { convKernel } from './conv.js';
import { denseKernel } from './dense.js';
import type { IntKernel } from './kernel.js';
import { countEvent } from './narrow.js';
import { globalAvgPoolKernel, poolKernel } from './pool.js';
import { addKernel, concatKernel, transposeKernel } from './tensor-ops.js';

export interface RunIntegerOptions {
  /** How activation layers run: the functional model (default) or the gate-level circuit. */
  mode?: ActivationMode;
  /** affine models: the requantization scheme (default: the model's own). */
  requant?: RequantScheme;
  /** Which tensors to return: every tensor (default) or only the model outputs. */
  keep?: 'all' | 'outputs';
  /** Return every tensor as a Float64Array of exact integer codes (no narrowing to Int32Array). */
  float64Codes?: boolean;
}

export interface IntegerRunResult {
  /** Integer codes of each tensor, batch-major: Int32Array when the format's codes fit, else Float64Array (exact integers). */
  tensors: Map<string, Int32Array | Float64Array>;
  /** Saturation and wrap events per layer name (and the input's name for input quantization). */
  events: Map<string, LayerEvents>;
}

interface Step { layer: IntLayer; kernel: IntKernel; inputs: string[] }
interface Plan { steps: Step[]; formats: Map<string, FixedFormat>; inFmt: FixedFormat; perSample: number }

/** Engines of schemes other than pow2 (affine: its own folder). */
export type SchemeRunner = (m: IntModel, input: ArrayLike<number>, batch: number, opts: RunIntegerOptions) => IntegerRunResult;
const runners = new Map<string, SchemeRunner>([['affine', runAffine]]);

function compileLayer(l: IntLayer, ins: FixedFormat[], shapes: (readonly number[])[], out: FixedFormat, mode: ActivationMode, path: string): IntKernel {
  switch (l.op) {
    case 'dense': return denseKernel(l, ins[0]!, shapes[0]!, path);
    case 'conv': return convKernel(l, ins[0]!, shapes[0]!, path);
    case 'maxpool': case 'avgpool': return poolKernel(l, ins[0]!, out, shapes[0]!);
    case 'globalavgpool': return globalAvgPoolKernel(ins[0]!, out, shapes[0]!);
    case 'flatten': case 'reshape': return (xs) => xs[0]!;
    case 'transpose': return transposeKernel(shapes[0]!, l.perm);
    case 'add': return addKernel(ins[0]!, ins[1]!, out, sizeOf(shapes[0]!));
    case 'concat': return concatKernel(ins, out, shapes, l.axis);
    case 'activation': return activationKernel(l, ins[0]!, out, mode);
  }
}

const plans = new WeakMap<IntModel, Map<ActivationMode, Plan>>();

function plan(m: IntModel, mode: ActivationMode): Plan {
  let byMode = plans.get(m);
  if (!byMode) plans.set(m, (byMode = new Map()));
  let p = byMode.get(mode);
  if (p) return p;
  const inFmt = pow2Format(m.input.quant, 'input.quant');
  const formats = new Map<string, FixedFormat>([[m.input.name, inFmt]]);
  const shapes = new Map<string, readonly number[]>([[m.input.name, m.input.shape]]);
  const steps = m.layers.map((l, i) => {
    const out = pow2Format(l.out, `layers[${i}].out`);
    const kernel = compileLayer(l, l.inputs.map((n) => formats.get(n)!), l.inputs.map((n) => shapes.get(n)!), out, mode, `layers[${i}]`);
    formats.set(l.output, out);
    shapes.set(l.output, l.shape);
    return { layer: l, kernel, inputs: l.inputs };
  });
  p = { steps, formats, inFmt, perSample: sizeOf(m.input.shape) };
  byMode.set(mode, p);
  return p;
}

/** Codes in the narrowest array type that provably holds them. */
function codeArray(v: Float64Array, f: FixedFormat): Int32Array | Float64Array {
  const fits = f.signed ? f.width <= 32 : f.width <= 31;
  if (!fits) return v;
  const out = new Int32Array(v.length);
  out.set(v);
  return out;
}

/** Input quantization: quantize(raw * 2^rawScaleLog2, input format), events counted under the input's name. */
function quantizeInput(m: IntModel, p: Plan, input: ArrayLike<number>, ev: LayerEvents): Float64Array {
  const scale = 2 ** (m.input.rawScaleLog2 ?? 0);
  const src = new Float64Array(input.length);
  for (let i = 0; i < src.length; i++) src[i] = input[i]! * scale;
  const codes = new Float64Array(src.length);
  const overflows = quantizeArray(src, p.inFmt, codes);
  if (overflows > 0) countEvent(ev, p.inFmt, overflows);
  return codes;
}

/**
 * Runs `batch` samples (raw dataset values, batch-major, per-sample shape
 * m.input.shape) through the integer model. Integer arithmetic only between
 * the input quantization and the output codes.
 */
export function runInteger(m: IntModel, input: ArrayLike<number>, batch: number, opts: RunIntegerOptions = {}): IntegerRunResult {
  if (m.scheme !== 'pow2') {
    const run = runners.get(m.scheme);
    if (!run) throw new UserError(`scheme '${m.scheme}': not available in this build`);
    return run(m, input, batch, opts);
  }
  const p = plan(m, opts.mode ?? 'functional');
  if (!Number.isInteger(batch) || batch < 0 || input.length !== batch * p.perSample) {
    throw new UserError(`input has ${input.length} values; model '${m.name}' expects ${batch} x ${p.perSample}`);
  }
  const events = new Map<string, LayerEvents>();
  const inEv = { saturations: 0, wraps: 0 };
  events.set(m.input.name, inEv);
  const values = new Map<string, Float64Array>([[m.input.name, quantizeInput(m, p, input, inEv)]]);
  for (const s of p.steps) {
    const ev = { saturations: 0, wraps: 0 };
    values.set(s.layer.output, s.kernel(s.inputs.map((n) => values.get(n)!), batch, ev));
    events.set(s.layer.name, ev);
  }
  const keep = opts.keep === 'outputs' ? m.outputs : [...values.keys()];
  const tensors = new Map(keep.map((n) => [n, opts.float64Codes ? values.get(n)! : codeArray(values.get(n)!, p.formats.get(n)!)] as const));
  return { tensors, events };
}
