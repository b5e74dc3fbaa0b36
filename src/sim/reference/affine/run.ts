import { UserError } from '../../../errors.js';
import { sizeOf } from '../../../models/graph.js';
import type { ConcatLayer, IntModel, LayerEvents, TransposeLayer } from '../../quantize/model.js';
import { tensorParams, type AffineLayer, type AffineParams } from '../../quantize/affine/types.js';
import { ratOf } from './exact.js';
import { referenceActivation, referenceAdd } from './eltwise.js';
import { quantize32 } from './f32.js';
import { outputStage, referenceConv, referenceDense } from './linear.js';
import { referenceGlobalAvgPool, referencePool, requantCode } from './pool.js';
import { codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * The float reference of an affine model: every layer by its ONNX operator
 * definition (QuantizeLinear / DequantizeLinear, QLinearMatMul, QLinearConv,
 * MatMulInteger / ConvInteger with their float rescale, QLinearAdd, pools,
 * concat), written independently of the integer engine. 'real' arithmetic is
 * exact: the real number each definition denotes, rounded half to even where
 * QuantizeLinear rounds. 'float32' evaluates the same definitions with
 * onnxruntime's float32 operations.
 */

export interface AffineReferenceOptions {
  arithmetic?: Arithmetic;
  /** The input holds codes of the input tensor instead of raw values. */
  inputCodes?: boolean;
}

export interface AffineReferenceResult {
  /** Real values of every tensor: (code - zero_point) * scale, exact in float64. */
  tensors: Map<string, Float64Array>;
  /** The reference's codes of every tensor. */
  codes: Map<string, Int32Array>;
  events: Map<string, LayerEvents>;
}

function referenceInput(m: IntModel, p: AffineParams, input: ArrayLike<number>, arithmetic: Arithmetic, ev: LayerEvents): Int32Array {
  const k = 2 ** (m.input.rawScaleLog2 ?? 0);
  return Int32Array.from(input, (raw) => {
    const x = raw * k;
    if (!Number.isFinite(x)) throw new UserError(`input value ${raw} is not a finite number`);
    const code = arithmetic === 'float32' ? quantize32(x, p) : codeOfReal({ approx: x, exact: () => ratOf(x) }, p);
    return saturate(code, p, ev);
  });
}

function concat(l: ConcatLayer, shapes: (readonly number[])[], xs: Int32Array[], batch: number, ins: AffineParams[], outP: AffineParams, a: Arithmetic, ev: LayerEvents): Int32Array {
  const outer = sizeOf(shapes[0]!.slice(0, l.axis));
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outer; r++) {
      shapes.forEach((s, k) => {
        const block = sizeOf(s.slice(l.axis));
        const base = b * sizeOf(s) + r * block;
        for (let i = 0; i < block; i++) out.push(requantCode(xs[k]![base + i]!, ins[k]!, outP, a, ev));
      });
    }
  }
  return Int32Array.from(out);
}

function transpose(l: TransposeLayer, inShape: readonly number[], x: Int32Array, batch: number): Int32Array {
  const n = sizeOf(inShape);
  const outShape = l.perm.map((p) => inShape[p]!);
  const y = new Int32Array(batch * n);
  for (let i = 0; i < batch * n; i++) {
    const o = i % n;
    const coords = new Array<number>(outShape.length);
    let rem = o;
    for (let d = outShape.length - 1; d >= 0; d--) { coords[d] = rem % outShape[d]!; rem = Math.floor(rem / outShape[d]!); }
    const inCoords = new Array<number>(inShape.length);
    l.perm.forEach((p, d) => { inCoords[p] = coords[d]!; });
    let src = 0;
    for (let d = 0; d < inShape.length; d++) src = src * inShape[d]! + inCoords[d]!;
    y[i] = x[(i - o) + src]!;
  }
  return y;
}

function layer(
  l: AffineLayer, shapes: Map<string, readonly number[]>, xs: Int32Array[], batch: number,
  ins: AffineParams[], outP: AffineParams, a: Arithmetic, ev: LayerEvents,
): Int32Array {
  const inShapes = l.inputs.map((i) => shapes.get(i)!);
  switch (l.op) {
    case 'dense': return referenceDense(l, inShapes[0]!, xs[0]!, batch, ins[0]!, outputStage(l, ins[0]!, outP, a), ev);
    case 'conv': return referenceConv(l, inShapes[0]!, l.shape, xs[0]!, batch, ins[0]!, outputStage(l, ins[0]!, outP, a), ev);
    case 'maxpool': case 'avgpool': return referencePool(l, inShapes[0]!, l.shape, xs[0]!, batch, ins[0]!, outP, a, ev);
    case 'globalavgpool': return referenceGlobalAvgPool(inShapes[0]!, xs[0]!, batch, ins[0]!, outP, a, ev);
    case 'flatten': case 'reshape': return xs[0]!;
    case 'transpose': return transpose(l, inShapes[0]!, xs[0]!, batch);
    case 'add': return referenceAdd(l, inShapes[0]!, xs, batch, ins, outP, a, ev);
    case 'concat': return concat(l, inShapes, xs, batch, ins, outP, a, ev);
    case 'activation': return referenceActivation(l, xs[0]!, ins[0]!, outP, a, ev);
  }
}

/** Runs `batch` samples (raw dataset values, batch-major) through the reference. */
export function runAffineReference(m: IntModel, input: ArrayLike<number>, batch: number, opts: AffineReferenceOptions = {}): AffineReferenceResult {
  const a = opts.arithmetic ?? 'real';
  if (m.scheme !== 'affine') throw new UserError(`model '${m.name}' uses scheme '${m.scheme}'; the affine reference runs affine models only`);
  if (input.length !== batch * sizeOf(m.input.shape)) throw new UserError(`input has ${input.length} values; model '${m.name}' expects ${batch} x ${sizeOf(m.input.shape)}`);
  const params = new Map<string, AffineParams>([[m.input.name, tensorParams(m.input.quant, 'input.quant')]]);
  const shapes = new Map<string, readonly number[]>([[m.input.name, m.input.shape]]);
  const events = new Map<string, LayerEvents>();
  const inEv = { saturations: 0, wraps: 0 };
  events.set(m.input.name, inEv);
  const x = opts.inputCodes ? Int32Array.from(input) : referenceInput(m, params.get(m.input.name)!, input, a, inEv);
  const codes = new Map<string, Int32Array>([[m.input.name, x]]);
  for (const l of m.layers as AffineLayer[]) {
    const ev = { saturations: 0, wraps: 0 };
    const outP = tensorParams(l.out, `layer '${l.name}' out`);
    codes.set(l.output, layer(l, shapes, l.inputs.map((i) => codes.get(i)!), batch, l.inputs.map((i) => params.get(i)!), outP, a, ev));
    params.set(l.output, outP);
    shapes.set(l.output, l.shape);
    events.set(l.name, ev);
  }
  const tensors = new Map<string, Float64Array>();
  for (const [name, c] of codes) {
    const p = params.get(name)!;
    tensors.set(name, Float64Array.from(c, (q) => (q - p.zeroPoint) * p.scale));
  }
  return { tensors, codes, events };
}
