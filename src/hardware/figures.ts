/**
 * Published technology figures the accelerator model uses, each with its
 * source. Plain data: the functions that interpolate and scale them live in
 * energy.ts and tech-figures.ts. Nothing here is fitted to helu-sim's output.
 */

export interface Cited<T> {
  readonly value: T;
  readonly source: string;
}

const HOROWITZ = 'M. Horowitz, "Computing\'s energy problem (and what we can do about it)", ISSCC 2014, Fig. 1.1.9 (45 nm, 0.9 V)';

/** Energy per integer addition at 45 nm, pJ, by operand width in bits. */
export const INT_ADD_PJ_45NM: Cited<readonly (readonly [number, number])[]> = {
  value: [
    [8, 0.03],
    [16, 0.05],
    [32, 0.1],
  ],
  source: HOROWITZ,
};

/** Energy per integer multiplication at 45 nm, pJ, by operand width in bits (both operands that wide). */
export const INT_MULT_PJ_45NM: Cited<readonly (readonly [number, number])[]> = {
  value: [
    [8, 0.2],
    [32, 3.1],
  ],
  source: HOROWITZ,
};

/** Energy of one 64-bit SRAM read at 45 nm, pJ, by array size in bytes (8 KB, 32 KB, 1 MB). */
export const SRAM_READ64_PJ_45NM: Cited<readonly (readonly [number, number])[]> = {
  value: [
    [8 * 1024, 10],
    [32 * 1024, 20],
    [1024 * 1024, 100],
  ],
  source: HOROWITZ,
};

/**
 * Energy of one 64-bit DRAM access, pJ: the published range (low, high).
 * Not scaled with the logic technology (the DRAM is a separate chip).
 */
export const DRAM_ACCESS64_PJ: Cited<readonly [number, number]> = { value: [1300, 2600], source: HOROWITZ };

/** 6T SRAM bit cell at 45 nm (bulk CMOS), um^2. */
export const SRAM_CELL_45NM_UM2: Cited<number> = {
  value: 0.37,
  source:
    'K. Nii et al. (Renesas), "A cost-effective 45nm 6T-SRAM reducing 50mV Vmin and 53% standby leakage with ' +
    'multi-Vt asymmetric halo MOS and write assist circuitry", ISQED 2013 (0.37 um^2 bit cell, 45-nm bulk CMOS; ' +
    'abstract at isqed.org/English/Archives/2013/Technical_Sessions/221.html)',
};

/**
 * Macro area per bit over bit-cell area (decoders, sense amplifiers, write
 * drivers, assist circuits). Derived from a published pair at one node: TSMC
 * N3E high-density bit cell 0.021 um^2 and macro density 31.8 Mibit/mm^2
 * (IEDM 2022) give 1e6 / (31.8 * 2^20) / 0.021 = 1.43. Applied at every node
 * (an assumption: periphery shrinks with the cell).
 */
export const SRAM_PERIPHERY_FACTOR: Cited<number> = {
  value: 1e6 / (31.8 * 1048576) / 0.021,
  source:
    'WikiChip Fuse, "IEDM 2022: Did we just witness the death of SRAM?" (TSMC N3E: 0.021 um^2 HD bit cell, ' +
    '31.8 Mib/mm^2 with assist-circuit overhead)',
};

/** Area of one register bit (flip-flop) at 40 nm, um^2. */
export const REGISTER_BIT_40NM_UM2: Cited<number> = {
  value: 5.98,
  source: 'Accelergy / Aladdin 40 nm component library (register: 5.98 um^2 per bit) (docs/gates.md)',
};

/** Supply voltage of the Horowitz 45 nm energies, V (the reference of the C*V^2 scaling). */
export const HOROWITZ_VDD: Cited<number> = { value: 0.9, source: HOROWITZ };

/** ASAP7 nominal supply voltage, V. */
export const ASAP7_VDD: Cited<number> = {
  value: 0.7,
  source: 'L. T. Clark et al., "ASAP7: A 7-nm finFET predictive process design kit", Microelectronics Journal 53 (2016)',
};
