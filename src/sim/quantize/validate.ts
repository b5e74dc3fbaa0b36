import { checkAffineLayer } from './affine/validate.js';
import { REQUANT_SCHEMES, TFLITE_KERNELS } from '../../fixedpoint/requant.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import { channelBounds, checkExactness } from './exactness.js';
import { asArray, asInt, asObject, asOneOf, asShape, asString, fieldError } from './fields.js';
import { INT_MODEL_FORMAT, INT_MODEL_READABLE_VERSIONS, INT_OPS, type IntLayer, type IntModel } from './model.js';
import { channelFormats, pow2Format } from './quant.js';
import { layerShape } from './shapes.js';
import { arithInputCount } from './model-arith.js';
import { checkedElementCount, checkWindowMemory } from '../../limits.js';
import { checkLayerFields, checkPow2Layer } from './validate-layers.js';

function checkHeader(j: Record<string, unknown>): void {
  if (j.format !== INT_MODEL_FORMAT) fieldError('format', `must be '${INT_MODEL_FORMAT}', got ${JSON.stringify(j.format)}`);
  if (!INT_MODEL_READABLE_VERSIONS.includes(j.schemaVersion as number))
    fieldError(
      'schemaVersion',
      `must be ${INT_MODEL_READABLE_VERSIONS.join(' or ')} (the versions this helu-sim reads), got ${JSON.stringify(j.schemaVersion)}`,
    );
  asString(j.name, 'name');
  asOneOf(j.scheme, 'scheme', ['pow2', 'affine']);
  if (j.requant !== undefined) asOneOf(j.requant, 'requant', REQUANT_SCHEMES);
  if (j.tfliteKernel !== undefined) {
    asOneOf(j.tfliteKernel, 'tfliteKernel', TFLITE_KERNELS);
    if (j.scheme !== 'affine') fieldError('tfliteKernel', 'is allowed only in affine models');
  }
  const input = asObject(j.input, 'input');
  asString(input.name, 'input.name');
  checkedElementCount('input', asShape(input.shape, 'input.shape'));
  asObject(input.quant, 'input.quant');
  if (input.rawScaleLog2 !== undefined) asInt(input.rawScaleLog2, 'input.rawScaleLog2', -1000, 1000);
  if (input.preprocess !== undefined) checkPreprocess(input.preprocess, j.scheme === 'affine' && input.rawScaleLog2 === undefined);
  const meta = asObject(j.metadata, 'metadata');
  for (const [k, v] of Object.entries(meta)) if (typeof v !== 'string') fieldError(`metadata.${k}`, 'must be a string');
}

/** input.preprocess: affine models only (without rawScaleLog2); each step an op and a finite float32 value (not 0 for div). */
function checkPreprocess(steps: unknown, allowed: boolean): void {
  if (!allowed) fieldError('input.preprocess', 'is allowed only in affine models without rawScaleLog2');
  asArray(steps, 'input.preprocess').forEach((st, i) => {
    const o = asObject(st, `input.preprocess[${i}]`);
    asOneOf(o.op, `input.preprocess[${i}].op`, ['add', 'sub', 'mul', 'div']);
    const v = o.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.fround(v) !== v || (o.op === 'div' && v === 0)) {
      fieldError(
        `input.preprocess[${i}].value`,
        `must be a finite float32${o.op === 'div' ? ' other than 0' : ''}, got ${JSON.stringify(v)}`,
      );
    }
  });
}

interface TensorInfo {
  shape: number[];
  quant: unknown;
  format?: FixedFormat;
}

function checkPow2Exactness(l: IntLayer, inFmt: FixedFormat, path: string): void {
  if (l.op !== 'dense' && l.op !== 'conv') return;
  const m = l.weights.shape[0]!;
  const per = sizeOf(l.weights.shape) / m;
  const wf = channelFormats(l.weights.quant, m, `${path}.weights.quant`);
  if (l.acc.kind !== 'pow2') fieldError(`${path}.acc.kind`, `must be 'pow2' in a pow2 model, got '${l.acc.kind}'`);
  const af = channelFormats(l.acc, m, `${path}.acc`);
  const bounds = channelBounds(l.weights.codes, per, wf, inFmt, af, l.bias);
  checkExactness(l.name, bounds, l.weights.codes, per, wf, inFmt, af);
}

function checkLayer(model: IntModel, l: IntLayer, i: number, tensors: Map<string, TensorInfo>): void {
  const path = `layers[${i}]`;
  const raw = asObject(l, path);
  asString(raw.name, `${path}.name`);
  asOneOf(raw.op, `${path}.op`, INT_OPS);
  const inputs = asArray(raw.inputs, `${path}.inputs`).map((n, k) => asString(n, `${path}.inputs[${k}]`));
  const arity = arithInputCount(l.op);
  if (
    arity !== undefined
      ? inputs.length !== arity
      : l.op === 'constant'
        ? inputs.length !== 0
        : inputs.length === 0 || (l.op === 'mul' ? inputs.length !== 2 : l.op !== 'add' && l.op !== 'concat' && inputs.length !== 1)
  )
    fieldError(`${path}.inputs`, `has ${inputs.length} entries, wrong for op '${l.op}'`);
  const ins = inputs.map(
    (n, k) => tensors.get(n) ?? fieldError(`${path}.inputs[${k}]`, `names '${n}', which no earlier layer or the input produces`),
  );
  const output = asString(raw.output, `${path}.output`);
  if (tensors.has(output)) fieldError(`${path}.output`, `tensor '${output}' is produced twice`);
  const shape = asShape(raw.shape, `${path}.shape`);
  asObject(raw.out, `${path}.out`);
  checkLayerFields(raw, path);
  const expected = layerShape(
    l,
    ins.map((t) => t.shape),
    path,
  );
  checkedElementCount(`${path} (layer '${l.name}') output`, expected);
  if (l.op === 'conv' || l.op === 'maxpool' || l.op === 'avgpool')
    checkWindowMemory(`${path} (layer '${l.name}')`, ins[0]!.shape, l.kernel, l.pads, expected.slice(1));
  if (expected.join(',') !== shape.join(','))
    fieldError(`${path}.shape`, `must be [${expected.join(',')}] for its inputs, got [${shape.join(',')}]`);
  const info: TensorInfo = { shape, quant: l.out };
  if (model.scheme === 'pow2') {
    info.format = checkPow2Layer(
      l,
      ins.map((t) => t.format!),
      ins.map((t) => t.shape),
      path,
    );
    checkPow2Exactness(l, ins[0]?.format as FixedFormat, path);
  } else {
    checkAffineLayer(l, ins, path, model);
  }
  tensors.set(output, info);
}

/**
 * Checks a parsed JSON document against the integer model schema and returns
 * it typed. Every problem is a UserError naming the field path
 * ('layers[2].weights.codes[7]') and what is accepted.
 */
export function validateIntModel(json: unknown): IntModel {
  const j = asObject(json, '(document)');
  checkHeader(j);
  const m = j as unknown as IntModel;
  const tensors = new Map<string, TensorInfo>();
  const inInfo: TensorInfo = { shape: m.input.shape, quant: m.input.quant };
  if (m.scheme === 'pow2') inInfo.format = pow2Format(m.input.quant, 'input.quant');
  tensors.set(m.input.name, inInfo);
  const layers = asArray(j.layers, 'layers');
  const names = new Set<string>();
  layers.forEach((l, i) => {
    checkLayer(m, l as IntLayer, i, tensors);
    if (names.has((l as IntLayer).name)) fieldError(`layers[${i}].name`, `'${(l as IntLayer).name}' is used by two layers`);
    names.add((l as IntLayer).name);
  });
  const outs = asArray(j.outputs, 'outputs');
  if (outs.length === 0) fieldError('outputs', 'must name at least one tensor');
  outs.forEach((o, i) => {
    if (!tensors.has(asString(o, `outputs[${i}]`))) fieldError(`outputs[${i}]`, `names '${String(o)}', which no layer produces`);
  });
  return m;
}
