import { UserError } from '../../../errors.js';
import type { ConcatLayer, IntLayer, IntModel } from '../../quantize/model.js';
import { tensorParams, type AffineLayer, type AffineParams } from '../../quantize/affine/types.js';
import type { RefScheme } from '../driver.js';
import type { RefKernel } from '../kernel.js';
import { ratOf } from './exact.js';
import { referenceActivation, referenceAdd } from './eltwise.js';
import { referenceMul } from './mul.js';
import { affineDataRef } from './data.js';
import { referenceArith } from './arith.js';
import { inputStep32, quantize32 } from './f32.js';
import { outputStage, referenceConv, referenceDense } from './linear.js';
import { pairSaturatedReference, type RefAccumulation } from './pairsat.js';
import { referenceGlobalAvgPool, referencePool, requantCode } from './pool.js';
import { codeOfReal, saturate } from './real.js';
import type { Arithmetic } from './types.js';

/*
 * The float reference of an affine model: every layer by its ONNX operator
 * definition (QuantizeLinear / DequantizeLinear, QLinearMatMul, QLinearConv,
 * MatMulInteger / ConvInteger with their float rescale, QLinearAdd, pools,
 * concat), written independently of the integer engine; tensors hold codes.
 * 'real' arithmetic is exact: the real number each definition denotes, rounded
 * half to even where QuantizeLinear rounds. 'float32' evaluates the same
 * definitions with onnxruntime's float32 operations.
 */
export function affineReference(m: IntModel, a: Arithmetic, accumulation: RefAccumulation = 'exact'): RefScheme {
  const params = new Map<string, AffineParams>([[m.input.name, tensorParams(m.input.quant, 'input.quant')]]);
  for (const l of m.layers) params.set(l.output, tensorParams(l.out, `layer '${l.name}' out`));
  const inP = params.get(m.input.name)!;
  const steps = m.input.preprocess ?? [];
  return {
    input: (v, ev) =>
      v.map((raw) => {
        if (!Number.isFinite(raw)) throw new UserError(`input value ${raw} is not a finite number`);
        const x = steps.reduce((y, s) => inputStep32(y, s), raw);
        const code = a === 'float32' ? quantize32(x, inP) : codeOfReal({ approx: x, exact: () => ratOf(x) }, inP);
        return saturate(code, inP, ev);
      }),
    concatInto: (l: ConcatLayer) => {
      const ins = l.inputs.map((n) => params.get(n)!),
        outP = params.get(l.output)!;
      return (k, v, ev) => requantCode(v, ins[k]!, outP, a, ev);
    },
    layer(layer: IntLayer, shapes): RefKernel {
      const l = layer as AffineLayer;
      const ins = l.inputs.map((n) => params.get(n)!),
        outP = params.get(l.output)!;
      if (l.op === 'dense' || l.op === 'conv') {
        const sat = pairSaturatedReference(l, shapes[0]!, ins[0]!, outputStage(l, ins[0]!, outP, a), accumulation);
        if (sat) return sat;
      }
      switch (l.op) {
        case 'dense':
          return ([x], batch, ev) => referenceDense(l, shapes[0]!, x!, batch, ins[0]!, outputStage(l, ins[0]!, outP, a), ev);
        case 'conv':
          return ([x], batch, ev) => referenceConv(l, shapes[0]!, l.shape, x!, batch, ins[0]!, outputStage(l, ins[0]!, outP, a), ev);
        case 'maxpool':
        case 'avgpool':
          return ([x], batch, ev) => referencePool(l, shapes[0]!, l.shape, x!, batch, ins[0]!, outP, a, ev);
        case 'globalavgpool':
          return ([x], batch, ev) => referenceGlobalAvgPool(shapes[0]!, x!, batch, ins[0]!, outP, a, ev);
        case 'add':
          return (xs, batch, ev) => referenceAdd(l, shapes[0]!, xs, batch, ins, outP, a, ev);
        case 'mul':
          return (xs, batch, ev) => referenceMul(shapes[0]!, shapes[1]!, xs, batch, ins, outP, a, ev);
        case 'activation':
          return ([x], _batch, ev) => referenceActivation(l, x!, ins[0]!, outP, a, ev);
        case 'gather':
        case 'reduce':
        case 'constant':
        case 'pad':
          return affineDataRef(l, shapes[0]!, ins[0], outP, a);
        case 'matmul':
        case 'binary':
        case 'where':
          return referenceArith(l, shapes, ins, outP, a);
        default:
          throw new Error(`internal: layer op '${l.op}' reached the affine reference scheme`);
      }
    },
  };
}
