import { UserError } from '../../../errors.js';
import type { ConcatLayer, IntLayer, IntModel, TensorQuant } from '../../quantize/model.js';
import type { RefScheme } from '../driver.js';
import type { RefKernel } from '../kernel.js';
import { referenceActivationArray } from './activation.js';
import { convReal, denseReal } from './linear.js';
import { addReal, globalAvgReal, poolReal } from './other.js';
import { quantizeF64 } from '../wasm/kernels.js';
import { mulReal } from './mul.js';
import { pow2DataRef } from './data.js';
import { arithReal } from './arith.js';
import { pow2Resident } from './resident.js';
import { countEvents, quantizeReal, realFormat, type RealFormat } from './real.js';

/*
 * The pow2 float reference: the quantized network executed in float64 on
 * dequantized values (weights code * 2^-F), rounding and saturating at the
 * same points with the float operations of real.ts. Every value is exact, so
 * each tensor equals the integer engine's codes times 2^-F element for element.
 */

function formatOf(q: TensorQuant): RealFormat {
  if (q.kind !== 'pow2') throw new UserError(`the pow2 float reference cannot run a '${q.kind}' tensor`);
  return realFormat(q.format);
}

export function pow2Reference(m: IntModel): RefScheme {
  const inF = formatOf(m.input.quant);
  const formats = new Map<string, RealFormat>([[m.input.name, inF]]);
  for (const l of m.layers) formats.set(l.output, formatOf(l.out));
  const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
  return {
    resident: pow2Resident(formats, inF),
    input: (v, ev) => {
      countEvents(ev, inF, quantizeF64(v, inF));
      return v;
    },
    concatInto: (l: ConcatLayer) => {
      const out = formats.get(l.output)!;
      return (_k, v, ev) => quantizeReal(v, out, ev);
    },
    layer(l: IntLayer, shapes): RefKernel {
      const ins = l.inputs.map((n) => formats.get(n)!),
        out = formats.get(l.output)!;
      switch (l.op) {
        case 'dense':
          return denseReal(l, ins[0]!, size(shapes[0]!));
        case 'conv':
          return convReal(l, ins[0]!, shapes[0]!);
        case 'maxpool':
        case 'avgpool':
          return poolReal(l, shapes[0]!, out);
        case 'globalavgpool':
          return globalAvgReal(shapes[0]!, out);
        case 'add':
          return addReal(out);
        case 'mul':
          return mulReal(shapes[0]!, shapes[1]!, out);
        case 'activation': {
          const act = referenceActivationArray(l.activation, ins[0]!, out);
          return ([x], _b, ev) => act(x!, ev);
        }
        case 'gather':
        case 'reduce':
        case 'constant':
        case 'pad':
          return pow2DataRef(l, shapes[0]!, out);
        case 'matmul':
        case 'binary':
        case 'where':
          return arithReal(l, shapes, out);
        default:
          throw new Error(`internal: layer op '${l.op}' reached the pow2 reference scheme`);
      }
    },
  };
}
