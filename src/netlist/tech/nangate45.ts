import type { GateType } from '../ir.js';
import type { Tech } from '../cost/tech.js';
import { DFF_CLK_TO_Q_FO4, DFF_SETUP_FO4, LOGICAL_EFFORT_TAU, XOR_PER_FO4, round, cellTable } from './derive.js';

/**
 * NanGate FreePDK45 Open Cell Library, typical corner (X1 drive strengths).
 * Areas (um^2) from the library's cell footprints (site 0.19 um x row 1.4 um):
 * INV_X1 0.532, NAND2_X1 0.798 (= 1 GE, docs/gates.md), NOR2_X1 0.798,
 * AND2_X1 1.064, OR2_X1 1.064, XOR2_X1 1.596, XNOR2_X1 1.596, MUX2_X1 1.862,
 * DFF_X1 4.522. The library has no AND-NOT / OR-NOT cell: $_ANDNOT_ maps to
 * INV_X1 + NOR2_X1 and $_ORNOT_ to INV_X1 + NAND2_X1 (1.330 um^2 each).
 */
const AREA: Record<GateType, number> = {
  $_NOT_: 0.532,
  $_NAND_: 0.798,
  $_NOR_: 0.798,
  $_AND_: 1.064,
  $_OR_: 1.064,
  $_XOR_: 1.596,
  $_XNOR_: 1.596,
  $_ANDNOT_: 0.532 + 0.798,
  $_ORNOT_: 0.532 + 0.798,
  $_MUX_: 1.862,
  $_DFF_P_: 4.522,
};
const NAND2 = 0.798;
/** FO4 inverter delay at 45 nm: 15-20 ps (docs/gates.md); the midpoint. */
const FO4_PS = 17.5;
const TAU = FO4_PS / 5;
/**
 * Switching energy per output transition per NAND2 gate equivalent of the
 * driving cell, calibrated so that an 8-bit ripple-carry adder built here
 * ($_XOR_/$_MUX_ full adders) costs 0.03 pJ per addition under uniformly
 * random operands, Horowitz's 45 nm figure for an 8-bit integer add
 * (M. Horowitz, "Computing's energy problem", ISSCC 2014). The calibration
 * is reproduced by test/netlist/cost.test.ts.
 */
export const NANGATE45_FJ_PER_GE_TOGGLE = 1.33;

function cell(t: GateType): { areaUm2: number; delayPs: number; energyFj: number } {
  const delay =
    t === '$_XOR_' || t === '$_XNOR_' ? XOR_PER_FO4 * FO4_PS : t === '$_DFF_P_' ? DFF_CLK_TO_Q_FO4 * FO4_PS : LOGICAL_EFFORT_TAU[t] * TAU;
  return { areaUm2: round(AREA[t], 4), delayPs: round(delay, 1), energyFj: round((NANGATE45_FJ_PER_GE_TOGGLE * AREA[t]) / NAND2, 2) };
}

export const NANGATE45: Tech = {
  name: 'nangate45',
  source:
    'NanGate FreePDK45 Open Cell Library (areas); FO4 = 17.5 ps at 45 nm with logical-effort delays ' +
    '(Sutherland, Sproull, Harris 1999); energy calibrated to Horowitz ISSCC 2014 (8-bit add 0.03 pJ)',
  nand2AreaUm2: NAND2,
  dffSetupPs: round(DFF_SETUP_FO4 * FO4_PS, 1),
  // A register's clock pin load switches every cycle: taken as one data transition of the register (estimate).
  dffClockEnergyFj: round((NANGATE45_FJ_PER_GE_TOGGLE * AREA.$_DFF_P_) / NAND2, 2),
  cells: cellTable(cell),
  notes: {
    area: 'NanGate45 X1 cell areas in um^2; $_ANDNOT_ = INV_X1 + NOR2_X1, $_ORNOT_ = INV_X1 + NAND2_X1',
    delay: 'logical effort with tau = FO4/5, FO4 = 17.5 ps (docs/gates.md: 15-20 ps at 45 nm); XOR/XNOR = 2.43 FO4 (ASAP7 XOR2/INV ratio)',
    register: 'clock-to-Q 4 FO4 and setup 2 FO4: estimates',
    energy: `${NANGATE45_FJ_PER_GE_TOGGLE} fJ per output transition per NAND2-equivalent of cell area, calibrated to Horowitz ISSCC 2014 (8-bit add 0.03 pJ at 45 nm)`,
  },
};
