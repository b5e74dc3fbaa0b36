import { tableIndexShift, type ActivationDef } from '../activations/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { Netlist, ZERO, type Bit } from '../netlist/index.js';
import { coneNets } from './cut.js';

/**
 * Low input bits the model never reads: a table activation's output is the
 * entry of index x >> (W - 16) for W > 16 (the table rule of
 * src/activations/table.ts: every input sharing the top 16 bits gets the same
 * entry); every other activation reads all of x.
 */
export function modelIgnoredLowBits(def: ActivationDef, inFmt: FixedFormat): number {
  return def.family === 'table' ? tableIndexShift(inFmt) : 0;
}

/** Indices of the bits of input x that reach output y through the cells (registers transparent). */
export function inputSupport(net: Netlist): Set<number> {
  const cone = coneNets(net, net.port('y').bits);
  return new Set(net.port('x').bits.flatMap((b, i) => (cone.has(b) ? [i] : [])));
}

/**
 * The input bits to enumerate: x[W-1:s] where s is the number of low bits
 * that neither the model nor the circuit reads (the circuit by its cone of
 * influence, so for those bits both sides are constant functions and
 * enumerating them adds nothing); s = 0 when the circuit reads any of them.
 */
export function enumeratedLowBits(net: Netlist, def: ActivationDef, inFmt: FixedFormat): number {
  const s = modelIgnoredLowBits(def, inFmt);
  if (s === 0) return 0;
  const support = inputSupport(net);
  for (let i = 0; i < s; i++) if (support.has(i)) return 0;
  return s;
}

/**
 * The same cells seen from x[W-1:s] only (low bits tied to 0) and with y
 * restricted to bits [from, to): a view for enumerating the upper input bits
 * and comparing one slice of a wide output at a time.
 */
export function netlistView(net: Netlist, lowBits: number, from: number, to: number): Netlist {
  const x = net.port('x').bits,
    low = new Set(x.slice(0, lowBits));
  const map = (b: Bit): Bit => (low.has(b) ? ZERO : b);
  const out = new Netlist(net.name);
  out.nextNet = net.nextNet;
  out.ports.push({ name: 'x', direction: 'input', bits: x.slice(lowBits) });
  out.ports.push({ name: 'y', direction: 'output', bits: net.port('y').bits.slice(from, to).map(map) });
  for (const c of net.cells) out.cells.push(low.size > 0 ? { type: c.type, inputs: c.inputs.map(map), output: c.output } : c);
  return out;
}
