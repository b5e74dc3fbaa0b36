import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageHalfEven } from '../../../../src/fixedpoint/pytorch.js';
import { pytorchAdd, pytorchAverage } from '../../../../src/sim/engine/affine/pytorch.js';
import type { AffineParams } from '../../../../src/sim/quantize/affine/types.js';

/*
 * The 'pytorch' scheme's own pieces against oracles written independently:
 * qnnpack's add as its scalar code states it (int32 bit operations, in
 * bigint: remainder mask and threshold), and the average pool against the
 * exact rational mean rounded half to even (fixedpoint averageHalfEven).
 */

const f32 = Math.fround;
const p = (scale: number, zeroPoint: number): AffineParams => ({ type: 'uint8', scale: f32(scale), zeroPoint, qmin: 0, qmax: 255 });

function fp32Bits(v: number): number {
  const d = new DataView(new ArrayBuffer(4));
  d.setFloat32(0, v);
  return d.getUint32(0);
}

/** qnnpack's add: multipliers at 2^(21 - exponent of the larger ratio), lrintf; acc >> shift with remainder > mask >> 1 rounding up. */
function qnnpackAddOracle(a: number, b: number, pa: AffineParams, pb: AffineParams, pc: AffineParams): number {
  const rA = f32(pa.scale / pc.scale),
    rB = f32(pb.scale / pc.scale);
  const exp = (fp32Bits(Math.max(rA, rB)) >>> 23) - 127;
  const shift = BigInt(21 - exp);
  const lrint = (v: number): bigint => {
    const f = Math.floor(v),
      d = v - f;
    return BigInt(d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f);
  };
  const scaleMul = f32(2 ** (21 - exp));
  const mA = lrint(f32(rA * scaleMul)),
    mB = lrint(f32(rB * scaleMul));
  const zpp = -(mA * BigInt(pa.zeroPoint) + mB * BigInt(pb.zeroPoint));
  const acc = BigInt.asIntN(32, zpp + BigInt(a) * mA + BigInt(b) * mB);
  const mask = (1n << shift) - 1n;
  const rem = (acc & mask) - (acc < 0n ? 1n : 0n);
  const q = (acc >> shift) + (rem > mask >> 1n ? 1n : 0n);
  return Number(q) + pc.zeroPoint;
}

const scale = fc.double({ min: 0.002, max: 0.5, noNaN: true });
const zp = fc.integer({ min: 0, max: 255 });

describe("the 'pytorch' scheme's qnnpack pieces", () => {
  it('add equals qnnpack scalar add on a grid of code pairs of random quantizations', () => {
    fc.assert(
      fc.property(scale, zp, scale, zp, scale, zp, (sa, za, sb, zb, sc, zc) => {
        const [pa, pb, pc] = [p(sa, za), p(sb, zb), p(sc, zc)];
        const rA = pa.scale / pc.scale,
          rB = pb.scale / pc.scale;
        fc.pre(Math.max(rA, rB) >= 2 ** -14 && Math.max(rA, rB) < 256 && Math.min(rA, rB) >= 2 ** -14); // qnnpack's asserted range
        const add = pytorchAdd(pa, pb, pc);
        for (let a = 0; a < 256; a += 7)
          for (let b = 0; b < 256; b += 5) if (add(a, b) !== qnnpackAddOracle(a, b, pa, pb, pc)) return false;
        return true;
      }),
      { numRuns: 80 },
    );
  });

  it('average pool with the input quantization kept: the exact mean rounded half to even, + zero point', () => {
    fc.assert(
      fc.property(scale, zp, fc.constantFrom(1, 2, 4, 8, 16), fc.integer({ min: -255 * 16, max: 255 * 16 }), (s, z, n, sum) => {
        const q = p(s, z);
        expect(pytorchAverage(q, q, n)(sum)).toBe(averageHalfEven(sum, n, z));
      }),
      { numRuns: 1000 },
    );
  });
});
