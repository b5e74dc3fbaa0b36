import { UserError } from '../../../errors.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { sizeOf } from '../../../models/graph.js';
import type { IntLayer, IntModel, LayerEvents } from '../../model.js';
import { tensorParams, type AffineLayer, type AffineParams } from '../types.js';
import { addKernel } from './add.js';
import { convKernel } from './conv.js';
import { denseKernel } from './dense.js';
import type { Kernel } from './kernel.js';
import { activationKernel, concatKernel, transposeKernel } from './misc.js';
import { avgPoolKernel, globalAvgPoolKernel, maxPoolKernel } from './pool.js';
import { inputStep, quantizeUnclamped } from './quantize.js';

/*
 * The affine integer engine: int8/uint8 codes in Int32Arrays, exact integer
 * accumulation, requantization by the selected scheme. Float arithmetic
 * appears only where the scheme prescribes it (the onnxruntime and
 * tflite-float requantizations, onnxruntime's QLinearAdd and average pool,
 * the float rescale ops of imported MatMulInteger/ConvInteger layers) and in
 * the quantization of the raw input.
 */

export interface AffineRunOptions {
  mode?: 'functional' | 'gate';
  /** Requantization scheme; default the model's own (m.requant), else onnxruntime. */
  requant?: RequantScheme;
  keep?: 'all' | 'outputs';
}

export interface AffineRunResult {
  /** Codes of every tensor (keep 'all', the default: the input and every layer output) or of the model outputs. */
  tensors: Map<string, Int32Array>;
  /** Per layer (and the input, under its name): saturations and accumulator wraps. */
  events: Map<string, LayerEvents>;
}

interface Step { name: string; output: string; inputs: string[]; kernel: Kernel }
interface Plan { steps: Step[]; inP: AffineParams }

const plans = new WeakMap<IntModel, Map<string, Plan>>();

function compileLayer(l: AffineLayer, shapes: Map<string, readonly number[]>, params: Map<string, AffineParams>, scheme: RequantScheme, mode: 'functional' | 'gate'): Kernel {
  const inShapes = l.inputs.map((i) => shapes.get(i)!);
  const ins = l.inputs.map((i) => params.get(i)!);
  const out = tensorParams(l.out, `layer '${l.name}' out`);
  switch (l.op) {
    case 'dense': return denseKernel(l, inShapes[0]!, ins[0]!, out, scheme);
    case 'conv': return convKernel(l, inShapes[0]!, ins[0]!, out, scheme);
    case 'maxpool': return maxPoolKernel(l, inShapes[0]!, ins[0]!, out, scheme);
    case 'avgpool': return avgPoolKernel(l, inShapes[0]!, ins[0]!, out, scheme);
    case 'globalavgpool': return globalAvgPoolKernel(inShapes[0]!, ins[0]!, out, scheme);
    case 'flatten': case 'reshape': return ([x]) => x!;
    case 'transpose': return transposeKernel(l, inShapes[0]!);
    case 'add': return addKernel(l, inShapes[0]!, ins, scheme);
    case 'concat': return concatKernel(l, inShapes, ins, out, scheme);
    case 'activation': return activationKernel(l, ins[0]!, out, scheme, mode);
  }
}

function compile(m: IntModel, scheme: RequantScheme, mode: 'functional' | 'gate'): Plan {
  let cache = plans.get(m);
  if (!cache) plans.set(m, (cache = new Map()));
  const key = `${scheme}/${mode}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (m.scheme !== 'affine') throw new UserError(`model '${m.name}' uses scheme '${m.scheme}'; the affine engine runs affine models only`);
  const inP = tensorParams(m.input.quant, 'input.quant');
  const shapes = new Map<string, readonly number[]>([[m.input.name, m.input.shape]]);
  const params = new Map<string, AffineParams>([[m.input.name, inP]]);
  const steps = m.layers.map((l: IntLayer) => {
    const kernel = compileLayer(l, shapes, params, scheme, mode);
    shapes.set(l.output, l.shape);
    params.set(l.output, tensorParams(l.out, `layer '${l.name}' out`));
    return { name: l.name, output: l.output, inputs: l.inputs, kernel };
  });
  const plan = { steps, inP };
  cache.set(key, plan);
  return plan;
}

/**
 * Input quantization: each raw value v becomes v * 2^rawScaleLog2 (exact),
 * goes through the input's float32 preprocess steps, then the scheme's
 * QuantizeLinear (quantize.ts), saturating (counted).
 */
function quantizeInput(m: IntModel, p: AffineParams, input: ArrayLike<number>, scheme: RequantScheme, ev: LayerEvents): Int32Array {
  const k = 2 ** (m.input.rawScaleLog2 ?? 0);
  const out = new Int32Array(input.length);
  const steps = m.input.preprocess ?? [];
  for (let i = 0; i < input.length; i++) {
    let v = input[i]! * k;
    if (!Number.isFinite(v)) throw new UserError(`input value ${input[i]} at index ${i} is not a finite number`);
    for (const s of steps) v = inputStep(v, s);
    let y = quantizeUnclamped(v, p, scheme);
    if (y < p.qmin) { ev.saturations++; y = p.qmin; } else if (y > p.qmax) { ev.saturations++; y = p.qmax; }
    out[i] = y;
  }
  return out;
}

function checkBatch(m: IntModel, n: number, batch: number): void {
  const per = sizeOf(m.input.shape);
  if (!Number.isInteger(batch) || batch < 0 || n !== batch * per) {
    throw new UserError(`input has ${n} values; model '${m.name}' expects ${batch} x ${per} (per-sample shape [${m.input.shape.join(',')}])`);
  }
}

function runPlan(m: IntModel, plan: Plan, x: Int32Array, batch: number, inEv: LayerEvents, keep: 'all' | 'outputs' | undefined): AffineRunResult {
  const events = new Map<string, LayerEvents>([[m.input.name, inEv]]);
  const values = new Map<string, Int32Array>([[m.input.name, x]]);
  for (const s of plan.steps) {
    const ev = { saturations: 0, wraps: 0 };
    values.set(s.output, s.kernel(s.inputs.map((i) => values.get(i)!), batch, ev));
    events.set(s.name, ev);
  }
  if (keep === 'outputs') return { tensors: new Map(m.outputs.map((o) => [o, values.get(o)!])), events };
  return { tensors: values, events };
}

/**
 * Runs `batch` samples (raw dataset values, batch-major, the model input's
 * per-sample shape) through an affine model. Returns integer codes.
 */
export function runAffine(m: IntModel, input: ArrayLike<number>, batch: number, opts: AffineRunOptions = {}): AffineRunResult {
  const scheme = opts.requant ?? m.requant ?? 'onnxruntime';
  const plan = compile(m, scheme, opts.mode ?? 'functional');
  checkBatch(m, input.length, batch);
  const inEv = { saturations: 0, wraps: 0 };
  return runPlan(m, plan, quantizeInput(m, plan.inP, input, scheme, inEv), batch, inEv, opts.keep);
}

/** As runAffine, with the input given as codes of the input tensor (int8/uint8, checked). */
export function runAffineCodes(m: IntModel, codes: ArrayLike<number>, batch: number, opts: AffineRunOptions = {}): AffineRunResult {
  const plan = compile(m, opts.requant ?? m.requant ?? 'onnxruntime', opts.mode ?? 'functional');
  checkBatch(m, codes.length, batch);
  const x = Int32Array.from(codes);
  x.forEach((c, i) => {
    if (c !== codes[i] || c < plan.inP.qmin || c > plan.inP.qmax) throw new UserError(`input code ${codes[i]} at index ${i} is not a ${plan.inP.type} code`);
  });
  return runPlan(m, plan, x, batch, { saturations: 0, wraps: 0 }, opts.keep);
}
