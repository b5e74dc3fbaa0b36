import fc from 'fast-check';
import { fracBits, parseFormat } from '../fixedpoint/format.js';
import { sizeOf } from '../models/graph.js';
import type { IntModel } from '../sim/quantize/model.js';

/** A batch of raw input values for a model (batch-major, per-sample shape model.input.shape). */
export interface ModelInputs {
  input: number[];
  batch: number;
}

export interface ArbInputsOptions {
  /** Samples per batch (default 1..3). */
  maxBatch?: number;
}

/**
 * Raw inputs for `model`: values on a grid of a quarter of the input's step
 * (so exact codes, ties and values just off them all occur) spanning a
 * little beyond the input's range (so input saturation occurs). The step is
 * 2^-F of a pow2 input format (before the model's rawScaleLog2), the scale of
 * an affine input. Shrinks toward one sample of zeros.
 */
export function arbInputs(model: IntModel, o: ArbInputsOptions = {}): fc.Arbitrary<ModelInputs> {
  const q = model.input.quant;
  let step: number, codes: number;
  if (q.kind === 'pow2') {
    const f = parseFormat(q.format);
    step = 2 ** (-fracBits(f) - (model.input.rawScaleLog2 ?? 0));
    codes = 2 ** Math.min(f.width, 20);
  } else {
    step = q.scale[0]!;
    codes = 256;
  }
  const per = sizeOf(model.input.shape);
  return fc
    .integer({ min: 1, max: o.maxBatch ?? 3 })
    .chain((batch) =>
      fc
        .array(fc.integer({ min: -3 * codes, max: 3 * codes }), { minLength: batch * per, maxLength: batch * per })
        .map((qs) => ({ batch, input: qs.map((k) => (k / 4) * step) })),
    );
}

/** A model with inputs for it, as fast-check draws and shrinks them together. */
export function withInputs<M extends IntModel>(
  models: fc.Arbitrary<M>,
  o: ArbInputsOptions = {},
): fc.Arbitrary<{ model: M } & ModelInputs> {
  return models.chain((model) => arbInputs(model, o).map((x) => ({ model, ...x })));
}
