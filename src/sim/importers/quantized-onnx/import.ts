import { readFileSync } from 'node:fs';
import { lookup, UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { ActivationLayer, IntModel } from '../../quantize/model.js';
import { activationCircuit, activationTable, circuitIdentity } from '../../engine/affine/table.js';
import { tensorParams } from '../../quantize/affine/types.js';
import { validateIntModel } from '../../quantize/validate.js';
import { ImportContext, type Pending, type Value } from './context.js';
import { castRuntime, foldGlue } from './glue.js';
import { rawInputOp } from './float-glue.js';
import { constant } from './params.js';
import { dequantizeLinear, quantizeLinear } from './edges.js';
import { QDQ_HANDLERS } from './qdq.js';
import { QOP_HANDLERS } from './qop.js';
import { readQuantGraph, type NodeView } from './read.js';
import { intAttr, windowOf } from './window.js';
import { ORT_S8_TO_U8, ortS8ToU8Outputs } from '../ort-default.js';

/*
 * Import of already-quantized ONNX models, QDQ and QOperator, as onnxruntime's
 * quantization tool and PyTorch's exporters write them, into an affine
 * integer model whose default requantization is 'onnxruntime'.
 */

type Handler = (ctx: ImportContext, v: NodeView) => void;

/** Per-sample target of a Reshape: the first entry is the batch (0, -1 or a number); 0 copies, one -1 is inferred. */
function reshapeTarget(v: NodeView, target: number[], inShape: number[]): number[] {
  const per = target.slice(1).map((d, i) => (d === 0 ? inShape[i]! : d));
  const known = per.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = per.map((d) => (d === -1 ? sizeOf(inShape) / known : d));
  if (out.some((d) => !Number.isInteger(d) || d < 1) || sizeOf(out) !== sizeOf(inShape)) {
    throw new UserError(
      `node '${v.name}' (Reshape): target [${target.join(',')}] does not hold the per-sample shape [${inShape.join(',')}]`,
    );
  }
  return out;
}

/** Data movement on a quantized (or dequantized) tensor: the codes move, the quant stays. */
function move(ctx: ImportContext, v: NodeView): void {
  const val = ctx.value(v, v.inputs[0], 'input');
  if (val.kind !== 'q' && val.kind !== 'dq')
    throw new UserError(`node '${v.name}' (${v.op}): input '${v.inputs[0]}' must be a quantized tensor or its DequantizeLinear`);
  const x = val.tensor;
  const shape = ctx.info(x).shape;
  let layer: Record<string, unknown>;
  switch (v.op) {
    case 'Flatten':
      if (intAttr(v, 'axis', 1) !== 1) throw new UserError(`node '${v.name}' (Flatten): only axis 1 is supported`);
      layer = { op: 'flatten' };
      break;
    case 'Reshape':
      layer = { op: 'reshape', shape: reshapeTarget(v, Array.from(constant(ctx, v, v.inputs[1], 'shape').tensor.data), shape) };
      break;
    case 'Transpose': {
      const perm = (v.attrs.get('perm') as number[] | undefined) ?? [];
      if (perm[0] !== 0) throw new UserError(`node '${v.name}' (Transpose): the batch axis must stay first`);
      layer = { op: 'transpose', perm: perm.slice(1).map((p) => p - 1) };
      break;
    }
    default: // MaxPool
      if (intAttr(v, 'storage_order', 0) !== 0) throw new UserError(`node '${v.name}' (MaxPool): storage_order 1 is not supported`);
      if (v.outputs.length > 1 && v.outputs[1]) throw new UserError(`node '${v.name}' (MaxPool): the Indices output is not supported`);
      layer = { op: 'maxpool', ...windowOf(v, shape), ceilMode: intAttr(v, 'ceil_mode', 0) === 1, countIncludePad: false };
  }
  const out = ctx.emit({ name: v.name, inputs: [x], ...layer } as Pending, v.outputs[0]!, ctx.info(x).quant, v);
  if (val.kind === 'dq') ctx.values.set(out, { kind: 'dq', tensor: out });
}

function alias(ctx: ImportContext, v: NodeView): void {
  ctx.values.set(v.outputs[0]!, ctx.value(v, v.inputs[0], 'input'));
}

/** Cast / Mul / Add / Relu on a MatMulInteger / ConvInteger result: the float rescale ops. */
function rescaleOp(ctx: ImportContext, v: NodeView, val: Extract<Value, { kind: 'acc' }>, other: string | undefined): void {
  const out = v.outputs[0]!;
  const err = (what: string): never => {
    throw new UserError(`node '${v.name}' (${v.op}): ${what}`);
  };
  const perChannel = (name: string): number[] => {
    const c = constant(ctx, v, name, 'operand');
    const n = (val.layer as unknown as { weights: { shape: number[] } }).weights.shape[0]!;
    const data = Array.from(c.tensor.data, Math.fround);
    if (data.length !== 1 && data.length !== n) err(`operand '${name}' must hold 1 or ${n} values (one per output channel)`);
    return data;
  };
  if (v.op === 'Cast') {
    if (val.float || intAttr(v, 'to', 0) !== 1) err('only a Cast of the int32 product to float is supported');
    ctx.values.set(out, { ...val, float: true });
  } else if (!val.float) err('the int32 product must be cast to float first');
  else if (v.op === 'Mul') {
    if (val.scale || val.bias || val.layer.activation) err('only one Mul by the scale, before Add and Relu, is supported');
    ctx.values.set(out, { ...val, scale: perChannel(other!) });
  } else if (v.op === 'Add') {
    if (!val.scale || val.bias || val.layer.activation) err('the bias Add must follow the scale Mul');
    ctx.values.set(out, { ...val, bias: perChannel(other!) });
  } else err('is not part of the MatMulInteger/ConvInteger rescale pattern (Cast, Mul, Add, Relu, QuantizeLinear)');
}

const MOVES = ['Flatten', 'Reshape', 'Transpose', 'MaxPool'];
const ALIASES = ['Identity', 'Dropout'];

function supported(): string {
  return [
    'QuantizeLinear',
    'DequantizeLinear',
    ...Object.keys(QOP_HANDLERS),
    ...Object.keys(QDQ_HANDLERS),
    ...MOVES,
    ...ALIASES,
    'Softmax (at an output)',
    'Cast/Mul/Add after MatMulInteger or ConvInteger',
    'no-op Cast of a quantized tensor',
    'Add/Sub/Mul/Div/Reshape/Flatten of the input before its QuantizeLinear',
    'Identity/Cast/ConstantOfShape/Shape/Gather/Unsqueeze/Squeeze/Concat of constants',
  ].join(', ');
}

function handle(ctx: ImportContext, v: NodeView): void {
  if (foldGlue(ctx, v) || rawInputOp(ctx, v)) return;
  const acc = v.inputs.map((i) => ctx.values.get(i)).findIndex((x) => x?.kind === 'acc');
  if (acc >= 0 && v.op !== 'QuantizeLinear' && v.op !== 'Relu') {
    return rescaleOp(ctx, v, ctx.values.get(v.inputs[acc]!) as Extract<Value, { kind: 'acc' }>, v.inputs[1 - acc]);
  }
  if (v.op === 'Cast') return castRuntime(ctx, v);
  const handler: Handler | undefined =
    v.op === 'QuantizeLinear'
      ? quantizeLinear
      : v.op === 'DequantizeLinear'
        ? dequantizeLinear
        : MOVES.includes(v.op)
          ? move
          : ALIASES.includes(v.op)
            ? alias
            : v.domain === 'com.microsoft' || v.op.startsWith('QLinear') || v.op.endsWith('Integer')
              ? lookup(QOP_HANDLERS, v.op)
              : lookup(QDQ_HANDLERS, v.op);
  if (handler) {
    if (lookup(QOP_HANDLERS, v.op)) ctx.formats.add('QOperator');
    return handler(ctx, v);
  }
  if (v.op === 'Softmax' && ctx.graph.outputs.includes(v.outputs[0]!)) {
    alias(ctx, v);
    ctx.droppedSoftmax.push(v.name);
    return;
  }
  throw new UserError(
    `node '${v.name}' (${v.domain ? `${v.domain}.` : ''}${v.op}): operator not supported by the quantized-ONNX import; supported: ${supported()}`,
  );
}

function fillCircuits(m: IntModel): void {
  const params = new Map([[m.input.name, tensorParams(m.input.quant, 'input.quant')]]);
  for (const l of m.layers) {
    const out = tensorParams(l.out, `layer '${l.name}' out`);
    if (l.op === 'activation') {
      const inP = params.get(l.inputs[0]!)!;
      const t = activationTable(l.activation, inP, out, 'onnxruntime');
      (l as ActivationLayer).circuit = circuitIdentity(activationCircuit(l.activation, t, inP, out));
    }
    params.set(l.output, out);
  }
}

function outputs(ctx: ImportContext, source: string): string[] {
  return ctx.graph.outputs.map((o) => {
    const val = ctx.values.get(o);
    if (val?.kind === 'q' || val?.kind === 'dq') return val.tensor;
    throw new UserError(`'${source}': output '${o}' is not a quantized tensor (or its DequantizeLinear)`);
  });
}

/**
 * Imports a quantized ONNX model (QDQ or QOperator) as an affine integer
 * model. Its default requantization: 'pytorch' for torch.onnx exports
 * (producer_name 'pytorch': PyTorch's own kernels made the codes the model was
 * checked with), 'onnxruntime' otherwise; --requant overrides it.
 */
export function importQuantizedOnnx(bytes: Uint8Array, source = 'model.onnx'): IntModel {
  const g = readQuantGraph(bytes, source);
  if (g.input.elemType !== 1)
    throw new UserError(`'${source}': input '${g.input.name}' must be a float tensor (quantized by a QuantizeLinear)`);
  const ctx = new ImportContext(g);
  for (const v of g.nodes) handle(ctx, v);
  if (!ctx.inputQuant) throw new UserError(`'${source}': the input '${g.input.name}' is never quantized by a QuantizeLinear`);
  const metadata: Record<string, string> = { ...g.metadata, source: 'quantized-onnx', quantFormat: [...ctx.formats].join('+') || 'QDQ' };
  if (ctx.droppedSoftmax.length) metadata.droppedSoftmax = ctx.droppedSoftmax.join(',');
  const s8u8 = ortS8ToU8Outputs(g).map((o) => ctx.values.get(o));
  if (s8u8.length) metadata[ORT_S8_TO_U8] = s8u8.flatMap((v) => (v?.kind === 'q' ? [v.tensor] : [])).join(',');
  const input = {
    name: g.input.name,
    shape: ctx.inputShape ?? g.input.shape,
    quant: ctx.inputQuant,
    ...(ctx.inputSteps.length ? { preprocess: ctx.inputSteps } : {}),
  };
  const m: IntModel = {
    format: 'helu-sim/integer-model',
    schemaVersion: 1,
    name: g.name,
    scheme: 'affine',
    requant: g.producer === 'pytorch' ? 'pytorch' : 'onnxruntime',
    input,
    layers: ctx.layers,
    outputs: outputs(ctx, source),
    metadata,
  };
  fillCircuits(m);
  return validated(m, source);
}

/** The model through the validator every integer model goes through (quantize's output, model files). */
function validated(m: IntModel, source: string): IntModel {
  try {
    return validateIntModel(m);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`'${source}': the imported model is not valid: ${e.message}`);
    throw e;
  }
}

/** Reads and imports a quantized .onnx file. */
export function loadQuantizedOnnx(path: string): IntModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read model '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return importQuantizedOnnx(bytes, path);
}
