import { onnx, type OnnxTypes } from '../../../models/onnx/proto.js';
import { fail, init, qdqPair, T, type Out } from './affine-emit.js';
import { runtimeBipolar, runtimeQuant } from './affine-runtime.js';
import type { Const, NodeView, OnnxQuantGraph } from '../quantized-onnx/read.js';
import { intRange, pow2Exponent, quantCode, quantSpec, roundingOf, type QuantSpec } from './quant.js';
import { isQonnxNode } from './read.js';

/*
 * QONNX graphs whose Quant nodes have scales that are not powers of two (or
 * non-zero zero points) are affine networks: they are rewritten here into
 * the equivalent QDQ graph and imported as affine models (quantized-onnx/).
 * With an integer zero point z, QONNX's
 *   q = round(clamp(x / s + z, min_int, max_int)),  y = (q - z) * s
 * (ROUND: half to even) is ONNX QuantizeLinear(x, s, z) followed by
 * DequantizeLinear(q, s, z), so:
 * - a Quant of a runtime tensor (2 to 8 bits, ROUND, one scale) becomes
 *   that QuantizeLinear/DequantizeLinear pair (int8 when signed, uint8
 *   otherwise), plus a Clip to the range when it is narrower than 8 bits;
 * - a Quant of a constant is applied here by the formula (any rounding mode,
 *   narrow ranges, per-channel scales and zero points along one axis): int8 /
 *   uint8 codes up to 8 bits, int32 codes up to 32 bits (biases), then a
 *   DequantizeLinear with that axis;
 * - a float Conv/Gemm bias is written as int32 codes at scale
 *   float32(s_x * s_w[c]) when every value lies on that grid.
 * - BipolarQuant of a constant: int8 codes +-1 at its scale; Trunc: see trunc.
 * - FLOOR / CEIL of a runtime tensor on a grid that divides the scale (a
 *   Trunc, or a Quant of a Quant output): an Add of a half-step offset, then
 *   ROUND (gridOffset).
 * - BipolarQuant of a runtime tensor on a known grid: an Add of an offset, a
 *   quantization to {-1, 0} at twice the scale, an Add of the scale
 *   (runtimeBipolar).
 * Runtime tensors wider than 8 bits, ROUND_TO_ZERO and other FLOOR / CEIL
 * on runtime tensors: one line naming the node.
 */

function quantNodes(g: OnnxQuantGraph): NodeView[] {
  return g.nodes.filter((v) => isQonnxNode(v.op, v.domain) && (v.op === 'Quant' || v.op === 'IntQuant'));
}

/**
 * True when the network is affine: some Quant has a scale that is not a power
 * of two or a non-zero zero point, or a runtime tensor goes through what no
 * fixed-point format computes (a CEIL Quant, a BipolarQuant), which the
 * affine rewrite does (8-bit tensors).
 */
export function isAffineQonnx(g: OnnxQuantGraph): boolean {
  const runtime = (v: NodeView) => !g.consts.has(v.inputs[0] ?? '');
  const signOrCeil = g.nodes.some(
    (v) =>
      isQonnxNode(v.op, v.domain) &&
      runtime(v) &&
      (v.op === 'BipolarQuant' || (quantNodes(g).includes(v) && roundingOf(v, 'ROUND') === 'CEIL')),
  );
  return (
    signOrCeil ||
    quantNodes(g).some((v) => {
      const s = g.consts.get(v.inputs[1] ?? ''),
        z = g.consts.get(v.inputs[2] ?? '');
      return (
        (s !== undefined && Array.from(s.tensor.data).some((x) => pow2Exponent(x) === undefined)) ||
        (z !== undefined && Array.from(z.tensor.data).some((x) => x !== 0))
      );
    })
  );
}

function codeType(v: NodeView, q: QuantSpec): 'int8' | 'uint8' | 'int32' {
  if (q.bits <= 8) return q.signed ? 'int8' : 'uint8';
  if (q.signed) return 'int32';
  return fail(v, `an unsigned ${q.bits}-bit constant has no ONNX code type (int8, uint8 up to 8 bits; signed int32 up to 32)`);
}

function constantQuant(v: NodeView, q: QuantSpec, c: Const, o: Out): void {
  const out = v.outputs[0]!,
    shape = [...c.tensor.shape];
  const axis = q.axis ?? 0,
    n = q.scales.length;
  if (n > 1 && shape[axis] !== n) fail(v, `${n} scales for axis ${axis} of [${shape.join(',')}]`);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const [lo, hi] = intRange(q);
  const zps = q.zeroPoints;
  if (zps.some((z) => !Number.isInteger(z))) fail(v, `zero point ${zps.find((z) => !Number.isInteger(z))} must be an integer`);
  const at = (arr: number[], i: number) => arr[arr.length === 1 ? 0 : i]!;
  const codes = Array.from(c.tensor.data, (x, i) => {
    const ch = n === 1 && zps.length === 1 ? 0 : Math.floor(i / inner) % Math.max(n, zps.length);
    return quantCode(x, at(q.scales, ch), at(zps, ch), lo, hi, q.rounding);
  });
  const type = codeType(v, q);
  const per = Math.max(n, zps.length) > 1;
  const dims = per ? [Math.max(n, zps.length)] : [];
  const full = (arr: number[]) => (per ? Array.from({ length: dims[0]! }, (_, k) => at(arr, k)) : [arr[0]!]);
  o.inits.push(
    init(`${out}__codes`, type, shape, codes),
    init(`${out}__scale`, 'float', dims, full(q.scales)),
    init(`${out}__zp`, type, dims, full(zps)),
  );
  o.nodes.push({
    opType: 'DequantizeLinear',
    name: v.name,
    input: [`${out}__codes`, `${out}__scale`, `${out}__zp`],
    output: [out],
    attribute: per ? [{ name: 'axis', type: 2, i: axis }] : [],
  });
  o.scales.set(out, full(q.scales).map(Math.fround));
}

function scalarOf(v: NodeView, g: OnnxQuantGraph, i: number, what: string): number {
  const c = g.consts.get(v.inputs[i] ?? '');
  if (!c || c.tensor.data.length !== 1) fail(v, `${what} must be a scalar constant`);
  return c.tensor.data[0]!;
}

/**
 * The grid of a runtime tensor: its scale when a Quant or Trunc produced it;
 * for the output of a MatMul, or a Conv/Gemm without bias, of quantized
 * operands, the finest s_x * s_w[c]: every output is an integer multiple of
 * its channel's, so a QuantizeLinear at that scale (emitted here) keeps its
 * sign (a nonzero value is at least one step).
 */
function gridOf(v: NodeView, g: OnnxQuantGraph, o: Out, x: string): { grid: number; x: string } {
  const own = o.scales.get(x);
  if (own?.length === 1) return { grid: own[0]!, x };
  const p = g.nodes.find((n) => n.outputs[0] === x);
  const sx = p && o.scales.get(p.inputs[0]!),
    sw = p && o.scales.get(p.inputs[1]!);
  if (!p || !['MatMul', 'Conv', 'Gemm'].includes(p.op) || p.inputs[2] || sx?.length !== 1 || !sw)
    fail(
      v,
      'a runtime BipolarQuant needs its input quantized (a Quant or Trunc output), or the output of a MatMul, or a Conv/Gemm without bias, of quantized operands',
    );
  const grid = Math.min(...sw.map((w) => Math.fround(sx[0]! * w)));
  qdqPair(x, `${v.outputs[0]!}__acc`, `${v.name}__acc`, grid, 0, 'int8', o);
  o.grids.set(`${v.outputs[0]!}__acc`, { zp: 0, type: 'int8' });
  return { grid, x: `${v.outputs[0]!}__acc` };
}

/** BipolarQuant: of a constant, int8 codes +1 (x >= 0) and -1 at the scale; of a runtime tensor, runtimeBipolar. */
function bipolar(v: NodeView, g: OnnxQuantGraph, o: Out): void {
  const c = g.consts.get(v.inputs[0]!);
  const s = scalarOf(v, g, 1, 'scale');
  if (!c) {
    const at = gridOf(v, g, o, v.inputs[0]!);
    return runtimeBipolar(v, s, at.grid, o, at.x);
  }
  const out = v.outputs[0]!;
  const codes = Array.from(c.tensor.data, (x) => (x >= 0 ? 1 : -1));
  o.inits.push(
    init(`${out}__codes`, 'int8', [...c.tensor.shape], codes),
    init(`${out}__scale`, 'float', [], [s]),
    init(`${out}__zp`, 'int8', [], [0]),
  );
  o.nodes.push({ opType: 'DequantizeLinear', name: v.name, input: [`${out}__codes`, `${out}__scale`, `${out}__zp`], output: [out] });
  o.scales.set(out, [Math.fround(s)]);
}

/**
 * Trunc (v2: X, scale, zeropt, in_bitwidth, out_scale, out_bitwidth; v1
 * without out_scale, 2^k = 2^(in_bitwidth - out_bitwidth)):
 * y = round(X / scale + zeropt) / 2^k, clamped to out_bitwidth's range and
 * rounded with rounding_mode (FLOOR by default), Y = (y - zeropt / 2^k) * out_scale.
 * With zeropt 0 and X on its grid this is Quant(X, out_scale, 0, out_bitwidth)
 * with the same rounding: a constant is quantized here by that formula, a
 * runtime tensor on the grid of `scale` goes through runtimeQuant (ROUND,
 * FLOOR, CEIL).
 */
function trunc(v: NodeView, g: OnnxQuantGraph, o: Out): void {
  const scale = scalarOf(v, g, 1, 'scale');
  if (scalarOf(v, g, 2, 'zeropt') !== 0) fail(v, 'only zeropt 0 is supported in an affine network');
  const v2 = v.inputs.length >= 6;
  const outBits = scalarOf(v, g, v2 ? 5 : 4, 'out_bitwidth');
  const outScale = v2 ? scalarOf(v, g, 4, 'out_scale') : scale * 2 ** (scalarOf(v, g, 3, 'in_bitwidth') - outBits);
  const spec: QuantSpec = {
    bits: outBits,
    signed: (v.attrs.get('signed') ?? 1) === 1,
    narrow: (v.attrs.get('narrow') ?? 0) === 1,
    rounding: roundingOf(v, 'FLOOR'),
    scales: [outScale],
    zeroPoints: [0],
  };
  const c = g.consts.get(v.inputs[0]!);
  if (!c) {
    const sIn = o.scales.get(v.inputs[0]!);
    // round(X / scale) is X / scale itself when X lies on that grid: then Trunc is the Quant below
    if (!sIn || sIn.length !== 1 || sIn[0] !== Math.fround(scale))
      fail(
        v,
        `the input of a runtime Trunc must be a tensor quantized at its scale ${scale} (the output of a Quant or Trunc with that scale)`,
      );
    return runtimeQuant(v, spec, o);
  }
  const [lo, hi] = intRange(spec);
  const k = outScale / scale;
  const q = Array.from(c.tensor.data, (x) =>
    quantCode(quantCode(x, scale, 0, -Infinity, Infinity, 'ROUND') / k, 1, 0, lo, hi, spec.rounding),
  );
  constantQuant(v, { ...spec, rounding: 'ROUND' }, { ...c, tensor: { ...c.tensor, data: Float64Array.from(q, (y) => y * outScale) } }, o);
}

/** A float constant bias of Conv/Gemm as int32 codes at float32(s_x * s_w[c]); the node itself unchanged otherwise. */
function floatBias(v: NodeView, proto: OnnxTypes.INodeProto, g: OnnxQuantGraph, o: Out): OnnxTypes.INodeProto {
  const b = g.consts.get(v.inputs[2] ?? '');
  if (!b || o.scales.has(v.inputs[2]!) || b.elemType !== T.float) return proto;
  const sx = o.scales.get(v.inputs[0]!),
    sw = o.scales.get(v.inputs[1]!);
  if (!sx || !sw) return proto;
  const s = Array.from(b.tensor.data, (_, c) => Math.fround(sx[0]! * sw[sw.length === 1 ? 0 : c]!));
  const codes = Array.from(b.tensor.data, (x, c) => {
    const k = Math.round(x / s[c]!);
    if (Math.abs(k * s[c]! - x) > s[c]! * 2 ** -16 || Math.abs(k) > 2 ** 31 - 1)
      fail(
        v,
        `bias ${x} (channel ${c}) is not on the accumulator's grid s_x * s_w = ${s[c]}; quantize it with a 32-bit Quant at that scale`,
      );
    return k;
  });
  const name = `${v.inputs[2]}__int32`;
  o.inits.push(
    init(`${name}__codes`, 'int32', [codes.length], codes),
    init(`${name}__scale`, 'float', [s.length], s),
    init(
      `${name}__zp`,
      'int32',
      [s.length],
      s.map(() => 0),
    ),
  );
  o.nodes.push({
    opType: 'DequantizeLinear',
    name: `${v.name}__bias`,
    input: [`${name}__codes`, `${name}__scale`, `${name}__zp`],
    output: [name],
    attribute: [{ name: 'axis', type: 2, i: 0 }],
  });
  return { ...proto, input: [v.inputs[0]!, v.inputs[1]!, name] };
}

const GRID_KEEPING = new Set(['Flatten', 'Reshape', 'Transpose', 'Identity', 'MaxPool', 'Relu']);

/** The QDQ model equivalent to an affine QONNX model (see above). */
export function affineQonnxToQdq(bytes: Uint8Array, g: OnnxQuantGraph): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const o: Out = { nodes: [], inits: [], scales: new Map(), grids: new Map() };
  let j = 0;
  for (const proto of model.graph!.node ?? []) {
    if (proto.opType === 'Constant') {
      o.nodes.push(proto);
      continue;
    }
    const v = g.nodes[j++]!;
    if (!isQonnxNode(v.op, v.domain)) {
      o.nodes.push((v.op === 'Conv' || v.op === 'Gemm') && v.inputs[2] ? floatBias(v, proto, g, o) : proto);
      // ops whose outputs are input values (or 0) keep the input's grid
      const grid = o.scales.get(v.inputs[0] ?? '');
      if (grid?.length === 1 && GRID_KEEPING.has(v.op)) {
        o.scales.set(v.outputs[0]!, grid);
        const q = o.grids.get(v.inputs[0]!);
        if (q) o.grids.set(v.outputs[0]!, q);
      }
      continue;
    }
    if (v.op === 'BipolarQuant') {
      bipolar(v, g, o);
      continue;
    }
    if (v.op === 'Trunc') {
      trunc(v, g, o);
      continue;
    }
    if (v.op !== 'Quant' && v.op !== 'IntQuant')
      fail(
        v,
        `${v.op} is not supported in a QONNX model with affine scales (scales that are not powers of two); accepted there: Quant / IntQuant, BipolarQuant, Trunc`,
      );
    const q = quantSpec(v, g.consts);
    const c = g.consts.get(v.inputs[0]!);
    if (c) constantQuant(v, q, c, o);
    else runtimeQuant(v, q, o);
  }
  model.graph!.node = o.nodes;
  model.graph!.initializer = [...(model.graph!.initializer ?? []), ...o.inits];
  model.opsetImport = [{ domain: '', version: 13 }];
  return onnx.ModelProto.encode(model).finish();
}
