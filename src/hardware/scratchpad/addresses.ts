/**
 * Ifmap addresses of a convolution's DRAM stream, for SCALE-Sim's by-value
 * lookup (docs/memory-model.md, "Overlapping windows").
 *
 * SCALE-Sim v2 (compute/operand_matrix.py) addresses the ifmap of one layer
 * as an H x W x C array stored channel-innermost, with no padding of its own
 * (helu-sim passes the padded input: H = Hi + top + bottom pad, likewise W).
 * The im2col element of output pixel q = (oh, ow) (row-major over Ho x Wo)
 * and window index k = (r, s, ch) (ch innermost, then s, then r) has the
 * address (oh sh + r dh) W C + (ow sw + s dw) C + ch; dilation d (1 in
 * SCALE-Sim) and samples b (address + b H W C; SCALE-Sim runs batch 1) are
 * helu-sim's extensions of the same rule. Windows that overlap (stride below
 * the dilated kernel extent) give equal addresses to different im2col
 * elements, and SCALE-Sim's read buffer hits on any copy in its active lines.
 *
 * Stream order (demand.ts): ws and os roll the ifmap blocks out along the
 * anti-diagonals of the whole stacked prefetch matrix, each diagonal from its
 * highest row down, empty slots skipped; is stores each column fold's
 * S_R x Cw block row-major, one fold after another.
 */
import type { CycleEstimate } from '../systolic.js';
import { streamLengths } from './demand.js';

/** The spatial geometry of a convolution (per group: C = input channels / groups). */
export interface Im2colGeometry {
  /** Padded input height and width. */
  readonly H: number;
  readonly W: number;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
}

export interface KernelDims {
  readonly Fh: number;
  readonly Fw: number;
  /** Input channels of one group. */
  readonly C: number;
}

/** Each stream position's address and the positions sharing it (ascending chains). */
export interface CopyIndex {
  readonly address: Int32Array;
  /** First position holding each address (-1 when none). */
  readonly head: Int32Array;
  /** Next position holding the same address (-1 at the chain's end). */
  readonly next: Int32Array;
}

export function outputDims(g: Im2colGeometry, k: KernelDims): [number, number] {
  const ext = (f: number, d: number) => d * (f - 1) + 1;
  return [
    Math.floor((g.H - ext(k.Fh, g.dilations[0])) / g.strides[0]) + 1,
    Math.floor((g.W - ext(k.Fw, g.dilations[1])) / g.strides[1]) + 1,
  ];
}

/** Whether two windows can share an ifmap element (stride below the dilated kernel extent). */
export function windowsOverlap(g: Im2colGeometry, k: KernelDims): boolean {
  return g.strides[0] < g.dilations[0] * (k.Fh - 1) + 1 || g.strides[1] < g.dilations[1] * (k.Fw - 1) + 1;
}

function im2colAddress(g: Im2colGeometry, k: KernelDims): (pixel: number, j: number) => number {
  const [Ho, Wo] = outputDims(g, k);
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const rowLen = g.W * k.C;
  return (pixel, j) => {
    const b = Math.floor(pixel / (Ho * Wo));
    const q = pixel - b * Ho * Wo;
    const oh = Math.floor(q / Wo);
    const ow = q - oh * Wo;
    const r = Math.floor(j / (k.Fw * k.C));
    const s = Math.floor((j - r * k.Fw * k.C) / k.C);
    const ch = j - r * k.Fw * k.C - s * k.C;
    return b * g.H * rowLen + (oh * sh + r * dh) * rowLen + (ow * sw + s * dw) * k.C + ch;
  };
}

/** Visits a rolled-out stream of F blocks of T rows and N columns (the last block Wlast wide): block, row, column. */
function rolledOrder(T: number, N: number, F: number, wLast: number, visit: (f: number, t: number, c: number) => void): void {
  const G = F * T;
  for (let d = 0; d < G + N - 1; d++) {
    for (let g = Math.min(d, G - 1); g >= Math.max(0, d - N + 1); g--) {
      const f = Math.floor(g / T);
      const c = d - g;
      if (c < (f === F - 1 ? wLast : N)) visit(f, g - f * T, c);
    }
  }
}

/** The ifmap stream's addresses of one group in SCALE-Sim's prefetch order, with copy chains. */
export function ifmapCopyIndex(e: CycleEstimate, R: number, C: number, g: Im2colGeometry, k: KernelDims, batch: number): CopyIndex {
  const at = im2colAddress(g, k);
  const address = new Int32Array(streamLengths(e).ifmap);
  let n = 0;
  if (e.dataflow === 'ws') rolledOrder(e.t, R, e.rowFolds, e.sr - (e.rowFolds - 1) * R, (f, t, c) => (address[n++] = at(t, f * R + c)));
  else if (e.dataflow === 'os')
    rolledOrder(e.t, R, e.rowFolds, e.sr - (e.rowFolds - 1) * R, (f, t, c) => (address[n++] = at(f * R + c, t)));
  else {
    for (let fc = 0; fc < e.colFolds; fc++) {
      const Cw = Math.min(C, e.sc - fc * C);
      for (let row = 0; row < e.sr; row++) for (let c = 0; c < Cw; c++) address[n++] = at(fc * C + c, row);
    }
  }
  const head = new Int32Array(batch * g.H * g.W * k.C).fill(-1);
  const next = new Int32Array(address.length);
  for (let p = address.length - 1; p >= 0; p--) {
    next[p] = head[address[p]!]!;
    head[address[p]!] = p;
  }
  return { address, head, next };
}
