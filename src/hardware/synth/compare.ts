/**
 * helu-sim's estimate of a netlist beside the synthesized figure: the
 * netlist written as structural Verilog (helu-sim's own Verilog, as the
 * `verilog --style structural` export writes it), synthesized by Yosys + ABC
 * onto the technology's generated library (or a user Liberty file), and the
 * two figures with their ratio synthesized / estimate.
 */
import { UserError } from '../../errors.js';
import { costOf, loadTech, type Netlist, type Tech } from '../../netlist/index.js';
import { sanitizeIdentifier } from '../../netlist/io/identifiers.js';
import { structuralVerilog } from '../../verilog/structural.js';
import { synthesize, type SynthReport } from './yosys-synth.js';

export type SynthTool = 'yosys';

/** Parses a --synth value: 'yosys' (the only synthesis tool wired in). */
export function parseSynthTool(v: string): SynthTool {
  if (v === 'yosys') return v;
  throw new UserError(`--synth '${v}' is not supported; accepted: yosys`);
}

export interface SynthComparison {
  readonly estimate: { readonly areaUm2: number; readonly delayPs: number };
  readonly synthesized: SynthReport;
  /** synthesized / estimate. */
  readonly areaRatio: number;
  /** synthesized / estimate; null with a user Liberty file (no delay read back). */
  readonly delayRatio: number | null;
}

export interface CompareOptions {
  readonly tech?: string | Tech;
  readonly liberty?: string;
}

/** Synthesizes `net` and sets the figure beside helu-sim's estimate with the same technology. */
export async function compareWithSynthesis(net: Netlist, opts: CompareOptions = {}): Promise<SynthComparison> {
  const tech = typeof opts.tech === 'object' ? opts.tech : loadTech(opts.tech ?? 'nangate45');
  const est = costOf(net, tech);
  const name = sanitizeIdentifier(net.name === '' ? 'unit' : net.name);
  const s = await synthesize(structuralVerilog(net, name), name, {
    tech,
    ...(opts.liberty !== undefined ? { liberty: opts.liberty } : {}),
  });
  return {
    estimate: { areaUm2: est.areaUm2, delayPs: est.delayPs },
    synthesized: s,
    areaRatio: s.areaUm2 / est.areaUm2,
    delayRatio: s.delayPs === null ? null : s.delayPs / est.delayPs,
  };
}
