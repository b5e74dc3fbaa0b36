/**
 * Energy per operation from the Horowitz 45 nm table (figures.ts), for widths
 * and sizes between and beyond the published points. Every function returns
 * picojoules at 45 nm times `scale` (the technology's energy factor, 1 at 45 nm;
 * see tech-figures.ts).
 *
 * Interpolation rules (the table gives a handful of points only):
 * - adder: piecewise linear in the width through (8, 0.03), (16, 0.05), (32, 0.1) pJ;
 *   below 8 bits proportional to the width (0.03 * w/8), above 32 proportional (0.1 * w/32):
 *   a ripple/prefix adder's switched capacitance grows about linearly with width.
 * - multiplier: piecewise linear in the partial-product count wa*wb through (64, 0.2) and
 *   (1024, 3.1) pJ (8x8 and 32x32); proportional outside (an array multiplier has wa*wb cells).
 * - SRAM 64-bit read: piecewise linear in log2(bytes) through 8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ;
 *   below 8 KB the power law through the 8 KB and 32 KB points, E = 10 pJ * (bytes / 8 KB)^0.5
 *   (4x the size, 2x the energy: bit- and word-line lengths of a square array grow as the
 *   square root of its size); above 1 MB the last segment's slope (16 pJ per doubling) is extended.
 */
import { INT_ADD_PJ_45NM, INT_MULT_PJ_45NM, SRAM_READ64_PJ_45NM } from './figures.js';

/** Linear interpolation through sorted points; callers handle x outside [first, last]. */
function lerp(points: readonly (readonly [number, number])[], x: number): number {
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points[points.length - 1]![1];
}

function checkPositive(x: number, what: string): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`internal: ${what} must be positive and finite, got ${x}`);
}

/** Energy of one `width`-bit integer addition, pJ. */
export function addEnergyPj(width: number, scale = 1): number {
  checkPositive(width, 'adder width');
  const pts = INT_ADD_PJ_45NM.value;
  const [wLo, eLo] = pts[0]!;
  const [wHi, eHi] = pts[pts.length - 1]!;
  let e: number;
  if (width < wLo) e = (eLo * width) / wLo;
  else if (width > wHi) e = (eHi * width) / wHi;
  else e = lerp(pts, width);
  return e * scale;
}

/** Energy of one wa x wb-bit integer multiplication, pJ. */
export function multEnergyPj(wa: number, wb: number = wa, scale = 1): number {
  checkPositive(wa, 'multiplier width');
  checkPositive(wb, 'multiplier width');
  const pts = INT_MULT_PJ_45NM.value.map(([w, e]) => [w * w, e] as const);
  const p = wa * wb;
  const [pLo, eLo] = pts[0]!;
  const [pHi, eHi] = pts[pts.length - 1]!;
  let e: number;
  if (p < pLo) e = (eLo * p) / pLo;
  else if (p > pHi) e = (eHi * p) / pHi;
  else e = lerp(pts, p);
  return e * scale;
}

/** Energy of one MAC: a weightBits x inputBits multiply and an accBits-wide accumulate, pJ. */
export function macEnergyPj(weightBits: number, inputBits: number, accBits: number, scale = 1): number {
  return multEnergyPj(weightBits, inputBits, scale) + addEnergyPj(accBits, scale);
}

/** Energy of one 64-bit read from an SRAM of `bytes` bytes, pJ. */
export function sramRead64Pj(bytes: number, scale = 1): number {
  checkPositive(bytes, 'SRAM size');
  const pts = SRAM_READ64_PJ_45NM.value.map(([b, e]) => [Math.log2(b), e] as const);
  const x = Math.log2(bytes);
  const [xLo, eLo] = pts[0]!;
  const [xPrev, ePrev] = pts[pts.length - 2]!;
  const [xHi, eHi] = pts[pts.length - 1]!;
  let e: number;
  // Exponent of the power law through the first two points (0.5 for 10 -> 20 pJ over 8 -> 32 KB).
  const alpha = Math.log2(pts[1]![1] / eLo) / (pts[1]![0] - xLo);
  if (x <= xLo) e = eLo * 2 ** (alpha * (x - xLo));
  else if (x > xHi) e = eHi + ((eHi - ePrev) / (xHi - xPrev)) * (x - xHi);
  else e = lerp(pts, x);
  return e * scale;
}

/** Energy per bit read or written in an SRAM of `bytes` bytes, pJ (the 64-bit read energy / 64; writes cost the same). */
export function sramPjPerBit(bytes: number, scale = 1): number {
  return sramRead64Pj(bytes, scale) / 64;
}
