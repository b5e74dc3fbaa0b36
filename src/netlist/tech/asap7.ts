import type { GateType } from '../ir.js';
import type { Tech } from '../cost/tech.js';
import { NANGATE45 } from './nangate45.js';
import { DFF_CLK_TO_Q_FO4, DFF_SETUP_FO4, LOGICAL_EFFORT_TAU, round, cellTable } from './derive.js';

/**
 * ASAP7 7 nm predictive PDK (L. T. Clark et al., "ASAP7: A 7-nm finFET
 * predictive process design kit", Microelectronics Journal 53, 2016).
 * Published figures used (docs/gates.md): NAND2x1 about 0.0875 um^2,
 * INVx1 14.8 ps, NAND2x1 about 22 ps, XOR2 about 36 ps.
 * Other cells: area = the cell's NanGate45 size in NAND2 equivalents times
 * 0.0875 um^2 (same mapping of $_ANDNOT_/$_ORNOT_ to two cells); delay by
 * logical effort with tau = 14.8 / 5 ps, except the published NAND2 and XOR2
 * ($_ORNOT_ = INV at fanout 1 + the published NAND2).
 * Energy: Horowitz's 45 nm calibration scaled by C*V^2 to first order:
 * capacitance with feature size (7/45) and supply (0.7 V ASAP7 nominal /
 * 0.9 V of Horowitz's 45 nm figures) squared: factor 0.0941 (an estimate).
 */
const NAND2 = 0.0875;
const INV_PS = 14.8;
const TAU = INV_PS / 5;
const FO4_PS = INV_PS;
const ENERGY_SCALE = (7 / 45) * (0.7 / 0.9) ** 2;
const PUBLISHED_DELAY: Partial<Record<GateType, number>> = {
  $_NOT_: 14.8,
  $_NAND_: 22,
  $_XOR_: 36,
  $_XNOR_: 36,
  $_ORNOT_: 2 * TAU + 22,
};

function cell(t: GateType): { areaUm2: number; delayPs: number; energyFj: number } {
  const ge = NANGATE45.cells[t].areaUm2 / NANGATE45.nand2AreaUm2;
  const delay =
    PUBLISHED_DELAY[t] ?? (t === '$_DFF_P_' ? DFF_CLK_TO_Q_FO4 * FO4_PS : LOGICAL_EFFORT_TAU[t as keyof typeof LOGICAL_EFFORT_TAU] * TAU);
  return {
    areaUm2: round(ge * NAND2, 4),
    delayPs: round(delay, 1),
    energyFj: round(NANGATE45.cells[t].energyFj * ENERGY_SCALE, 3),
  };
}

export const ASAP7: Tech = {
  name: 'asap7',
  source:
    'ASAP7 7 nm predictive PDK (Clark et al. 2016): NAND2x1 0.0875 um^2, INVx1 14.8 ps, NAND2x1 22 ps, XOR2 36 ps; ' +
    'other cells scaled by NanGate45 gate equivalents and logical effort; energy scaled from 45 nm by C*V^2',
  nand2AreaUm2: NAND2,
  dffSetupPs: round(DFF_SETUP_FO4 * FO4_PS, 1),
  dffClockEnergyFj: round(NANGATE45.dffClockEnergyFj * ENERGY_SCALE, 3),
  cells: cellTable(cell),
  notes: {
    area: 'NanGate45 gate equivalents x 0.0875 um^2 (ASAP7 NAND2x1)',
    delay: 'published INV 14.8 ps, NAND2 22 ps, XOR2 36 ps; others logical effort with tau = 2.96 ps',
    register: 'clock-to-Q 4 FO4 and setup 2 FO4 (FO4 taken as the 14.8 ps inverter): estimates',
    energy: '45 nm calibration x (7/45) x (0.7/0.9)^2 = 0.0941: first-order C V^2 scaling, an estimate',
  },
};
