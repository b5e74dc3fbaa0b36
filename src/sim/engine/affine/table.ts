import { activationFloat, parseActivation } from '../../../activations/float.js';
import type { RequantScheme } from '../../../fixedpoint/requant.js';
import { CircuitBuilder, prune } from '../../../netlist/builder.js';
import { rom } from '../../../netlist/generators/rom.js';
import { costOf } from '../../../netlist/cost/cost.js';
import { loadTech } from '../../../netlist/cost/tech.js';
import { sanitizeIdentifier } from '../../../netlist/io/identifiers.js';
import type { Netlist } from '../../../netlist/ir.js';
import type { CircuitIdentity } from '../../quantize/model.js';
import { codeTable } from './remap.js';
import type { AffineParams } from '../../quantize/affine/types.js';

/*
 * An activation between two 8-bit affine tensors is one 256-entry table
 * (raw int8/uint8 pattern in -> output code), the rule of codeTable:
 * entry(q) = clamp(quantize(float32(f(dequantize(q))))) with the scheme's
 * QuantizeLinear rounding. Its circuit is that table as a ROM (ROM-to-logic
 * of the netlist room): input port 'x' and output port 'y', 8 bits each,
 * raw two's-complement patterns.
 */

/** Output codes (clamped to the output type) indexed by raw input pattern, and the unclamped values for saturation counts. */
export interface ActivationTable {
  codes: Int32Array;
  unclamped: Int32Array;
}

export function activationTable(activation: string, inP: AffineParams, outP: AffineParams, scheme: RequantScheme): ActivationTable {
  const spec = parseActivation(activation);
  // Values 2^30 output steps or more away (log 0 or 1/0 as elementwise units bound them) saturate
  // all the same; held at that distance, the unclamped int32 codes cannot wrap.
  const bound = 2 ** 30 * outP.scale;
  const f = (x: number) => Math.max(-bound, Math.min(bound, activationFloat(spec, x)));
  const unclamped = codeTable(inP, outP, f, scheme);
  const codes = unclamped.map((v) => (v < outP.qmin ? outP.qmin : v > outP.qmax ? outP.qmax : v));
  return { codes, unclamped };
}

/** FNV-1a of the table: names distinguish circuits of the same activation with different quants. */
function tableHash(codes: Int32Array): string {
  let h = 0x811c9dc5;
  for (const c of codes) h = Math.imul(h ^ (c & 0xff), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The ROM circuit of a table (entry i = raw output pattern for raw input pattern i). */
export function activationCircuit(activation: string, table: ActivationTable, inP: AffineParams, outP: AffineParams): Netlist {
  const short = (t: string): string => (t === 'int8' ? 's8' : 'u8');
  const name = sanitizeIdentifier(`affine_${activation}_${short(inP.type)}_${short(outP.type)}_${tableHash(table.codes)}`);
  const b = new CircuitBuilder(name);
  const x = b.input('x', 8);
  b.output(
    'y',
    rom(
      b,
      x,
      Array.from(table.codes, (c) => BigInt(c & 0xff)),
      8,
    ),
  );
  prune(b.net);
  return b.net;
}

/** Name and nangate45 cost of a circuit, as the model file records it. */
export function circuitIdentity(net: Netlist): CircuitIdentity {
  const c = costOf(net, loadTech('nangate45'));
  return { name: net.name, gates: c.gates, depth: c.depth, transistors: c.transistors };
}
