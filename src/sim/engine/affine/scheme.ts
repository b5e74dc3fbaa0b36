import { UserError } from '../../../errors.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { AddLayer, AffineModel, ConvLayer, DenseLayer, TensorQuant } from '../../quantize/model.js';
import { tensorParams, type AffineLayer } from '../../quantize/affine/types.js';
import type { Convert, Scheme, SchemeOptions } from '../scheme.js';
import { activationKernel, affineActivationTable } from './activation.js';
import { addKernel } from './add.js';
import { affineMulKernel } from './mul.js';
import { affineArithKernel } from './arith.js';
import { affineLinear } from './linear.js';
import { finish } from './outstage.js';
import { pairSaturatedKernel } from './pairsat.js';
import { affineAverager, ortPool, plainRange } from './pool.js';
import { inputStep, quantizeUnclamped } from './quantize.js';
import { remapTable } from './remap.js';

/*
 * The affine scheme: int8/uint8 codes with scale and zero point, int
 * accumulators, requantization by the selected scheme (gemmlowp,
 * single-rounding, tflite-float, onnxruntime). Float arithmetic appears only
 * where the scheme prescribes it (the onnxruntime and tflite-float
 * requantizations, onnxruntime's QLinearAdd and average pools, the float
 * rescale of imported MatMulInteger/ConvInteger layers) and in the
 * quantization of the raw input.
 */
export function affineScheme(m: AffineModel, opts: SchemeOptions): Scheme {
  const scheme: RequantScheme = opts.requant ?? m.requant ?? 'onnxruntime';
  const params = (q: TensorQuant, path: string) => tensorParams(q, path);
  const inP = params(m.input.quant, 'input.quant');
  const steps = m.input.preprocess ?? [];
  return {
    quantizeInput(v, ev) {
      const out = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        let x = v[i]!;
        for (const s of steps) x = inputStep(x, s);
        let y = quantizeUnclamped(x, inP, scheme);
        if (y < inP.qmin) {
          ev.saturations++;
          y = inP.qmin;
        } else if (y > inP.qmax) {
          ev.saturations++;
          y = inP.qmax;
        }
        out[i] = y;
      }
      return out;
    },
    checkInputCodes(codes) {
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        if (!Number.isInteger(c) || c < inP.qmin || c > inP.qmax)
          throw new UserError(`input code ${c} at index ${i} is not a ${inP.type} code`);
      }
    },
    fitsInt32: () => true,
    linear: (l: DenseLayer | ConvLayer, inQ, path) =>
      affineLinear(
        l as AffineLayer & (DenseLayer | ConvLayer),
        params(inQ, `${path}.in`),
        params(l.out, `${path}.out`),
        scheme,
        m.tfliteKernel,
      ),
    linearOverride(l, inShape, inQ, path) {
      const mode = opts.accumulation;
      if (mode === undefined || mode === 'exact') return undefined;
      const inAt = params(inQ, `${path}.in`);
      const al = l as AffineLayer & (DenseLayer | ConvLayer);
      return pairSaturatedKernel(al, affineLinear(al, inAt, params(l.out, `${path}.out`), scheme, m.tfliteKernel), inAt, inShape, mode);
    },
    convert(from, to, path): Convert {
      const outP = params(to, `${path}.out`);
      const t = remapTable(params(from, `${path}.in`), outP, scheme);
      if (!t) return undefined;
      const range = plainRange(outP);
      return (v, ev) => finish(t[v & 0xff]!, range, ev);
    },
    averager: (inQ, outQ) => affineAverager(params(inQ, 'in'), params(outQ, 'out'), scheme),
    poolOverride: (l, shape, inQ, outQ) =>
      scheme === 'onnxruntime' ? ortPool(l, shape, params(inQ, 'in'), params(outQ, 'out')) : undefined,
    add: (l: AddLayer, shapes, ins, _path) =>
      addKernel(
        l as AffineLayer & AddLayer,
        shapes[0]!,
        ins.map((q) => params(q, 'in')),
        scheme,
      ),
    mul: (l, shapes, ins, path) =>
      affineMulKernel(
        params(ins[0]!, `${path}.in`),
        params(ins[1]!, `${path}.in`),
        params(l.out, `${path}.out`),
        scheme,
        shapes[0]!,
        shapes[1]!,
      ),
    arith: (l, shapes, ins, path) =>
      affineArithKernel(
        l,
        shapes,
        ins.map((q, k) => params(q, `${path}.inputs[${k}]`)),
        params(l.out, `${path}.out`),
        scheme,
        path,
      ),
    activation: (l, inQ, outQ, mode) => activationKernel(l, params(inQ, 'in'), params(outQ, 'out'), scheme, mode),
    i16Codes: () => true,
    activationTable: (l, inQ, outQ, mode) => affineActivationTable(l, params(inQ, 'in'), params(outQ, 'out'), scheme, mode),
  };
}
