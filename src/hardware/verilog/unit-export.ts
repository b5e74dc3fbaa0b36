/**
 * Verilog export of the processing element and the requantization units, the
 * way activations are exported (verilog/export.ts): `<module>.v` (readable RTL
 * or helu-sim's gate netlist), a self-checking testbench `<module>_tb.v` with
 * golden vectors `<module>_tb.mem` from the bigint models in golden.ts, and
 * `<module>.json`. Before anything is returned, helu-sim's netlist is
 * simulated on the same vectors and must match the golden model.
 *
 *   exportPe(formats, opts)    ports clk, w, x, acc -> y, x_out (2 clock edges per vector)
 *   exportRequant(spec, opts)  pow2: acc[, shift] -> y; affine: acc, m, e, zp -> y (combinational)
 */
import { formatToString } from '../../fixedpoint/index.js';
import { UserError, VerificationFailure } from '../../errors.js';
import { checkWritableDir, writeFilesAtomic } from '../../io/atomic.js';
import { costOf, loadTech, simulateVectors, type Netlist } from '../../netlist/index.js';
import { Rng } from '../../random.js';
import { checkModuleName } from '../../verilog/identifier.js';
import { portTestbench, type PortSpec } from '../../verilog/port-testbench.js';
import { structuralVerilog } from '../../verilog/structural.js';
import { buildPe, type MacFormats } from '../network/mac.js';
import { buildRequant, requantKey, type RequantSpec } from '../network/requant.js';
import { affineRequantGolden, codeOfRaw, peGolden, pow2RequantGolden } from './golden.js';
import { peRtl } from './pe-rtl.js';
import { requantRtl } from './requant-rtl.js';
import { portPattern, randomBits, vectorCount, type UnitVectorOptions } from './stimulus.js';

export type UnitStyle = 'behavioral' | 'structural';

export interface UnitExportOptions {
  /** 'behavioral' (default): readable RTL; 'structural': helu-sim's gate netlist. */
  readonly style?: UnitStyle;
  /** Module name (a Verilog identifier); default 'pe' / 'requant_pow2' / 'requant_affine'. */
  readonly module?: string;
  /** Technology of the cost figures in the summary (default nangate45). */
  readonly tech?: string;
  readonly vectors?: UnitVectorOptions;
}

export interface UnitExportSummary {
  module: string;
  unit: 'pe' | 'requant';
  /** What the unit computes, e.g. 'pe fixed<8,4> x fixed<8,4> + fixed<24,12>'. */
  spec: string;
  style: UnitStyle;
  ports: { inputs: PortSpec[]; outputs: PortSpec[]; clk: boolean };
  /** Rising clock edges per testbench vector (0: combinational). */
  edgesPerVector: number;
  files: string[];
  circuit: { tech: string; gates: number; registers: number; transistors: number; areaUm2: number; depth: number; delayPs: number };
  verification: { circuit: { vectors: number; mismatches: number }; testbench: { vectors: number; seed: number } };
}

export interface UnitExport {
  readonly module: string;
  readonly files: Map<string, string>;
  readonly summary: UnitExportSummary;
  /** The gate netlist exported (structural) or proven equal to the RTL (behavioral). */
  readonly netlist: Netlist;
}

interface Vectors {
  readonly stimulus: bigint[][];
  readonly expected: bigint[][];
}

interface UnitDef {
  readonly unit: 'pe' | 'requant';
  readonly spec: string;
  readonly net: Netlist;
  readonly edges: number;
  readonly rtl: (name: string, comment: string[]) => string;
  readonly vectors: (rng: Rng, n: number) => Vectors;
}

const portsOf = (net: Netlist, dir: 'input' | 'output'): PortSpec[] =>
  net.ports.filter((p) => p.direction === dir && p.name !== 'clk').map((p) => ({ name: p.name, width: p.bits.length }));

/** Simulates the netlist (registers transparent: a held input settles through them) on the vectors; mismatching vectors. */
function netlistMismatches(net: Netlist, inputs: PortSpec[], outputs: PortSpec[], v: Vectors): number {
  const stim: Record<string, Float64Array> = {};
  inputs.forEach((p, i) => (stim[p.name] = Float64Array.from(v.stimulus, (row) => Number(row[i]!))));
  const sim = simulateVectors(net, stim, v.stimulus.length);
  let bad = 0;
  v.expected.forEach((row, k) => {
    if (outputs.some((p, j) => BigInt(sim.outputs[p.name]![k]!) !== row[j])) bad++;
  });
  return bad;
}

function exportUnit(d: UnitDef, o: UnitExportOptions, defaultName: string): UnitExport {
  const style = o.style ?? 'behavioral';
  if (style !== 'behavioral' && style !== 'structural')
    throw new UserError(`unknown style '${String(style)}'; accepted: behavioral, structural`);
  const name = o.module !== undefined ? checkModuleName(o.module) : defaultName;
  const tech = loadTech(o.tech ?? 'nangate45');
  const inputs = portsOf(d.net, 'input'),
    outputs = portsOf(d.net, 'output');
  if ([...inputs, ...outputs].some((p) => p.width > 53)) throw new UserError(`${d.spec}: ports wider than 53 bits are not exported`);
  const seed = o.vectors?.seed ?? 1;
  const vec = d.vectors(new Rng(seed), vectorCount(o.vectors ?? {}));
  const mismatches = netlistMismatches(d.net, inputs, outputs, vec);
  if (mismatches > 0)
    throw new VerificationFailure(
      `${d.spec}: helu-sim's circuit disagrees with the golden model on ${mismatches} of ${vec.stimulus.length} vectors; nothing written`,
    );
  const comment = [`${name}: ${d.spec}, ${style}. Written by helu-sim verilog.`];
  const text = style === 'behavioral' ? d.rtl(name, comment) : structuralVerilog(d.net, name, comment);
  const tb = portTestbench({ name, inputs, outputs, edges: d.edges, stimulus: vec.stimulus, expected: vec.expected });
  const c = costOf(d.net, tech);
  const files = new Map([
    [`${name}.v`, text],
    [tb.verilogFile, tb.verilog],
    [tb.vectorFile, tb.vectors],
  ]);
  const summary: UnitExportSummary = {
    module: name,
    unit: d.unit,
    spec: d.spec,
    style,
    ports: { inputs, outputs, clk: d.edges > 0 },
    edgesPerVector: d.edges,
    files: [...files.keys(), `${name}.json`],
    circuit: {
      tech: tech.name,
      gates: c.gates,
      registers: c.registers,
      transistors: c.transistors,
      areaUm2: c.areaUm2,
      depth: c.depth,
      delayPs: c.delayPs,
    },
    verification: { circuit: { vectors: vec.stimulus.length, mismatches }, testbench: { vectors: vec.stimulus.length, seed } },
  };
  files.set(`${name}.json`, JSON.stringify(summary, null, 2) + '\n');
  return { module: name, files, summary, netlist: d.net };
}

/** The PE for the MAC formats (network/mac.ts buildPe) with its testbench. */
export function exportPe(f: MacFormats, o: UnitExportOptions = {}): UnitExport {
  const golden = peGolden(f);
  return exportUnit(
    {
      unit: 'pe',
      spec: `pe ${formatToString(f.weight)} x ${formatToString(f.input)} + ${formatToString(f.acc)}`,
      net: buildPe(f),
      edges: 2,
      rtl: (name, comment) => peRtl(f, name, comment),
      vectors: (rng, n) => {
        const [w, x, acc] = [f.weight, f.input, f.acc].map((p) => portPattern(rng, p.signed, p.width));
        const stimulus = Array.from({ length: n }, () => [w!(), x!(), acc!()]);
        return {
          stimulus,
          expected: stimulus.map(([a, b, c]) => {
            const r = golden(a!, b!, c!);
            return [r.y, r.x_out];
          }),
        };
      },
    },
    o,
    'pe',
  );
}

function pow2Vectors(s: Extract<RequantSpec, { kind: 'pow2' }>, rng: Rng, n: number, withShift: boolean): Vectors {
  const golden = pow2RequantGolden(s);
  const codes = s.acc.map((a) => portPattern(rng, a.signed, a.width));
  const stimulus: bigint[][] = [],
    expected: bigint[][] = [];
  for (let k = 0; k < n; k++) {
    const c = rng.int(s.acc.length);
    const g = golden(c, codeOfRaw(codes[c]!(), s.acc[c]!));
    stimulus.push(withShift ? [g.acc, g.shift] : [g.acc]);
    expected.push([g.y]);
  }
  return { stimulus, expected };
}

function affineVectors(s: Extract<RequantSpec, { kind: 'affine' }>, net: Netlist, rng: Rng, n: number): Vectors {
  const golden = affineRequantGolden(s);
  const eBits = net.port('e').bits.length;
  const [acc, m, zp] = [[s.accBits], [32], [s.out.width + 1]].map(([w]) => portPattern(rng, true, w!));
  const stimulus: bigint[][] = [],
    expected: bigint[][] = [];
  for (let k = 0; k < n; k++) {
    const row = [acc!(), m!(), randomBits(rng, eBits), zp!()];
    stimulus.push(row);
    expected.push([golden(row[0]!, row[1]!, Number(row[2]!), row[3]!)]);
  }
  return { stimulus, expected };
}

/** A requantization unit (network/requant.ts buildRequant) with its testbench. */
export function exportRequant(s: RequantSpec, o: UnitExportOptions = {}): UnitExport {
  const net = buildRequant(s);
  const withShift = net.inputs().some((p) => p.name === 'shift');
  return exportUnit(
    {
      unit: 'requant',
      spec: requantKey(s),
      net,
      edges: 0,
      rtl: (name, comment) => requantRtl(s, name, comment),
      vectors: (rng, n) => (s.kind === 'pow2' ? pow2Vectors(s, rng, n, withShift) : affineVectors(s, net, rng, n)),
    },
    o,
    s.kind === 'pow2' ? 'requant_pow2' : 'requant_affine',
  );
}

/** Writes an export's files into `dir` atomically (nothing written when `dir` cannot be written). */
export function writeUnitExport(dir: string, build: () => UnitExport): UnitExport & { paths: string[] } {
  checkWritableDir(dir);
  const exp = build();
  return { ...exp, paths: writeFilesAtomic(dir, exp.files) };
}
