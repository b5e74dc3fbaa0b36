import type { FixedFormat } from '../fixedpoint/types.js';
import { CircuitBuilder, prune } from '../netlist/builder.js';
import type { Bit, Netlist } from '../netlist/ir.js';
import { activationFloat, activationGrad, activationToString, type ActivationSpec } from './float.js';
import type { ActivationDef, ActivationFamily } from './types.js';

/** Input widths up to this get their functional model precomputed as a table of all 2^W codes. */
export const PRECOMPUTE_MAX_BITS = 16;
/** Widest input or output the number-valued functional model accepts (codes stay exact doubles). */
export const FUNCTIONAL_MAX_BITS = 53;

/** What one activation family supplies; `defineActivation` completes it into an ActivationDef. */
export interface ActivationCore {
  readonly family: ActivationFamily;
  defaultOutput(inFmt: FixedFormat): FixedFormat;
  /** Exact model on codes of any width. */
  model(code: bigint, inFmt: FixedFormat, outFmt: FixedFormat): bigint;
  /** Adds the circuit to `b`: `x` are the W_in input bits, the result the W_out output bits (LSB first). */
  build(b: CircuitBuilder, x: Bit[], inFmt: FixedFormat, outFmt: FixedFormat): Bit[];
  /**
   * A number-valued model equal to `model`, or undefined when no path is
   * provably exact for this format pair (the exact bigint model is used then).
   */
  fastModel?(inFmt: FixedFormat, outFmt: FixedFormat): ((code: number) => number) | undefined;
  /** Replaces the generic functional model (table families use their own table). */
  functional?(inFmt: FixedFormat, outFmt: FixedFormat): (code: number) => number;
  table?(inFmt: FixedFormat, outFmt: FixedFormat): bigint[];
  tableBits?(inFmt: FixedFormat, outFmt: FixedFormat): number;
}

/** Raw W-bit pattern of a code (number domain, W <= 53). */
export function codeToRaw(code: number, f: FixedFormat): number {
  return code < 0 ? code + 2 ** f.width : code;
}

/** Cache key of a format pair. */
export function pairKey(a: FixedFormat, b: FixedFormat): string {
  const k = (f: FixedFormat) => `${f.signed ? 's' : 'u'}${f.width},${f.intBits},${f.rounding},${f.overflow}`;
  return `${k(a)}|${k(b)}`;
}

/** A small memo keyed by format pair (bounded: one activation is rarely used with many formats). */
export function memoByPair<T>(make: (a: FixedFormat, b: FixedFormat) => T, limit = 16): (a: FixedFormat, b: FixedFormat) => T {
  const cache = new Map<string, T>();
  return (a, b) => {
    const key = pairKey(a, b);
    let v = cache.get(key);
    if (v === undefined) {
      if (cache.size >= limit) cache.clear();
      v = make(a, b);
      cache.set(key, v);
    }
    return v;
  };
}

function checkFunctionalWidths(inFmt: FixedFormat, outFmt: FixedFormat): void {
  if (inFmt.width > FUNCTIONAL_MAX_BITS || outFmt.width > FUNCTIONAL_MAX_BITS) {
    throw new RangeError(
      `functional model: widths up to ${FUNCTIONAL_MAX_BITS} bits (got ${inFmt.width} in, ${outFmt.width} out); use functionalBig`,
    );
  }
}

/**
 * The generic functional model: the family's number path where it has one for
 * this format pair, else the exact bigint model; for W <= 16 tabulated over all
 * 2^W codes (indexed by the raw pattern).
 */
function genericFunctional(core: ActivationCore, inFmt: FixedFormat, outFmt: FixedFormat): (code: number) => number {
  checkFunctionalWidths(inFmt, outFmt);
  const model = core.fastModel?.(inFmt, outFmt) ?? ((code: number) => Number(core.model(BigInt(code), inFmt, outFmt)));
  if (inFmt.width > PRECOMPUTE_MAX_BITS) return model;
  const size = 2 ** inFmt.width,
    lo = inFmt.signed ? -size / 2 : 0;
  const t = new Float64Array(size);
  for (let code = lo; code < lo + size; code++) t[code < 0 ? code + size : code] = model(code);
  return (code) => t[code < 0 ? code + size : code];
}

/** Completes a family core into the registry's ActivationDef for one spec. */
export function defineActivation(spec: ActivationSpec, core: ActivationCore): ActivationDef {
  const functional = memoByPair((a, b) => {
    checkFunctionalWidths(a, b);
    return core.functional ? core.functional(a, b) : genericFunctional(core, a, b);
  });
  const def: ActivationDef = {
    spec,
    name: activationToString(spec),
    family: core.family,
    float: (x) => activationFloat(spec, x),
    grad: (x) => activationGrad(spec, x),
    defaultOutput: (f) => core.defaultOutput(f),
    functional,
    functionalBig: (code, a, b) => core.model(code, a, b),
    circuit: (a, b) => buildNetlist(spec, core, a, b),
    tableBits: (a, b) => core.tableBits?.(a, b) ?? 0,
  };
  if (core.table) {
    const table = core.table.bind(core);
    def.table = (a, b) => table(a, b);
  }
  return def;
}

function buildNetlist(spec: ActivationSpec, core: ActivationCore, inFmt: FixedFormat, outFmt: FixedFormat): Netlist {
  const b = new CircuitBuilder(spec.kind);
  const x = b.input('x', inFmt.width);
  const y = core.build(b, x, inFmt, outFmt);
  if (y.length !== outFmt.width) throw new Error(`internal: ${spec.kind} circuit gave ${y.length} output bits, expected ${outFmt.width}`);
  b.output('y', y);
  prune(b.net);
  return b.net;
}
