import { UserError } from '../../../errors.js';
import type { IntModel } from '../../quantize/model.js';
import { pow2Quant } from '../../quantize/quant.js';
import { validateIntModel } from '../../quantize/validate.js';
import { readQuantGraph } from '../quantized-onnx/read.js';
import { importQuantizedOnnx } from '../quantized-onnx/import.js';
import { affineQonnxToQdq, isAffineQonnx } from './affine.js';
import { QonnxContext } from './context.js';
import { QONNX_HANDLERS, settle } from './handlers.js';
import { isQonnxNode } from './read.js';

/*
 * Import of QONNX files (Brevitas, FINN, hls4ml: Quant / IntQuant,
 * BipolarQuant, Trunc of the qonnx domain around float ops) as pow2 integer
 * models: every Quant with a power-of-two scale and zero point 0 is a
 * fixed-point format (quant.ts), every float op between them an exact layer.
 * Networks with other scales go to the affine scheme (affine.ts).
 */

const ALIASES = new Set(['Identity', 'Dropout']);

function supported(): string {
  return [...Object.keys(QONNX_HANDLERS), ...ALIASES].join(', ');
}

/**
 * Imports a QONNX model: a pow2 integer model when every Quant has a
 * power-of-two scale and zero point 0, else an affine one (affine.ts).
 */
export function importQonnx(bytes: Uint8Array, source = 'model.onnx'): IntModel {
  const g = readQuantGraph(bytes, source);
  if (isAffineQonnx(g)) {
    const m = importQuantizedOnnx(affineQonnxToQdq(bytes, g), source);
    return { ...m, metadata: { ...m.metadata, source: 'qonnx', quantFormat: 'QONNX (affine)' } };
  }
  if (g.input.elemType !== 1) throw new UserError(`'${source}': input '${g.input.name}' must be a float tensor (quantized by a Quant)`);
  const ctx = new QonnxContext(g);
  for (const v of g.nodes) {
    if (ALIASES.has(v.op)) {
      ctx.values.set(v.outputs[0]!, ctx.value(v, 0));
      continue;
    }
    const h = QONNX_HANDLERS[v.op];
    if (!h || (v.domain !== '' && !isQonnxNode(v.op, v.domain))) {
      throw new UserError(
        `node '${v.name}' (${v.domain ? `${v.domain}.` : ''}${v.op}): operator not supported by the QONNX import; supported: ${supported()}`,
      );
    }
    h(ctx, v);
  }
  if (!ctx.inputFormat) throw new UserError(`'${source}': the input '${g.input.name}' is never quantized by a Quant`);
  const outputs = g.outputs.map((o) => settle(ctx, { name: o, op: 'output', domain: '', inputs: [o], outputs: [], attrs: new Map() }, o));
  const m: IntModel = {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: g.name,
    scheme: 'pow2',
    input: { name: g.input.name, shape: g.input.shape, quant: pow2Quant(ctx.inputFormat) },
    layers: ctx.layers,
    outputs,
    metadata: { ...g.metadata, source: 'qonnx' },
  };
  try {
    return validateIntModel(m);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`'${source}': the imported model is not valid: ${e.message}`);
    throw e;
  }
}
