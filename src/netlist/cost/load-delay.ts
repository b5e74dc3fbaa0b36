import type { GateType } from '../ir.js';
import type { Tech } from './tech.js';

/**
 * Load-dependent cell delays from a technology file's delays at fanout 4.
 * Logical effort (Sutherland, Sproull, Harris 1999) with cells of equal input
 * capacitance: a cell whose last stage has logical effort g takes
 * intrinsic + g * tau * fanout, fanout counted in cell inputs driven
 * (tau = the inverter's FO4 delay / 5). The technology file gives the delay
 * at fanout 4, so intrinsic = delay - 4 * g * tau (at least 0).
 * Last stages: $_NOT_ INV (g 1); $_NAND_ NAND2 (4/3); $_NOR_ NOR2 (5/3);
 * $_AND_/$_OR_/$_MUX_ an output inverter (1); $_ANDNOT_ NOR2 after an input
 * inverter (5/3); $_ORNOT_ NAND2 after an input inverter (4/3); $_XOR_/$_XNOR_
 * pass-gate cells (2); $_DFF_P_ clock-to-Q through an inverter (1).
 */
export const LAST_STAGE_EFFORT: Readonly<Record<GateType, number>> = {
  $_NOT_: 1,
  $_NAND_: 4 / 3,
  $_NOR_: 5 / 3,
  $_AND_: 1,
  $_OR_: 1,
  $_MUX_: 1,
  $_ANDNOT_: 5 / 3,
  $_ORNOT_: 4 / 3,
  $_XOR_: 2,
  $_XNOR_: 2,
  $_DFF_P_: 1,
};

export interface LoadDelay {
  /** Delay with no load, ps. */
  readonly intrinsicPs: number;
  /** Added delay per cell input driven, ps. */
  readonly perFanoutPs: number;
}

export function loadDelays(tech: Tech): Readonly<Record<GateType, LoadDelay>> {
  const tau = tech.cells.$_NOT_.delayPs / 5;
  const out = {} as Record<GateType, LoadDelay>;
  for (const [t, g] of Object.entries(LAST_STAGE_EFFORT) as [GateType, number][]) {
    const perFanoutPs = g * tau;
    out[t] = { intrinsicPs: Math.max(0, tech.cells[t].delayPs - 4 * perFanoutPs), perFanoutPs };
  }
  return out;
}
