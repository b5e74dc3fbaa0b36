import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { parseActivation, type ActivationSpec } from '../../activations/float.js';
import type { Graph, GraphNode, Tensor } from '../graph.js';
import { buildGraph } from '../shapes.js';
import { foldPads, fuseMatMulBias, pruneUnused } from '../passes.js';
import { onnx, num, readAttributes, tensorFromProto, type OnnxTypes } from './proto.js';
import { markInteger } from './int-tensors.js';
import { TranslateContext, type OnnxNodeView } from './context.js';
import { FOLDABLE, foldNode } from './fold.js';
import { fusePatterns, FUSED_DOMAIN, FUSED_OP } from './patterns.js';
import { translateNode } from './translate.js';
import { adaptNodes } from './adapt.js';

/** Default-domain opsets accepted: 7 to 12 through the version adapters (adapt.ts), 13 to 22 as they are. */
export const ONNX_OPSETS = { min: 7, max: 22 } as const;
/** ONNX metadata_props key recording the activation a model was trained with (activationToString form). */
export const TRAINED_ACTIVATION_KEY = 'trainedActivation';

function decode(bytes: Uint8Array, source: string): OnnxTypes.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new UserError(`'${source}' is not a valid ONNX model (${(e as Error).message.split('\n')[0]})`);
  }
}

function checkOpset(model: OnnxTypes.ModelProto, source: string): number {
  const def = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const v = num(def?.version);
  if (v < ONNX_OPSETS.min || v > ONNX_OPSETS.max) {
    throw new UserError(
      `'${source}' uses ONNX opset ${v}; accepted: ${ONNX_OPSETS.min} to ${ONNX_OPSETS.max} (re-export with opset_version=17)`,
    );
  }
  return v;
}

function graphInput(g: OnnxTypes.IGraphProto, inits: ReadonlySet<string>, source: string): { name: string; shape: number[] } {
  const inputs = (g.input ?? []).filter((i) => !inits.has(i.name ?? ''));
  if (inputs.length !== 1) throw new UserError(`'${source}' has ${inputs.length} data inputs; helu-sim models take exactly one`);
  const i = inputs[0]!;
  const t = i.type?.tensorType;
  const elem = t?.elemType ?? 0;
  if (![1, 10, 11].includes(elem)) throw new UserError(`'${source}': input '${i.name}' has element type ${elem}; expected a float tensor`);
  const dims = t?.shape?.dim ?? [];
  if (dims.length < 2) throw new UserError(`'${source}': input '${i.name}' must be [batch, ...]; got rank ${dims.length}`);
  const shape = dims.slice(1).map((d, k) => {
    const n = num(d.dimValue);
    if (!(n > 0))
      throw new UserError(
        `'${source}': input '${i.name}' dimension ${k + 1} ('${d.dimParam ?? ''}') must be a fixed size; only the batch dimension may be symbolic`,
      );
    return n;
  });
  return { name: i.name ?? 'input', shape };
}

function constantValue(v: OnnxNodeView): Tensor {
  const a = v.attrs;
  const t = a.get('value');
  if (t && typeof t === 'object' && 'data' in t) return t;
  const f = a.get('value_float') ?? a.get('value_int');
  const int = a.has('value_int') || a.has('value_ints');
  if (typeof f === 'number') return (int ? markInteger : (x: Tensor) => x)({ shape: [], data: Float64Array.of(f) });
  const fs = a.get('value_floats') ?? a.get('value_ints');
  if (Array.isArray(fs)) return (int ? markInteger : (x: Tensor) => x)({ shape: [fs.length], data: Float64Array.from(fs) });
  throw new UserError(`node '${v.name}' (Constant): only tensor, float(s) and int(s) values are supported`);
}

function checkDomain(n: OnnxTypes.INodeProto, name: string): void {
  const d = n.domain ?? '';
  const ok = d === '' || d === 'ai.onnx' || (d === FUSED_DOMAIN && n.opType === FUSED_OP) || (d === 'com.microsoft' && n.opType === 'Gelu');
  if (!ok) throw new UserError(`unsupported ONNX op '${d}.${n.opType}' (node '${name}')`);
}

function translateAll(g: OnnxTypes.IGraphProto, ctx: TranslateContext, outputs: ReadonlySet<string>, opset: number): void {
  const tensors = new Set((g.node ?? []).flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]));
  const adapted = adaptNodes(g.node ?? [], opset, ctx.consts, (t) => tensors.has(t));
  const nodes = fusePatterns(adapted, ctx.consts, outputs);
  nodes.forEach((n, k) => {
    const op = n.opType ?? '';
    const name = ctx.uniqueName(n.name || `${op}_${k}`);
    checkDomain(n, name);
    const v: OnnxNodeView = {
      proto: n,
      name,
      op,
      inputs: (n.input ?? []).map((i) => (i ? ctx.resolve(i) : '')),
      output: n.output?.[0] ?? '',
      attrs: readAttributes(n),
    };
    if (op === 'Constant') return void ctx.consts.set(v.output, constantValue(v));
    const present = v.inputs.filter((i) => i !== '');
    const runtimeShape = op === 'Shape' && ctx.isRuntime(present[0]!) ? ctx.shapes.get(present[0]!) : undefined;
    if (FOLDABLE.has(op) && (runtimeShape || present.every((i) => ctx.consts.has(i)))) {
      const folded = foldNode(
        op,
        v.inputs.map((i) => (i ? ctx.consts.get(i) : undefined)),
        v.attrs,
        runtimeShape,
      );
      if (folded) return void ctx.consts.set(v.output, folded);
    }
    translateNode(v, ctx);
  });
}

/**
 * Applies the recorded training activation: with metadata trainedActivation =
 * helu[:alpha], ReLU nodes that carry no activation mark of their own become
 * HeLU nodes (same inference, the kind records the training).
 */
function applyTrainedActivation(nodes: GraphNode[], metadata: Record<string, string>, marked: ReadonlySet<string>): GraphNode[] {
  const text = metadata[TRAINED_ACTIVATION_KEY];
  if (!text) return nodes;
  let spec: ActivationSpec;
  try {
    spec = parseActivation(text);
  } catch {
    return nodes;
  }
  if (spec.kind !== 'helu') return nodes;
  return nodes.map((n) =>
    n.op === 'Activation' && n.attrs.activation.kind === 'relu' && !marked.has(n.name) ? { ...n, attrs: { activation: spec } } : n,
  );
}

/**
 * Imports an ONNX float model (as torch.onnx.export and tf2onnx write them)
 * into a checked Graph. Nodes of opsets 7 to 12 are first rewritten into their
 * current forms (adapt.ts). Initializers and Constant nodes become weights; shape
 * arithmetic on constants is folded; activation patterns are recognized
 * (patterns.ts); MatMul + bias Add become Gemm. Anything else is a UserError
 * naming the op and the node.
 */
export function importOnnx(bytes: Uint8Array, source = 'model.onnx'): Graph {
  const model = decode(bytes, source);
  const opset = checkOpset(model, source);
  const g = model.graph;
  if (!g) throw new UserError(`'${source}' has no graph`);
  const ctx = new TranslateContext();
  for (const t of g.initializer ?? []) ctx.consts.set(t.name ?? '', tensorFromProto(t));
  const input = graphInput(g, new Set(ctx.consts.keys()), source);
  ctx.shapes.set(input.name, input.shape);
  const outNames = (g.output ?? []).map((o) => o.name ?? '');
  translateAll(g, ctx, new Set(outNames), opset);
  const outputs = outNames.map((o) => {
    const r = ctx.resolve(o);
    if (ctx.consts.has(r)) throw new UserError(`'${source}': output '${o}' is a constant, not computed from the input`);
    if (!ctx.isRuntime(r))
      throw new UserError(
        `'${source}': output '${o}' is a node's second output (a Dropout mask, MaxPool indices), which helu-sim does not compute`,
      );
    return r;
  });
  const metadata: Record<string, string> = {};
  for (const p of model.metadataProps ?? []) metadata[p.key ?? ''] = p.value ?? '';
  const marked = new Set((g.node ?? []).filter((n) => n.docString?.startsWith('helu-sim:activation=')).map((n) => n.name ?? ''));
  let nodes = foldPads(fuseMatMulBias(ctx.nodes, outputs, ctx.shapes), outputs, ctx.shapes);
  nodes = pruneUnused(applyTrainedActivation(nodes, metadata, marked), outputs);
  return buildGraph({ name: g.name || source, inputs: [input], outputs, nodes, metadata });
}

/** Reads and imports an .onnx file. */
export function loadOnnx(path: string): Graph {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read model '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return importOnnx(bytes, path);
}
