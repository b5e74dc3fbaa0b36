/**
 * The multiplier of an elementwise Mul of two runtime tensors (squeeze-and-
 * excitation's x * s, SiLU written as x * sigmoid(x)) whose output an
 * activation unit processes: costed in series before that unit, as the
 * residual adder is (residual-adder.ts).
 *
 * pow2: codes a (W_a bits, F_a) and b (W_b, F_b) multiplied exactly by one
 * array multiplier (W_a + W_b bits at F_a + F_b fraction bits), then narrowed
 * into the mul's output format (convertBits: its rounding and overflow) — the
 * integer engine's mul layer. affine: the product (a - z_a)(b - z_b) of two
 * 9-bit signed operands (8-bit codes minus their zero points), an 18-bit
 * product; its requantization is costed with the requantization units.
 */
import type { FixedFormat } from '../../fixedpoint/types.js';
import { CircuitBuilder, convertBits, multiply, prune } from '../../netlist/index.js';
import type { Netlist } from '../../netlist/ir.js';

const fracOf = (f: FixedFormat) => f.width - f.intBits;

export function buildPow2Multiplier(fa: FixedFormat, fb: FixedFormat, out: FixedFormat): Netlist {
  const b = new CircuitBuilder('eltwise_mul_pow2');
  const p = multiply(b, b.input('a', fa.width), b.input('b', fb.width), fa.signed, fb.signed);
  const w = fa.width + fb.width;
  const exact: FixedFormat = {
    signed: fa.signed || fb.signed,
    width: w,
    intBits: w - fracOf(fa) - fracOf(fb),
    rounding: 'TRN',
    overflow: 'WRAP',
  };
  b.output('y', convertBits(b, p, exact, out).y);
  prune(b.net);
  return b.net;
}

export function buildAffineMultiplier(): Netlist {
  const b = new CircuitBuilder('eltwise_mul_affine');
  b.output('y', multiply(b, b.input('a', 9), b.input('b', 9), true, true));
  prune(b.net);
  return b.net;
}
