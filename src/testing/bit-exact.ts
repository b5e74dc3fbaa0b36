import { fracBits, parseFormat } from '../fixedpoint/format.js';
import { sizeOf } from '../models/graph.js';
import { runInteger } from '../sim/engine/run.js';
import type { KernelChoice } from '../sim/engine/kernels.js';
import type { ActivationMode } from '../sim/engine/scheme.js';
import type { IntModel, LayerEvents, TensorQuant } from '../sim/quantize/model.js';
import { runAffineReference, runReference } from '../sim/reference/run.js';
import type { ModelInputs } from './inputs.js';

/** The first disagreement between the integer engine and the float reference. */
export interface BitExactMismatch {
  /** The layer that produced the tensor (the input's name for input quantization). */
  layer: string;
  tensor: string;
  /** Sample in the batch and element within the sample (row-major over the per-sample shape). */
  sample: number;
  index: number;
  /** pow2: reals (code * 2^-F and the reference's value); affine: codes. NaN when only the event counts differ. */
  engine: number;
  reference: number;
  /** Set when the values agree but the saturation/wrap counts differ. */
  events?: { engine: LayerEvents; reference: LayerEvents };
}

export interface BitExactOptions {
  /** Activation layers as the functional model (default) or the gate-level circuit. */
  mode?: ActivationMode;
  /** Dense/conv kernels: WebAssembly (default) or the JavaScript GEMM. */
  kernels?: KernelChoice;
}

const lsb = (q: TensorQuant): number => 2 ** -fracBits(parseFormat((q as { format: string }).format));

/**
 * Runs the integer engine and the independent float reference on the same
 * inputs and returns the first mismatch, walking tensors in model order
 * (input, then each layer) and elements in order; undefined when every value
 * of every layer and every event count agree. pow2 models: code * 2^-F must
 * equal the reference's real exactly. Affine models: the engine under
 * onnxruntime requantization against the reference of the ONNX definitions in
 * float32, code for code (the pairing that is exact by design).
 */
export function bitExactMismatch(model: IntModel, inputs: ModelInputs, opts: BitExactOptions = {}): BitExactMismatch | undefined {
  const { input, batch } = inputs;
  if (model.scheme === 'affine') {
    const eng = runInteger(model, input, batch, { mode: opts.mode, kernels: opts.kernels, requant: 'onnxruntime' });
    const ref = runAffineReference(model, input, batch, { arithmetic: 'float32' });
    return firstMismatch(model, batch, eng, { values: ref.codes, events: ref.events });
  }
  const eng = runInteger(model, input, batch, { mode: opts.mode, kernels: opts.kernels });
  const ref = runReference(model, input, batch);
  return firstMismatch(model, batch, eng, { values: ref.tensors, events: ref.events });
}

/** Tensor values and event counts of one run, by tensor and layer name. */
export interface RunValues {
  values: ReadonlyMap<string, ArrayLike<number>>;
  events: ReadonlyMap<string, LayerEvents>;
}

/**
 * The comparison of bitExactMismatch on two finished runs: engine codes
 * (times 2^-F for pow2 tensors) against the reference's values, tensors in
 * model order, then each layer's event counts.
 */
export function firstMismatch(
  model: IntModel,
  batch: number,
  eng: { tensors: ReadonlyMap<string, ArrayLike<number>>; events: ReadonlyMap<string, LayerEvents> },
  ref: RunValues,
): BitExactMismatch | undefined {
  const tensors = [
    { layer: model.input.name, tensor: model.input.name, q: model.input.quant },
    ...model.layers.map((l) => ({ layer: l.name, tensor: l.output, q: l.out })),
  ];
  for (const t of tensors) {
    const a = eng.tensors.get(t.tensor)!,
      b = ref.values.get(t.tensor)!;
    const scale = model.scheme === 'affine' ? 1 : lsb(t.q);
    const per = a.length / batch;
    for (let i = 0; i < a.length; i++) {
      if (a[i]! * scale !== b[i])
        return { layer: t.layer, tensor: t.tensor, sample: Math.floor(i / per), index: i % per, engine: a[i]! * scale, reference: b[i]! };
    }
    const e = eng.events.get(t.layer),
      r = ref.events.get(t.layer);
    if (e && r && (e.saturations !== r.saturations || e.wraps !== r.wraps)) {
      return { layer: t.layer, tensor: t.tensor, sample: 0, index: 0, engine: NaN, reference: NaN, events: { engine: e, reference: r } };
    }
  }
  return undefined;
}

/** One line naming the first mismatch. */
export function describeMismatch(m: BitExactMismatch): string {
  if (m.events) {
    return `layer '${m.layer}': events differ, engine ${JSON.stringify(m.events.engine)}, reference ${JSON.stringify(m.events.reference)}`;
  }
  return `layer '${m.layer}' (tensor '${m.tensor}'), sample ${m.sample}, index ${m.index}: engine ${m.engine}, reference ${m.reference}`;
}

/**
 * Throws (an AssertionError-style Error) naming the first mismatching
 * layer, sample and index, and the model's size, unless the engine and the
 * reference agree on every value of every layer. For fast-check properties
 * and any test runner.
 */
export function expectBitExact(model: IntModel, inputs: ModelInputs, opts: BitExactOptions = {}): void {
  const m = bitExactMismatch(model, inputs, opts);
  if (m) {
    const size = `${model.layers.length} layers, input [${model.input.shape.join(',')}] x ${inputs.batch} (${sizeOf(model.input.shape) * inputs.batch} values)`;
    throw new Error(`not bit-exact: ${describeMismatch(m)}; model '${model.name}', ${size}`);
  }
}
