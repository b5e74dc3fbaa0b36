import type { RequantScheme } from '../../../fixedpoint/requant.js';
import type { ActivationLayer } from '../../quantize/model.js';
import { activationCircuit, activationTable } from './table.js';
import type { AffineParams } from '../../quantize/affine/types.js';
import { gateLayer } from '../gate.js';
import type { Kernel } from '../kernel.js';
import { codeOfRaw } from './remap.js';

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
  const net = mode === 'gate' ? gateLayer(activationCircuit(l.activation, t, inP, outP), (c) => c & 0xff, (raw) => codeOfRaw(raw, outP.type)) : undefined;
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
