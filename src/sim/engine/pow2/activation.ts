import { clampBounds } from '../../../activations/clamp.js';
import { isElementwiseSpec, parseActivation, type ActivationSpec } from '../../../activations/float.js';
import { UNIT_BOUND_BITS } from '../../../activations/elementwise.js';
import { getActivation } from '../../../activations/registry.js';
import type { ActivationDef } from '../../../activations/types.js';
import { fracBits } from '../../../fixedpoint/format.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { ActivationLayer } from '../../quantize/model.js';
import { countEvent } from '../accumulate.js';
import { gateCodes, gateLayer } from '../gate.js';
import type { Kernel } from '../kernel.js';
import type { ActivationMode, ActivationTable } from '../scheme.js';
import { rangeOf } from './narrow.js';

/** Largest |f(x)| of an activation, as a power-of-two exponent, for |x| <= 2^inMag. */
function magnitudeBits(spec: ActivationSpec, inMag: number): number {
  if (isElementwiseSpec(spec)) return Math.max(inMag, UNIT_BOUND_BITS) + 1;
  const slope = spec.kind === 'leakyrelu' ? Math.max(1, Math.abs(spec.alpha)) : 1;
  const consts = [6, 1];
  if (spec.kind === 'clamp' || spec.kind === 'relu6') {
    const b = clampBounds(spec);
    consts.push(Math.abs(b.lo), Math.abs(b.hi));
  }
  if (spec.kind === 'elu') consts.push(Math.abs(spec.alpha));
  return Math.max(inMag + Math.ceil(Math.log2(slope)), Math.ceil(Math.log2(Math.max(...consts)))) + 1;
}

/**
 * Event detection for an activation unit: an element counts one event when
 * the activation's value, rounded at the output LSB, lies outside the output
 * format's kept range (so its overflow mode acted). The unrounded-range value
 * comes from the same unit with a wide output format (same LSB and rounding,
 * enough integer bits that nothing overflows). Inputs of up to 16 bits get a
 * flag table over all codes.
 */
function eventFlags(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): (code: number) => boolean {
  const intBits = Math.max(outFmt.intBits, magnitudeBits(def.spec, inFmt.intBits) + 1);
  const wide: FixedFormat = { signed: true, width: intBits + fracBits(outFmt), intBits, rounding: outFmt.rounding, overflow: 'WRAP' };
  const { lo, hi } = rangeOf(outFmt);
  const exact = wide.width <= 53 ? def.functional(inFmt, wide) : (c: number) => Number(def.functionalBig(BigInt(c), inFmt, wide));
  return (c) => {
    const v = exact(c);
    return v < lo || v > hi;
  };
}

/**
 * Inputs of at most 16 bits: the output code and the event flag of every
 * input code, tabulated once from the functional model and eventFlags
 * (index = code - min code).
 */
interface CodeTable {
  base: number;
  codes: Float64Array;
  events: Uint8Array;
}
const TABLE_MAX_BITS = 16;

function codeTable(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): CodeTable {
  const size = 2 ** inFmt.width;
  const base = inFmt.signed ? -(size / 2) : 0;
  const fn = def.functional(inFmt, outFmt);
  const flag = eventFlags(def, inFmt, outFmt);
  const codes = new Float64Array(size),
    events = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    codes[i] = fn(base + i);
    events[i] = flag(base + i) ? 1 : 0;
  }
  return { base, codes, events };
}

/**
 * An activation layer. functional: the activation library's fixed-point model
 * on every code (tabulated over all input codes up to 16 bits). gate: the
 * activation's circuit simulated bit-parallel over every element of the batch
 * (raw two's-complement patterns in and out); its codes are the result, the
 * event count comes from the functional side (eventFlags) in both modes.
 */
export function activationKernel(l: ActivationLayer, inFmt: FixedFormat, outFmt: FixedFormat, mode: ActivationMode): Kernel {
  const def = getActivation(parseActivation(l.activation));
  const gate = mode === 'gate' ? gateRun(def, inFmt, outFmt) : undefined;
  if (inFmt.width <= TABLE_MAX_BITS) {
    const { base, codes, events: flags } = codeTable(def, inFmt, outFmt);
    return (ins, _batch, ev) => {
      const x = ins[0]!;
      const y = new Float64Array(x.length);
      let events = 0;
      for (let i = 0; i < x.length; i++) {
        const k = (x[i]! - base) | 0; // an input code of at most 16 bits: exact int32 index
        y[i] = codes[k]!;
        events += flags[k]!;
      }
      if (events > 0) countEvent(ev, outFmt, events);
      return gate ? gate(x) : y;
    };
  }
  const fn = def.functional(inFmt, outFmt);
  const flag = eventFlags(def, inFmt, outFmt);
  return (ins, _batch, ev) => {
    const x = ins[0]!;
    const y = new Float64Array(x.length);
    let events = 0;
    for (let i = 0; i < x.length; i++) {
      y[i] = fn(x[i]!);
      if (flag(x[i]!)) events++;
    }
    if (events > 0) countEvent(ev, outFmt, events);
    return gate ? gate(x) : y;
  };
}

/** The circuit's ports as raw two's-complement patterns in and out: code -> raw and raw -> code. */
function rawPorts(inFmt: FixedFormat, outFmt: FixedFormat): [(c: number) => number, (r: number) => number] {
  const inSpan = 2 ** inFmt.width,
    outSpan = 2 ** outFmt.width,
    outHalf = outSpan / 2;
  return [(c) => (c < 0 ? c + inSpan : c), (r) => (outFmt.signed && r >= outHalf ? r - outSpan : r)];
}

function gateRun(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): (x: Float64Array) => Float64Array {
  const inSpan = 2 ** inFmt.width;
  const base = inFmt.signed ? -(inSpan / 2) : 0;
  return gateLayer(def.circuit(inFmt, outFmt), ...rawPorts(inFmt, outFmt), { base, size: inSpan });
}

/** The layer as a table over every input code (inputs of at most 16 bits; else undefined), with the circuit in gate mode. */
export function activationTable(
  l: ActivationLayer,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
  mode: ActivationMode,
): ActivationTable | undefined {
  if (inFmt.width > TABLE_MAX_BITS) return undefined;
  const def = getActivation(parseActivation(l.activation));
  const t = { ...codeTable(def, inFmt, outFmt), out: outFmt };
  return mode === 'gate' ? { ...t, gate: gateCodes(def.circuit(inFmt, outFmt), ...rawPorts(inFmt, outFmt)) } : t;
}
