import { GATE_TYPES, type GateType } from '../ir.js';

/**
 * How the shipped technology files turn a few published figures into
 * per-cell numbers (each figure's source is cited where it is used).
 *
 * Delay: the logical-effort model (Sutherland, Sproull, Harris, "Logical
 * Effort: Designing Fast CMOS Circuits", 1999, ch. 1 and 4): a stage costs
 * (p + g*h) tau, with tau = FO4 / 5 (an inverter with fanout 4: p = 1, g = 1,
 * h = 4). Each cell drives a fanout-4 load at its output; internal stages of
 * compound cells drive fanout 1. Efforts g / parasitics p: INV 1/1, NAND2
 * 4/3 / 2, NOR2 5/3 / 2, 2:1 MUX (tristate) 2 / 4.
 *   $_NOT_  INV(h=4)                      5 tau
 *   $_NAND_ NAND2(h=4)                    7.33 tau
 *   $_NOR_  NOR2(h=4)                     8.67 tau
 *   $_AND_  NAND2(h=1) + INV(h=4)         8.33 tau
 *   $_OR_   NOR2(h=1) + INV(h=4)          8.67 tau
 *   $_ANDNOT_ INV(h=1) + NOR2(h=4)        10.67 tau   (a & ~b = ~(~a | b))
 *   $_ORNOT_  INV(h=1) + NAND2(h=4)       9.33 tau    (a | ~b = ~(~a & b))
 *   $_MUX_  MUX2(h=1) + INV(h=4)          11 tau
 * XOR/XNOR are not static-CMOS NAND/NOR structures in libraries (pass-gate
 * forms), so the logical-effort figure overstates them; they use the measured
 * ASAP7 ratio XOR2/INV = 36 / 14.8 (docs/gates.md) times the FO4 delay.
 */
export const LOGICAL_EFFORT_TAU: Readonly<Record<Exclude<GateType, '$_XOR_' | '$_XNOR_' | '$_DFF_P_'>, number>> = {
  $_NOT_: 5,
  $_NAND_: 2 + (4 / 3) * 4,
  $_NOR_: 2 + (5 / 3) * 4,
  $_AND_: 2 + 4 / 3 + 5,
  $_OR_: 2 + 5 / 3 + 5,
  $_ANDNOT_: 2 + 2 + (5 / 3) * 4,
  $_ORNOT_: 2 + 2 + (4 / 3) * 4,
  $_MUX_: 4 + 2 + 5,
};
export const XOR_PER_FO4 = 36 / 14.8;

/**
 * Register timing, an estimate (no library figure at hand): a static
 * master-slave flip-flop's clock-to-Q is taken as 4 FO4 and its setup time as
 * 2 FO4, the usual textbook order of magnitude for flip-flop sequencing
 * overhead (about 5-6 FO4 in total).
 */
export const DFF_CLK_TO_Q_FO4 = 4;
export const DFF_SETUP_FO4 = 2;

/** Rounds to 0.1 ps / 0.0001 um^2 / 0.01 fJ so the shipped numbers read cleanly. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.floor(x * f + 0.5) / f;
}

/** A technology's per-cell figures: `cell` applied to every cell type (GATE_TYPES, in its order). */
export function cellTable<C>(cell: (t: GateType) => C): Record<GateType, C> {
  return Object.fromEntries(GATE_TYPES.map((t) => [t, cell(t)])) as Record<GateType, C>;
}
