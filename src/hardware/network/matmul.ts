/**
 * A matmul layer of two computed tensors (sim/quantize/model-arith.ts) on the
 * systolic array: a GEMM without stationary weights. Each sample's
 * A [..., M, K] times B [..., K, N] is `mats` independent products; the B
 * operand of every product (of every sample of the batch) is loaded into the
 * array like weights and used for that product only. In SCALE-Sim's terms
 * this is a grouped 1x1 convolution with one group per product: Cin = K per
 * group, N filters per group, M output pixels, batch 1 — so the MACs, the
 * B operand's SRAM footprint and traffic, and the array folds are those of
 * the independent GEMMs (no reuse of B across samples). The PE multiplies
 * A's codes by B's codes into the layer's accumulator; the requantization
 * unit narrows that accumulator into the output (pow2) or requantizes the
 * int32 sum (affine), as for a dense layer.
 */
import { sizeOf } from '../../models/graph.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { parseFormat } from '../../fixedpoint/index.js';
import type { TensorQuant } from '../../sim/quantize/model.js';
import type { MatMulLayer } from '../../sim/quantize/model-arith.js';
import { convShape } from '../layer.js';
import { quantFormat, type NetworkLayerPlan } from './layers.js';

export function planMatMul(
  l: MatMulLayer,
  a: { shape: readonly number[]; quant: TensorQuant },
  b: { quant: TensorQuant },
  batch: number,
): NetworkLayerPlan {
  const r = a.shape.length;
  const [M, K, N] = [a.shape[r - 2]!, a.shape[r - 1]!, l.shape[r - 1]!];
  const groups = sizeOf(a.shape.slice(0, -2)) * batch;
  const shape = convShape(l.name, {
    Fh: 1,
    Fw: 1,
    Cin: K * groups,
    filters: N * groups,
    outputPixels: M,
    inputPixels: M,
    batch: 1,
    groups,
  });
  const acc: FixedFormat =
    l.acc.kind === 'pow2'
      ? parseFormat(l.acc.formats[0]!)
      : { signed: true, width: l.acc.bits, intBits: l.acc.bits, rounding: 'TRN', overflow: l.acc.overflow };
  const [input, weight] = [quantFormat(a.quant, `layer '${l.name}' input`), quantFormat(b.quant, `layer '${l.name}' input`)];
  const out = quantFormat(l.out, `layer '${l.name}' out`);
  return {
    name: l.name,
    op: 'matmul',
    shape,
    widths: { weightBits: weight.width, inputBits: input.width, outputBits: out.width, accBits: acc.width, biasBits: 0 },
    mac: { weight, input, acc },
    dotLength: K,
    requant: l.acc.kind === 'pow2' ? { kind: 'pow2', acc: [acc], out } : { kind: 'affine', accBits: l.acc.bits, out },
    activationLayer: null,
    activation: null,
    fusedActivation: null,
  };
}
