import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { sizeOf } from '../../../models/graph.js';
import { simulateVectors } from '../../../netlist/sim/simulate.js';
import type { ActivationLayer, ConcatLayer, TransposeLayer } from '../../model.js';
import { activationCircuit, activationTable } from '../table.js';
import type { AffineParams } from '../types.js';
import type { Kernel } from './kernel.js';
import { finish } from './outstage.js';
import { codeOfRaw, remapTable } from './remap.js';

/**
 * Activation layer: the 256-entry table of the activation (table.ts), read
 * directly ('functional') or evaluated by simulating its ROM circuit
 * bit-parallel over the tensor's raw patterns ('gate'); both give the same
 * codes. Saturations are counted from the table's unclamped entries.
 */
export function activationKernel(l: ActivationLayer, inP: AffineParams, outP: AffineParams, scheme: RequantScheme, mode: 'functional' | 'gate'): Kernel {
  const t = activationTable(l.activation, inP, outP, scheme);
  const sat = new Uint8Array(256);
  for (let i = 0; i < 256; i++) sat[i] = t.unclamped[i]! < outP.qmin || t.unclamped[i]! > outP.qmax ? 1 : 0;
  const net = mode === 'gate' ? activationCircuit(l.activation, t, inP, outP) : undefined;
  return ([x], _batch, ev) => {
    const y = new Int32Array(x!.length);
    for (let i = 0; i < x!.length; i++) ev.saturations += sat[x![i]! & 0xff]!;
    if (!net) {
      for (let i = 0; i < x!.length; i++) y[i] = t.codes[x![i]! & 0xff]!;
      return y;
    }
    const raw = new Float64Array(x!.length);
    for (let i = 0; i < x!.length; i++) raw[i] = x![i]! & 0xff;
    const out = simulateVectors(net, { x: raw }, raw.length).outputs.y!;
    for (let i = 0; i < y.length; i++) y[i] = codeOfRaw(out[i]!, outP.type);
    return y;
  };
}

/** Concatenation along a per-sample axis; inputs whose quant differs from the output's are requantized (remapTable). */
export function concatKernel(l: ConcatLayer, shapes: readonly (readonly number[])[], ins: AffineParams[], outP: AffineParams, scheme: RequantScheme): Kernel {
  const outer = sizeOf(shapes[0]!.slice(0, l.axis));
  const blocks = shapes.map((s) => sizeOf(s.slice(l.axis)));
  const tables = ins.map((p) => remapTable(p, outP, scheme));
  const perSample = blocks.reduce((a, b) => a + b, 0) * outer;
  const range = { lo: outP.qmin, hi: outP.qmax, satLo: outP.qmin, satHi: outP.qmax };
  return (xs, batch, ev) => {
    const y = new Int32Array(batch * perSample);
    let o = 0;
    for (let r = 0; r < batch * outer; r++) {
      xs.forEach((x, k) => {
        const n = blocks[k]!;
        const t = tables[k];
        for (let i = r * n, e = i + n; i < e; i++) y[o++] = t ? finish(t[x[i]! & 0xff]!, range, ev) : x[i]!;
      });
    }
    return y;
  };
}

/** Per-sample axis permutation: output axis i is input axis perm[i]. */
export function transposeKernel(l: TransposeLayer, inShape: readonly number[]): Kernel {
  const n = sizeOf(inShape);
  const outShape = l.perm.map((a) => inShape[a]!);
  const inStride = inShape.map((_, d) => sizeOf(inShape.slice(d + 1)));
  const src = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    let rem = o, s = 0;
    for (let d = outShape.length - 1; d >= 0; d--) {
      s += (rem % outShape[d]!) * inStride[l.perm[d]!]!;
      rem = Math.floor(rem / outShape[d]!);
    }
    src[o] = s;
  }
  return ([x], batch) => {
    const y = new Int32Array(batch * n);
    for (let b = 0; b < batch; b++) for (let o = 0; o < n; o++) y[b * n + o] = x![b * n + src[o]!]!;
    return y;
  };
}
