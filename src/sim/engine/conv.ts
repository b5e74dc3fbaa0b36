import type { FixedFormat } from '../../fixedpoint/types.js';
import type { ConvLayer, LayerEvents } from '../model.js';
import type { IntKernel } from './kernel.js';
import { accAdd, accStart, linearPlan, type LinearPlan } from './linear.js';
import { countEvent, narrowRun } from './narrow.js';

/** For kernel tap t: the outputs [lo, hi) whose input index o*s - pad + t*d lies in [0, n). */
function tapRange(t: number, n: number, outN: number, s: number, pad: number, d: number): [number, number] {
  const off = t * d - pad;
  const lo = off >= 0 ? 0 : Math.ceil(-off / s);
  const hi = Math.min(outN, Math.floor((n - 1 - off) / s) + 1);
  return [Math.min(lo, outN), Math.max(hi, lo)];
}

interface Geometry {
  C: number; H: number; W: number; M: number; OH: number; OW: number;
  KH: number; KW: number; SH: number; SW: number; PT: number; PL: number; DH: number; DW: number;
  Cg: number; Mg: number;
  rows: [number, number][]; cols: [number, number][];
}

function geometry(l: ConvLayer, inShape: readonly number[]): Geometry {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = l.shape as [number, number, number];
  const [KH, KW] = l.kernel, [SH, SW] = l.strides, [PT, PL] = l.pads, [DH, DW] = l.dilations;
  const rows: [number, number][] = [], cols: [number, number][] = [];
  for (let i = 0; i < KH; i++) rows.push(tapRange(i, H, OH, SH, PT, DH));
  for (let j = 0; j < KW; j++) cols.push(tapRange(j, W, OW, SW, PL, DW));
  return { C, H, W, M, OH, OW, KH, KW, SH, SW, PT, PL, DH, DW, Cg: C / l.group, Mg: M / l.group, rows, cols };
}

/**
 * Convolution. Every output element is the bias plus its products in
 * (c, i, j) order; out-of-image taps contribute nothing (zero padding). The
 * exact path (no overflow possible, see LinearPlan) lays each sample's taps
 * out as patch rows (im2col: row (c, i, j) holds the input value each output
 * position sees through that tap, 0 in the padding) and adds w[m, (c,i,j)]
 * times each row to a plane of accumulators, rows in (c, i, j) order: exact
 * integer sums, so adding the padding's zeros changes nothing. The checked
 * path visits the in-image taps directly, applying the accumulator semantics
 * at every step. Each accumulator is then narrowed into the output format.
 */
export function convKernel(l: ConvLayer, inFmt: FixedFormat, inShape: readonly number[], path: string): IntKernel {
  const p = linearPlan(l, inFmt, path);
  const g = geometry(l, inShape);
  const plane = g.OH * g.OW;
  const acc = new Float64Array(plane), acc2 = new Float64Array(plane);
  const patches = p.exact ? new Float64Array(g.Cg * g.KH * g.KW * plane) : new Float64Array(0);
  return (ins, batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * g.M * plane);
    for (let n = 0; n < batch; n++) {
      for (let grp = 0; grp < g.M / g.Mg; grp++) {
        if (p.exact) im2col(g, x, n, grp, patches);
        for (let m = grp * g.Mg; m < (grp + 1) * g.Mg; m++) {
          if (p.exact && m + 1 < (grp + 1) * g.Mg) {
            exactFilterPair(p, g, patches, m, acc, acc2);
            narrowRun(p.out[m]!, acc, 0, y, (n * g.M + m) * plane, plane, ev);
            m++;
            narrowRun(p.out[m]!, acc2, 0, y, (n * g.M + m) * plane, plane, ev);
            continue;
          }
          if (p.exact) exactFilter(p, g, patches, m, acc);
          else checkedFilter(p, g, x, n, m, acc, ev);
          narrowRun(p.out[m]!, acc, 0, y, (n * g.M + m) * plane, plane, ev);
        }
      }
    }
    return y;
  };
}

/** Patch rows of sample n, group grp: row (c, i, j), column (oh, ow); zeros where the tap falls in the padding. */
function im2col(g: Geometry, x: Float64Array, n: number, grp: number, out: Float64Array): void {
  const plane = g.OH * g.OW;
  let row = 0;
  for (let c = 0; c < g.Cg; c++) {
    const xc = (n * g.C + grp * g.Cg + c) * g.H * g.W;
    for (let i = 0; i < g.KH; i++) {
      const [ohLo, ohHi] = g.rows[i]!;
      for (let j = 0; j < g.KW; j++, row += plane) {
        out.fill(0, row, row + plane);
        const [owLo, owHi] = g.cols[j]!;
        const colOff = j * g.DW - g.PL;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const xr = xc + (oh * g.SH + i * g.DH - g.PT) * g.W + colOff;
          const yr = row + oh * g.OW;
          for (let ow = owLo; ow < owHi; ow++) out[yr + ow] = x[xr + ow * g.SW]!;
        }
      }
    }
  }
}

function exactFilter(p: LinearPlan, g: Geometry, patches: Float64Array, m: number, acc: Float64Array): void {
  const plane = acc.length, taps = g.Cg * g.KH * g.KW;
  acc.fill(p.bias[m]!);
  const w = p.w, wo = m * taps;
  let k = 0;
  // Four taps per pass: each partial sum is a sum of products whose absolute
  // values add up to at most the channel's bound (< 2^53), so it is exact and
  // the grouping changes nothing.
  for (; k + 3 < taps; k += 4) {
    const w0 = w[wo + k]!, w1 = w[wo + k + 1]!, w2 = w[wo + k + 2]!, w3 = w[wo + k + 3]!;
    const r0 = k * plane, r1 = r0 + plane, r2 = r1 + plane, r3 = r2 + plane;
    for (let q = 0; q < plane; q++) {
      acc[q] += w0 * patches[r0 + q]! + w1 * patches[r1 + q]! + w2 * patches[r2 + q]! + w3 * patches[r3 + q]!;
    }
  }
  for (; k < taps; k++) {
    const wv = w[wo + k]!, row = k * plane;
    for (let q = 0; q < plane; q++) acc[q] += wv * patches[row + q]!;
  }
}

/** Filters m and m + 1 together (each patch value loaded once for both), four taps per pass; exact as in exactFilter. */
function exactFilterPair(p: LinearPlan, g: Geometry, patches: Float64Array, m: number, a: Float64Array, b: Float64Array): void {
  const plane = a.length, taps = g.Cg * g.KH * g.KW;
  a.fill(p.bias[m]!);
  b.fill(p.bias[m + 1]!);
  const w = p.w, wa = m * taps, wb = wa + taps;
  let k = 0;
  for (; k + 3 < taps; k += 4) {
    const a0 = w[wa + k]!, a1 = w[wa + k + 1]!, a2 = w[wa + k + 2]!, a3 = w[wa + k + 3]!;
    const b0 = w[wb + k]!, b1 = w[wb + k + 1]!, b2 = w[wb + k + 2]!, b3 = w[wb + k + 3]!;
    const r0 = k * plane, r1 = r0 + plane, r2 = r1 + plane, r3 = r2 + plane;
    for (let q = 0; q < plane; q++) {
      const x0 = patches[r0 + q]!, x1 = patches[r1 + q]!, x2 = patches[r2 + q]!, x3 = patches[r3 + q]!;
      a[q] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
      b[q] += b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
    }
  }
  for (; k < taps; k++) {
    const av = w[wa + k]!, bv = w[wb + k]!, row = k * plane;
    for (let q = 0; q < plane; q++) {
      const xv = patches[row + q]!;
      a[q] += av * xv;
      b[q] += bv * xv;
    }
  }
}

function checkedFilter(p: LinearPlan, g: Geometry, x: Float64Array, n: number, m: number, acc: Float64Array, ev: LayerEvents): void {
  const before = ev.saturations + ev.wraps;
  acc.fill(accStart(p, m, ev));
  // Every accumulator of the plane starts from the bias: one event each when it overflows.
  if (ev.saturations + ev.wraps > before) countEvent(ev, p.acc[m]!, acc.length - 1);
  const grp = Math.floor(m / g.Mg);
  for (let c = 0; c < g.Cg; c++) {
    const xc = (n * g.C + grp * g.Cg + c) * g.H * g.W;
    const wc = (m * g.Cg + c) * g.KH * g.KW;
    for (let i = 0; i < g.KH; i++) {
      const [ohLo, ohHi] = g.rows[i]!;
      for (let j = 0; j < g.KW; j++) {
        const wv = p.w[wc + i * g.KW + j]!;
        const [owLo, owHi] = g.cols[j]!;
        const colOff = j * g.DW - g.PL;
        for (let oh = ohLo; oh < ohHi; oh++) {
          const xr = xc + (oh * g.SH + i * g.DH - g.PT) * g.W + colOff;
          const yr = oh * g.OW;
          for (let ow = owLo; ow < owHi; ow++) acc[yr + ow] = accAdd(p, m, acc[yr + ow]!, wv * x[xr + ow * g.SW]!, ev);
        }
      }
    }
  }
}
