import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { ActivationLayer } from '../../quantize/model.js';
import { activationCircuit, activationTable } from './table.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { gateCodes, gateLayer } from '../gate.js';
import type { Kernel } from '../kernel.js';
import type { ActivationTable as CodeTable } from '../scheme.js';
import { codeOfRaw } from './remap.js';

/**
 * Activation layer: the 256-entry table of the activation (table.ts), read
 * directly ('functional') or evaluated by simulating its ROM circuit
 * bit-parallel over the tensor's raw patterns ('gate'); both give the same
 * codes. Saturations are counted from the table's unclamped entries.
 */
export function activationKernel(
  l: ActivationLayer,
  inP: AffineParams,
  outP: AffineParams,
  scheme: RequantScheme,
  mode: 'functional' | 'gate',
): Kernel {
  const t = activationTable(l.activation, inP, outP, scheme);
  const sat = new Uint8Array(256);
  for (let i = 0; i < 256; i++) sat[i] = t.unclamped[i]! < outP.qmin || t.unclamped[i]! > outP.qmax ? 1 : 0;
  const net =
    mode === 'gate'
      ? gateLayer(
          activationCircuit(l.activation, t, inP, outP),
          (c) => c & 0xff,
          (raw) => codeOfRaw(raw, outP.type),
          { base: inP.qmin, size: 256 },
        )
      : undefined;
  return ([x], _batch, ev) => {
    const y = new Float64Array(x!.length);
    for (let i = 0; i < x!.length; i++) ev.saturations += sat[x![i]! & 0xff]!;
    if (!net) {
      for (let i = 0; i < x!.length; i++) y[i] = t.codes[x![i]! & 0xff]!;
      return y;
    }
    return net(x!);
  };
}

/** The layer as a table over the 256 input codes (index = code - qmin) for the resident pipeline; events are saturations. */
export function affineActivationTable(
  l: ActivationLayer,
  inP: AffineParams,
  outP: AffineParams,
  scheme: RequantScheme,
  mode: 'functional' | 'gate',
): CodeTable {
  const t = activationTable(l.activation, inP, outP, scheme);
  const raw = (i: number) => (inP.qmin + i) & 0xff;
  const codes = Float64Array.from({ length: 256 }, (_, i) => t.codes[raw(i)]!);
  const events = Uint8Array.from({ length: 256 }, (_, i) => (t.unclamped[raw(i)]! < outP.qmin || t.unclamped[raw(i)]! > outP.qmax ? 1 : 0));
  const out = { signed: true, width: 8, intBits: 8, rounding: 'RND_CONV', overflow: 'SAT' } as const;
  const gate =
    mode === 'gate'
      ? gateCodes(
          activationCircuit(l.activation, t, inP, outP),
          (c) => c & 0xff,
          (r) => codeOfRaw(r, outP.type),
        )
      : undefined;
  return gate ? { base: inP.qmin, codes, events, out, gate } : { base: inP.qmin, codes, events, out };
}
