import { UserError } from '../errors.js';
import { parseRequantScheme } from '../fixedpoint/requant.js';
import { parseAccumulation } from './importers/ort-host.js';
import { sessionModel } from './importers/ort-default.js';
import { fracBits, parseFormat } from '../fixedpoint/format.js';
import { sizeOf } from '../models/graph.js';
import type { LoadedModel, ModelLoadOptions } from '../models/load.js';
import { dequantizeCodes } from './quantize/affine/types.js';
import { compile } from './engine/run.js';
import { INT_MODEL_FORMAT, type IntModel, type TensorQuant } from './quantize/model.js';

/** Real values of output codes: code * 2^-F (pow2, exact) or (code - zero point) * scale (affine). */
function toReals(q: TensorQuant, codes: ArrayLike<number>): Float64Array {
  if (q.kind === 'affine') return dequantizeCodes(q, codes);
  const lsb = 2 ** -fracBits(parseFormat(q.format));
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i]! * lsb;
  return out;
}

/**
 * An integer model as a runnable model for `helu-sim eval` and `run`: the
 * integer engine (functional activations; opts.requant picks an affine
 * model's requantization scheme, opts.accumulation its accumulation), outputs as reals, `extra.codes` the
 * integer output codes.
 */
export function integerModel(file: IntModel, path: string, opts: ModelLoadOptions = {}): LoadedModel {
  const requant = opts['requant'] === undefined ? undefined : parseRequantScheme(String(opts['requant']));
  const mode = opts['accumulation'] === undefined ? undefined : parseAccumulation(String(opts['accumulation']));
  if (mode !== undefined && file.scheme !== 'affine')
    throw new UserError(`--accumulation applies to affine models; '${path}' is a ${file.scheme} model`);
  const { model: m, accumulation } = mode === undefined ? { model: file, accumulation: undefined } : sessionModel(file, mode);
  const out = m.outputs[0]!;
  const layer = m.layers.find((l) => l.output === out);
  const quant = layer ? layer.out : m.input.quant;
  const outputShape = layer ? layer.shape : m.input.shape;
  const engine = compile(m, { requant, accumulation });
  return {
    format: INT_MODEL_FORMAT,
    path,
    inputShape: m.input.shape,
    outputShape,
    run(input, batch) {
      const r = engine.run(input, batch, { keep: 'outputs' });
      const codes = r.tensors.get(out)!;
      const c = new Float64Array(batch * sizeOf(outputShape));
      c.set(codes);
      return { outputs: toReals(quant, codes), extra: { codes: c } };
    },
  };
}
