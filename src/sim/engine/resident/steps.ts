import { sizeOf } from '../../../models/graph.js';
import type { ConvLayer, LayerEvents, PoolLayer } from '../../quantize/model.js';
import { countEvent } from '../accumulate.js';
import { convGeometry, poolGeometry } from '../geometry.js';
import type { ActivationTable, LinearOperands } from '../scheme.js';
import { COL_BYTES } from '../wasm/conv-i16.js';
import { prepareConvI16 } from '../wasm/conv-weights.js';
import { rowBlock } from '../wasm/gemm-i16.js';
import { kernels } from '../wasm/module.js';
import { narrowParams, paramsAt, requantParams, type NarrowParams } from '../wasm/narrow.js';
import { NR_I16, packWeightsI16, pairDepth } from '../wasm/pack-i16.js';
import { residentAt } from '../wasm/packed.js';

/*
 * Layers of the resident pipeline: int16 codes in the kernel module's memory
 * in, int16 codes out, every hot loop in WebAssembly. Each step reads its
 * inputs at given byte offsets, writes its output at another, and may use
 * `scratch(batch)` bytes of scratch memory. The numbers are the scheme's
 * (LinearOperands.narrow, the activation table); what each kernel computes is
 * stated in docs/kernels.md.
 */

export interface Offsets {
  readonly ins: readonly number[];
  readonly out: number;
  readonly scratch: number;
}

export interface ResidentKernel {
  scratch(batch: number): number;
  run(at: Offsets, batch: number, ev: LayerEvents): void;
}

const align = (n: number) => Math.ceil(n / 16) * 16;

/** A layer's fused output stage: pow2 narrowing or onnxruntime's requantization, and how its events count. */
export function outputStage(ops: LinearOperands, perRow: boolean): { params: NarrowParams; count: (ev: LayerEvents, n: number) => void } {
  if (ops.narrow) {
    const to = ops.narrow.to;
    return {
      params: narrowParams(ops.narrow, perRow),
      count: (ev, n) => {
        if (n > 0) countEvent(ev, to, n);
      },
    };
  }
  return {
    params: requantParams(ops.requant!, perRow),
    count: (ev, n) => {
      ev.saturations += n;
    },
  };
}

/**
 * Dense on the int16 GEMM, its output stage fused per 16-column panel of a
 * block of rows (int16 operands, int32 bound: path 'i16'); a nonzero input zero point is subtracted first
 * (pad_i16 without a border).
 */
export function residentDense(ops: LinearOperands, inShape: readonly number[]): ResidentKernel {
  const N = ops.bias.length,
    K = ops.w.length / N,
    Kp = pairDepth(K);
  const rowsPerSample = sizeOf(inShape) / K;
  const packed = packWeightsI16(ops.w, K, N, { layout: 'nk', bias: ops.bias });
  const { params, count } = outputStage(ops, false);
  const mc = rowBlock(K * 2);
  const accBytes = align(mc * NR_I16 * 4);
  return {
    scratch: (batch) => accBytes + (ops.xOffset !== 0 ? align(rowsPerSample * batch * K * 2 + 16) : 0),
    run(at, batch, ev) {
      const rows = rowsPerSample * batch;
      if (rows === 0) return;
      const k = kernels(),
        p = paramsAt(params);
      let x = at.ins[0]!;
      if (ops.xOffset !== 0) {
        k.pad_i16(x, 1, 1, rows * K, 0, 0, 0, 0, ops.xOffset, at.scratch + accBytes);
        x = at.scratch + accBytes;
      }
      count(
        ev,
        k.dense_i16_narrow(x, rows, K, Kp, residentAt(packed.data), N, residentAt(packed.bias!), at.scratch, mc, at.out, p.shifts, p.q),
      );
    },
  };
}

/**
 * Conv (im2col fused with the int16 GEMM), its output stage fused, per image
 * and group. A padded layer (or one with an input zero point) first copies
 * each image into a zero-bordered plane minus the zero point (pad_i16), so
 * im2col reads every tap from memory (its vector path) and padded taps add 0.
 */
export function residentConv(l: ConvLayer, ops: LinearOperands, inShape: readonly number[]): ResidentKernel {
  const g = convGeometry(l, inShape);
  const cw = prepareConvI16(ops.w, [g.M, g.cg, g.kh, g.kw], l.group, ops.bias);
  const { params, count } = outputStage(ops, true);
  const K = g.cg * g.kh * g.kw,
    Kp = pairDepth(K),
    P = g.OH * g.OW,
    cog = g.mPerGroup;
  const block = Math.max(NR_I16, Math.floor(COL_BYTES / (Kp * 2 * NR_I16)) * NR_I16);
  const colBytes = align(block * Kp * 2),
    accBytes = align(cog * block * 4);
  const padded = g.Hp !== g.H || g.Wp !== g.W || ops.xOffset !== 0;
  const [H, W, pt, pl] = padded ? [g.Hp, g.Wp, 0, 0] : [g.H, g.W, g.pt, g.pl];
  return {
    scratch: () => colBytes + accBytes + (padded ? align(g.C * H * W * 2 + 16) : 0),
    run(at, batch, ev) {
      const k = kernels(),
        p = paramsAt(params),
        wAt = residentAt(cw.data),
        bAt = residentAt(cw.bias!);
      const padAt = at.scratch + colBytes + accBytes;
      let n = 0;
      for (let b = 0; b < batch; b++) {
        let x = at.ins[0]! + b * g.C * g.H * g.W * 2;
        if (padded) {
          k.pad_i16(x, g.C, g.H, g.W, g.pt, g.pl, g.Hp - g.H - g.pt, g.Wp - g.W - g.pl, ops.xOffset, padAt);
          x = padAt;
        }
        for (let grp = 0; grp < l.group; grp++) {
          n += k.conv_i16_narrow(
            x + grp * g.cg * H * W * 2,
            g.cg,
            H,
            W,
            g.kh,
            g.kw,
            g.sh,
            g.sw,
            pt,
            pl,
            g.dh,
            g.dw,
            g.OH,
            g.OW,
            wAt + grp * cog * K * 2,
            cog,
            bAt + grp * cog * 4,
            at.scratch,
            block,
            rowBlock(K * 2),
            at.scratch + colBytes,
            at.out + (b * g.M + grp * cog) * P * 2,
            p.shifts + grp * cog * 4,
            p.q,
          );
        }
      }
      count(ev, n);
    },
  };
}

/** Table entries: the output code's low 16 bits, the event flag in bit 16. */
function entries(codes: ArrayLike<number>, flags: Uint8Array): Int32Array {
  return Int32Array.from(flags, (f, i) => (codes[i]! & 0xffff) | (f << 16));
}

/**
 * An activation by table lookup in WebAssembly (functional mode). Gate mode:
 * each run simulates the circuit once on the input codes that can occur and
 * their circuit outputs fill the table the lookup reads (events stay the
 * functional flags, as in the other path). Those codes are the whole input
 * domain when the tensor has at least 4 elements per code (simulating 2^W
 * codes bit-parallel costs less than finding the distinct ones), else the
 * distinct codes of the batch, marked in WebAssembly.
 */
export function residentActivation(t: ActivationTable, inShape: readonly number[]): ResidentKernel {
  const size = t.codes.length,
    per = sizeOf(inShape);
  const fixed = entries(t.codes, t.events);
  const marksBytes = align(size);
  const count = (ev: LayerEvents, n: number) => {
    if (n > 0) countEvent(ev, t.out, n);
  };
  if (!t.gate) {
    return {
      scratch: () => 0,
      run: (at, batch, ev) => count(ev, kernels().gather_i16(at.ins[0]!, batch * per, residentAt(fixed), t.base, at.out)),
    };
  }
  const gate = t.gate;
  const domain = Array.from({ length: size }, (_, i) => t.base + i);
  return {
    scratch: () => marksBytes + size * 4,
    run(at, batch, ev) {
      const k = kernels(),
        n = batch * per,
        marksAt = at.scratch,
        tableAt = at.scratch + marksBytes;
      let codes = domain;
      if (size * 4 > n) {
        new Uint8Array(k.memory.buffer, marksAt, size).fill(0);
        k.mark_i16(at.ins[0]!, n, t.base, marksAt);
        const marks = new Uint8Array(k.memory.buffer, marksAt, size);
        codes = [];
        for (let i = 0; i < size; i++) if (marks[i] !== 0) codes.push(t.base + i);
      }
      const out = gate(codes);
      const table = new Int32Array(k.memory.buffer, tableAt, size);
      codes.forEach((c, j) => {
        table[c - t.base] = (out[j]! & 0xffff) | (t.events[c - t.base]! << 16);
      });
      count(ev, k.gather_i16(at.ins[0]!, n, tableAt, t.base, at.out));
    },
  };
}

/** Whether every window of a pool has an in-image tap (else the resident max pool is not used). */
export function windowsCovered(l: PoolLayer, inShape: readonly number[]): boolean {
  const w = poolGeometry(l, inShape);
  const covered = (outN: number, stride: number, pad: number, k: number, d: number, n: number) => {
    for (let o = 0; o < outN; o++) {
      let any = false;
      for (let i = 0; i < k; i++) {
        const r = o * stride - pad + i * d;
        if (r >= 0 && r < n) any = true;
      }
      if (!any) return false;
    }
    return true;
  };
  return (
    covered(w.OH, l.strides[0], l.pads[0], l.kernel[0], l.dilations[0], w.H) &&
    covered(w.OW, l.strides[1], l.pads[1], l.kernel[1], l.dilations[1], w.W)
  );
}

/** MaxPool on int16 codes (output quantization equal to the input's: no conversion). */
export function residentMaxPool(l: PoolLayer, inShape: readonly number[]): ResidentKernel {
  const w = poolGeometry(l, inShape);
  return {
    scratch: () => 0,
    run: (at, batch) =>
      kernels().maxpool_i16(
        at.ins[0]!,
        batch * w.C,
        w.H,
        w.W,
        w.OH,
        w.OW,
        l.kernel[0],
        l.kernel[1],
        l.strides[0],
        l.strides[1],
        l.pads[0],
        l.pads[1],
        l.dilations[0],
        l.dilations[1],
        at.out,
      ),
  };
}
