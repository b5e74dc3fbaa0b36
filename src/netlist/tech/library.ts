import type { Tech } from '../cost/tech.js';

/**
 * The standard-cell library of a technology, derived from its technology
 * file: what helu-sim writes as a Liberty file for Yosys/ABC (synth/liberty)
 * and what its own mapped estimate (cost/mapped.ts) uses.
 *
 * Areas: the NanGate FreePDK45 Open Cell Library footprints of the X1 cells
 * in sites (site 0.19 um x row 1.4 um = 0.266 um^2): INV 2, BUF/NAND2/NOR2 3,
 * AND2/OR2/NAND3/NOR3/AOI21/OAI21 4, AND3/OR3/NAND4/NOR4/AOI22/OAI22 5,
 * AND4/OR4/XOR2/XNOR2 6, MUX2 7, DFF 17 (so NAND2_X1 = 0.798 um^2, one gate
 * equivalent). Another technology scales by its NAND2 area (gate
 * equivalents carried over, as asap7.ts does).
 *
 * Timing: the logical-effort model (Sutherland, Sproull, Harris 1999) with
 * X1 cells of equal input capacitance C_in (one inverter's): a stage with
 * logical effort g and parasitic p driving load C takes
 * tau * (p + g * C / C_in); internal stages of compound cells drive one
 * inverter load (h = 1). So every cell is intrinsic + drive * C with
 * intrinsic = tau * (sum of internal stage delays + p of the last stage) and
 * drive = tau * g_last / C_in (ps per fF). tau = the technology's inverter
 * delay at fanout 4 / 5 (an FO4 inverter is p + 4 = 5 tau). XOR2/XNOR2 are
 * pass-gate cells: g = 2 and p set so that at fanout 4 they take the
 * technology's own XOR delay. Registers: clock-to-Q and setup as in the
 * technology file, drive as an inverter.
 * C_in: 1.7 fF at 45 nm, scaled with the feature size to first order
 * (0.26 fF for ASAP7's 7 nm): an estimate; C_in only sets the unit of the
 * loads, since every load here is a number of cell inputs.
 */
export interface LibCell {
  /** Liberty cell name, e.g. 'NAND2_X1'. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly output: string;
  /** Liberty function of the output ('!(A1 & A2)'); registers: undefined. */
  readonly function?: string;
  /** Truth table over the inputs (bit i of the table = output for input pattern i, inputs[0] the LSB). */
  readonly truth?: number;
  readonly areaUm2: number;
  /** Capacitance of each input pin, fF. */
  readonly pinCapFf: number;
  /** Delay at zero load, ps. */
  readonly intrinsicPs: number;
  /** Added delay per fF of load, ps/fF. */
  readonly drivePsPerFf: number;
  /** Registers only: setup time, ps. */
  readonly setupPs?: number;
}

export interface CellLibrary {
  readonly name: string;
  readonly tauPs: number;
  readonly cinFf: number;
  readonly cells: readonly LibCell[];
}

interface Proto {
  readonly name: string;
  readonly sites: number;
  readonly inputs: readonly string[];
  readonly fn?: string;
  readonly eval?: (v: readonly boolean[]) => boolean;
  /** Logical effort of the last stage (its drive). */
  readonly g: number;
  /** Intrinsic delay in tau (internal stages at h = 1 plus the last stage's parasitic). */
  readonly p: number;
}

const LE = { nand: (n: number) => (n + 2) / 3, nor: (n: number) => (2 * n + 1) / 3 };
const and = (v: readonly boolean[]) => v.every((x) => x);
const or = (v: readonly boolean[]) => v.some((x) => x);
const ins = (n: number) => Array.from({ length: n }, (_, i) => `A${i + 1}`);

function protos(xorP: number): Proto[] {
  const out: Proto[] = [
    { name: 'INV_X1', sites: 2, inputs: ['A'], fn: '!A', eval: (v) => !v[0], g: 1, p: 1 },
    { name: 'BUF_X1', sites: 3, inputs: ['A'], fn: 'A', eval: (v) => v[0]!, g: 1, p: 1 + 1 + 1 },
  ];
  for (const n of [2, 3, 4]) {
    const a = ins(n);
    out.push(
      { name: `NAND${n}_X1`, sites: n + 1, inputs: a, fn: `!(${a.join(' & ')})`, eval: (v) => !and(v), g: LE.nand(n), p: n },
      { name: `NOR${n}_X1`, sites: n + 1, inputs: a, fn: `!(${a.join(' | ')})`, eval: (v) => !or(v), g: LE.nor(n), p: n },
      { name: `AND${n}_X1`, sites: n + 2, inputs: a, fn: `(${a.join(' & ')})`, eval: and, g: 1, p: n + LE.nand(n) + 1 },
      { name: `OR${n}_X1`, sites: n + 2, inputs: a, fn: `(${a.join(' | ')})`, eval: or, g: 1, p: n + LE.nor(n) + 1 },
    );
  }
  out.push(
    {
      name: 'AOI21_X1',
      sites: 4,
      inputs: ['A', 'B1', 'B2'],
      fn: '!(A | (B1 & B2))',
      eval: (v) => !(v[0] || (v[1] && v[2])),
      g: 2,
      p: 7 / 3,
    },
    {
      name: 'OAI21_X1',
      sites: 4,
      inputs: ['A', 'B1', 'B2'],
      fn: '!(A & (B1 | B2))',
      eval: (v) => !(v[0] && (v[1] || v[2])),
      g: 2,
      p: 7 / 3,
    },
    {
      name: 'AOI22_X1',
      sites: 5,
      inputs: ['A1', 'A2', 'B1', 'B2'],
      fn: '!((A1 & A2) | (B1 & B2))',
      eval: (v) => !((v[0] && v[1]) || (v[2] && v[3])),
      g: 2,
      p: 4,
    },
    {
      name: 'OAI22_X1',
      sites: 5,
      inputs: ['A1', 'A2', 'B1', 'B2'],
      fn: '!((A1 | A2) & (B1 | B2))',
      eval: (v) => !((v[0] || v[1]) && (v[2] || v[3])),
      g: 2,
      p: 4,
    },
    { name: 'XOR2_X1', sites: 6, inputs: ['A', 'B'], fn: '(A ^ B)', eval: (v) => v[0] !== v[1], g: 2, p: xorP },
    { name: 'XNOR2_X1', sites: 6, inputs: ['A', 'B'], fn: '!(A ^ B)', eval: (v) => v[0] === v[1], g: 2, p: xorP },
    // Transmission-gate mux (g 2, p 4) into an output inverter at h = 1, then the inverter's parasitic.
    {
      name: 'MUX2_X1',
      sites: 7,
      inputs: ['A', 'B', 'S'],
      fn: '((S & B) | (A & !S))',
      eval: (v) => (v[2] ? v[1]! : v[0]!),
      g: 1,
      p: 4 + 2 + 1,
    },
  );
  return out;
}

function truthOf(p: Proto): number {
  let t = 0;
  for (let i = 0; i < 2 ** p.inputs.length; i++) {
    if (p.eval!(p.inputs.map((_, k) => ((i >> k) & 1) === 1))) t |= 1 << i;
  }
  return t;
}

const SITE_GE = 1 / 3; // NAND2_X1 is 3 sites

/** The library of `tech` (rules in the file comment). */
export function cellLibrary(tech: Tech): CellLibrary {
  const tauPs = tech.cells.$_NOT_.delayPs / 5;
  const featureNm = 45 * Math.sqrt(tech.nand2AreaUm2 / 0.798);
  const cinFf = 1.7 * (featureNm / 45);
  const xorP = tech.cells.$_XOR_.delayPs / tauPs - 2 * 4;
  const cells: LibCell[] = protos(xorP).map((p) => ({
    name: p.name,
    inputs: p.inputs,
    output: 'Y',
    function: p.fn,
    truth: truthOf(p),
    areaUm2: p.sites * SITE_GE * tech.nand2AreaUm2,
    pinCapFf: cinFf,
    intrinsicPs: p.p * tauPs,
    drivePsPerFf: (p.g * tauPs) / cinFf,
  }));
  cells.push({
    name: 'DFF_X1',
    inputs: ['D', 'CK'],
    output: 'Q',
    areaUm2: 17 * SITE_GE * tech.nand2AreaUm2,
    pinCapFf: cinFf,
    intrinsicPs: Math.max(0, tech.cells.$_DFF_P_.delayPs - 4 * tauPs),
    drivePsPerFf: tauPs / cinFf,
    setupPs: tech.dffSetupPs,
  });
  return { name: tech.name, tauPs, cinFf, cells };
}
