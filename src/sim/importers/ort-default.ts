import { UserError } from '../../errors.js';
import { ACCUMULATION_MODES, type AccumulationMode } from '../engine/scheme.js';
import type { AffineQuant, IntModel, TensorQuant } from '../quantize/model.js';
import { ELEM, type OnnxQuantGraph } from './quantized-onnx/read.js';

/*
 * onnxruntime's DEFAULT session on x86 (session.qdqisint8allowed unset: the
 * QDQ fusions accept int8 activations only on ARM) rewrites int8 QDQ models
 * before fusing them: its QDQS8ToU8Transformer turns every QuantizeLinear ->
 * DequantizeLinear pair whose two zero points are the same int8 scalar
 * constant, and whose QuantizeLinear feeds only that DequantizeLinear, into a
 * uint8 pair with zero point z + 128 (codes + 128, the same real values).
 * DequantizeLinear nodes feeding several nodes are first duplicated, one per
 * consumer (EnsureUniqueDQForNodeUnit), so a quantized tensor used by two
 * nodes (a residual branch) keeps int8. Groups whose activations are then
 * uint8 in and out run fused on the u8 x s8 kernels, which saturate pairs on
 * AVX2 without VNNI (engine/affine/pairsat.ts); groups left with an int8
 * activation, or with a uint8 input and an int8 output, are not fused and run
 * as float32 operators between DequantizeLinear and QuantizeLinear.
 * The import records the tensors the rewrite turns to uint8 in the model's
 * metadata (ORT_S8_TO_U8); ortDefaultSession applies the rewrite to the
 * integer model. Not modelled: the float32 arithmetic of the unfused groups
 * (helu-sim runs them as the exact integer layer with onnxruntime's float32
 * requantization; float32 sums of Conv/Gemm can land on the other side of a
 * rounding boundary).
 */

/** Metadata key: comma-separated tensors onnxruntime's default x86 session turns from int8 to uint8. */
export const ORT_S8_TO_U8 = 'ortS8ToU8';

function int8Scalar(g: OnnxQuantGraph, name: string | undefined): number | undefined {
  const c = name ? g.consts.get(name) : undefined;
  if (!c || c.elemType !== ELEM.INT8 || c.tensor.data.length !== 1) return undefined;
  return c.tensor.data[0];
}

/** ONNX names of the QuantizeLinear outputs QDQS8ToU8Transformer converts (see above). */
export function ortS8ToU8Outputs(g: OnnxQuantGraph): string[] {
  const uses = new Map<string, number>();
  for (const v of g.nodes) for (const i of v.inputs) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of g.outputs) uses.set(o, (uses.get(o) ?? 0) + 1);
  const dqOf = new Map(g.nodes.filter((v) => v.op === 'DequantizeLinear').map((v) => [v.inputs[0]!, v]));
  return g.nodes
    .filter((q) => {
      if (q.op !== 'QuantizeLinear' || uses.get(q.outputs[0]!) !== 1) return false;
      const dq = dqOf.get(q.outputs[0]!);
      const z = int8Scalar(g, q.inputs[2]);
      return dq !== undefined && z !== undefined && int8Scalar(g, dq.inputs[2]) === z && uses.get(dq.outputs[0]!) === 1;
    })
    .map((q) => q.outputs[0]!);
}

function toU8(q: TensorQuant): TensorQuant {
  if (q.kind !== 'affine' || q.type !== 'int8') return q;
  return { ...q, type: 'uint8', zeroPoint: q.zeroPoint.map((z) => z + 128) } as AffineQuant;
}

/** The model as onnxruntime's default x86 session runs it: the recorded int8 tensors as uint8 (codes + 128). */
export function ortDefaultSession(m: IntModel): IntModel {
  const names = new Set((m.metadata?.[ORT_S8_TO_U8] ?? '').split(',').filter(Boolean));
  return {
    ...m,
    input: names.has(m.input.name) ? { ...m.input, quant: toU8(m.input.quant) } : m.input,
    layers: m.layers.map((l) => (names.has(l.output) ? { ...l, out: toU8(l.out) } : l)),
  };
}

/**
 * How a runtime accumulates: an engine accumulation ('exact',
 * 'ort-u8s8-pairsat': onnxruntime with session.qdqisint8allowed = 1 or
 * models without int8 QDQ pairs; 'onednn-u8s8-pairsat': PyTorch's onednn
 * engine), or the default x86 session's rewrite followed by one of them
 * ('ort-s8u8' with VNNI, 'ort-s8u8-pairsat' without).
 */
export type SessionAccumulation = AccumulationMode | 'ort-s8u8' | 'ort-s8u8-pairsat';
export const SESSION_ACCUMULATIONS: readonly SessionAccumulation[] = [...ACCUMULATION_MODES, 'ort-s8u8', 'ort-s8u8-pairsat'];

/** The model and engine accumulation that reproduce `mode` (ort-s8u8*: the rewritten model). */
export function sessionModel(m: IntModel, mode: SessionAccumulation): { model: IntModel; accumulation: AccumulationMode } {
  if (mode !== 'ort-s8u8' && mode !== 'ort-s8u8-pairsat') return { model: m, accumulation: mode };
  if (m.scheme !== 'affine') throw new UserError(`--accumulation ${mode} applies to affine models; '${m.name}' is a ${m.scheme} model`);
  return { model: ortDefaultSession(m), accumulation: mode === 'ort-s8u8' ? 'exact' : 'ort-u8s8-pairsat' };
}
