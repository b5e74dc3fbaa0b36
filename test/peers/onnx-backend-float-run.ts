/**
 * Runs the ONNX backend node tests through helu-sim's ONNX import and float
 * engine: input 0 is the data tensor (its first dimension the batch), every
 * other graph input becomes an initializer holding the test's value (the
 * model a user would have). Each case ends in one outcome: pass (every
 * output within numpy's allclose, rtol 1e-3, atol 1e-7), wrong (a value or a
 * shape differs), crash (an error that is not a UserError: a bug), or refused
 * (a one-line UserError, classified by reason).
 */
import { UserError } from '../../src/errors.js';
import { importOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { allClose, inputsAsInitializers, type BackendCase } from './onnx-backend/cases.js';

export type Outcome =
  | { kind: 'pass' }
  | { kind: 'wrong'; detail: string }
  | { kind: 'crash'; detail: string }
  | { kind: 'refused'; reason: string; message: string };

/** Why a case is out of scope, from its refusal message: one line per reason, in the README. */
export const REASONS: readonly [RegExp, string][] = [
  [/unsupported ONNX op '([^']+)'/, 'op not supported'],
  [/element type|data type \d+ is not supported|Cast to data type/, 'data of a non-float type (integer, string, float16/bfloat16 input)'],
  [/must be \[batch, \.\.\.\]; got rank/, 'data input of rank < 2 (helu-sim reads the first dimension as the batch)'],
  [/batch|would mix the samples|varies over the batch|between samples/, 'computes across the batch dimension (first dimension)'],
  [/uses ONNX opset/, 'model opset below 7, or a training-only domain'],
  [/second output/, 'a second node output (Dropout mask, MaxPool indices)'],
  [/selection is empty/, 'an empty tensor'],
  [/has \d+ data inputs/, 'several data inputs or none (helu-sim models take exactly one)'],
  [
    /is a constant, not computed from the input|must be a constant|is not defined/,
    'a parameter computed at run time, or an output not computed from the data input',
  ],
  [
    /mode '|coordinate_transformation_mode|keep_aspect_ratio_policy|not supported \(only|not supported \(nearest|approximate=/,
    'an op option outside the supported set (see docs/onnx-import.md)',
  ],
  [
    /fmod = 0|training_mode|only 1-D and 2-D|only 2-D|dilations other than 1|AveragePool dilations|spatial = 0|must be 2-D|transA/,
    'an op form outside the supported set (see docs/onnx-import.md)',
  ],
];

/**
 * Cases refused for a reason their message cannot state: the expanded
 * (function-body) LayerNormalization flattens at an axis > 1, merging the
 * batch with other axes, then computes shapes from that 2-D tensor.
 */
const BY_NAME: readonly [RegExp, string][] = [
  [/^test_layer_normalization_.*_expanded$/, 'shape arithmetic on a Flatten that merges the batch with other axes'],
];

export function classify(message: string, name = ''): string {
  for (const [re, reason] of BY_NAME) if (re.test(name)) return reason;
  for (const [re, reason] of REASONS) if (re.test(message)) return reason;
  return `other: ${message}`;
}

/** The case's model with every input but the data input (0) turned into an initializer holding its first data set's value. */
export function caseBytes(c: BackendCase): Uint8Array {
  const set = c.sets[0]!;
  const extra = set.inputs.map((_, k) => k).filter((k) => k > 0);
  return extra.length > 0
    ? inputsAsInitializers(c, set, extra)
    : (c.model.constructor as { encode(m: unknown): { finish(): Uint8Array } }).encode(c.model).finish();
}

export function runCase(c: BackendCase): Outcome {
  let bytes: Uint8Array;
  try {
    if (!c.sets[0]) return { kind: 'refused', reason: 'no data set', message: '' };
    bytes = caseBytes(c);
  } catch (e) {
    return { kind: 'refused', reason: 'data the test reader does not decode', message: (e as Error).message };
  }
  try {
    const g = importOnnx(bytes, c.name);
    for (const s of c.sets) {
      const x = s.inputs[0]!;
      const batch = x.dims[0]!;
      const r = runFloat(g, x.values, batch, { precision: 'float32' });
      for (let k = 0; k < s.outputs.length; k++) {
        const want = s.outputs[k]!;
        const got = r.outputs.get(g.outputs[k]!);
        if (!got) return { kind: 'wrong', detail: `output ${k} missing` };
        const shape = [batch, ...g.shapes.get(g.outputs[k]!)!];
        if (shape.reduce((a, b) => a * b, 1) !== want.values.length)
          return { kind: 'wrong', detail: `output ${k} shape [${shape}] vs [${want.dims}]` };
        const cmp = allClose(got, want.values);
        if (!cmp.ok) return { kind: 'wrong', detail: `output ${k}[${cmp.index}] = ${got[cmp.index]} vs ${want.values[cmp.index]}` };
      }
    }
    return { kind: 'pass' };
  } catch (e) {
    if (e instanceof UserError) return { kind: 'refused', reason: classify(e.message, c.name), message: e.message };
    return { kind: 'crash', detail: (e as Error).stack ?? String(e) };
  }
}
