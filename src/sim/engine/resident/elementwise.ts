import { maxCode } from '../../../fixedpoint/format.js';
import { lowestKept } from '../../../fixedpoint/overflow.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../fixedpoint/types.js';
import { sizeOf } from '../../../models/graph.js';
import { countEvent } from '../accumulate.js';
import type { Scheme } from '../scheme.js';
import type { PoolLayer, TensorQuant } from '../../quantize/model.js';
import { poolGeometry } from '../geometry.js';
import { kernels } from '../wasm/module.js';
import { fitsI16, narrowParams, paramsAt } from '../wasm/narrow.js';
import { windowsCovered, type ResidentKernel } from './steps.js';
import { residentAt } from '../wasm/packed.js';

/*
 * The pow2 residual add, global and windowed average pools in the resident
 * pipeline (add_i16_narrow, gap_i16, avgpool_i16: docs/kernels.md), from the scheme's data
 * (Scheme.addStage, Scheme.averageStage). Each returns undefined where its
 * kernel's exactness conditions do not hold; the layer then runs on the host.
 */

/** Bytes of the add's int32 scratch (8192 sums, the kernel's chunk). */
const ADD_SCRATCH = 8192 * 4;

/** a * ua + b * ub, then the output stage; ua + ub <= 2^16 keeps every sum of int16 codes an exact int32. */
export function residentAdd(
  s: Scheme,
  ins: readonly TensorQuant[],
  shapes: readonly (readonly number[])[],
  out: TensorQuant,
): ResidentKernel | undefined {
  const st = s.addStage?.(ins, out);
  if (!st || shapes.length !== 2 || sizeOf(shapes[0]!) !== sizeOf(shapes[1]!) || st.ua + st.ub > 2 ** 16 || !fitsI16(st.narrow.to))
    return undefined;
  const params = narrowParams(st.narrow, true),
    per = sizeOf(shapes[0]!),
    to = st.narrow.to;
  return {
    scratch: () => ADD_SCRATCH,
    run(at, batch, ev) {
      const p = paramsAt(params);
      const n = kernels().add_i16_narrow(at.ins[0]!, at.ins[1]!, batch * per, st.ua, st.ub, at.scratch, at.out, p.shifts, p.q);
      if (n > 0) countEvent(ev, to, n);
    },
  };
}

const fmtArgs = (f: FixedFormat) =>
  [
    ROUNDINGS.indexOf(f.rounding),
    OVERFLOWS.indexOf(f.overflow),
    Number(lowestKept(f)),
    Number(maxCode(f)),
    f.width,
    f.signed ? 1 : 0,
  ] as const;

/** [C, H, W] -> [C, 1, 1]: each plane's exact sum averaged (Scheme.averageStage) while |sum| * up and H * W * down stay below 2^53. */
export function residentGlobalAvgPool(
  s: Scheme,
  inQ: TensorQuant,
  inShape: readonly number[],
  out: TensorQuant,
): ResidentKernel | undefined {
  const st = s.averageStage?.(inQ, out);
  const [C, H, W] = inShape as [number, number, number];
  const plane = H * W;
  if (!st || !fitsI16(st.to) || 2 ** 15 * plane * st.up > 2 ** 53 || plane * st.down > 2 ** 53) return undefined;
  const up = Math.log2(st.up);
  return {
    scratch: () => 0,
    run(at, batch, ev) {
      const n = kernels().gap_i16(at.ins[0]!, batch * C, plane, up, plane * st.down, ...fmtArgs(st.to), at.out);
      if (n > 0) countEvent(ev, st.to, n);
    },
  };
}

/**
 * Windowed average pool: each window's exact sum averaged (Scheme.averageStage)
 * over its divisor (geometry.ts), while |sum| * up and area * down stay below
 * 2^53 for the largest window and every window has an in-image tap.
 */
export function residentAvgPool(s: Scheme, l: PoolLayer, inQ: TensorQuant, inShape: readonly number[]): ResidentKernel | undefined {
  const st = s.averageStage?.(inQ, l.out);
  const area = l.kernel[0] * l.kernel[1];
  if (!st || !fitsI16(st.to) || 2 ** 15 * area * st.up > 2 ** 53 || area * st.down > 2 ** 53 || !windowsCovered(l, inShape))
    return undefined;
  const w = poolGeometry(l, inShape);
  const geo = Int32Array.of(
    ...l.kernel,
    ...l.strides,
    l.pads[0],
    l.pads[1],
    l.pads[2],
    l.pads[3],
    ...l.dilations,
    l.countIncludePad ? 1 : 0,
  );
  const up = Math.log2(st.up);
  return {
    scratch: () => 0,
    run(at, batch, ev) {
      const k = kernels();
      const n = k.avgpool_i16(at.ins[0]!, batch * w.C, w.H, w.W, w.OH, w.OW, residentAt(geo), up, st.down, ...fmtArgs(st.to), at.out);
      if (n > 0) countEvent(ev, st.to, n);
    },
  };
}
