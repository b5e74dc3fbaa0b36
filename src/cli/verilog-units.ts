/** `helu-sim verilog pe|requant`: the PE and requantization unit exports (hardware/verilog). */
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseFormat } from '../fixedpoint/index.js';
import { exportPe, exportRequant, writeUnitExport, type RequantSpec, type UnitExport, type UnitStyle } from '../hardware/index.js';
import { printJson } from './common.js';

export interface UnitCliOptions {
  weight?: string;
  input?: string;
  acc?: string;
  accBits?: number;
  out?: string;
  style: string;
  module?: string;
  tech: string;
  output: string;
  json: boolean;
  vectors?: number;
}

function need(v: string | undefined, flag: string, unit: string): string {
  if (v === undefined) throw new UserError(`verilog ${unit}: ${flag} is required`);
  return v;
}

/** pow2 with --acc (one format, or per-channel formats separated by ';'), affine with --acc-bits. */
export function requantSpecOf(o: UnitCliOptions): RequantSpec {
  const out = parseFormat(need(o.out, '--out <format>', 'requant'));
  if (o.acc !== undefined && o.accBits !== undefined)
    throw new UserError('verilog requant: give --acc (pow2) or --acc-bits (affine), not both');
  if (o.accBits !== undefined) {
    if (out.width !== out.intBits)
      throw new UserError(`verilog requant --acc-bits: --out must be an integer type (int8, uint8, int32), got '${o.out}'`);
    return { kind: 'affine', accBits: o.accBits, out };
  }
  const acc = need(o.acc, '--acc <format> (pow2) or --acc-bits <N> (affine)', 'requant')
    .split(';')
    .map((s) => parseFormat(s.trim()));
  return { kind: 'pow2', acc, out };
}

export function buildUnitExport(unit: 'pe' | 'requant', o: UnitCliOptions): UnitExport {
  const common = {
    style: o.style as UnitStyle,
    tech: o.tech,
    ...(o.module !== undefined ? { module: o.module } : {}),
    ...(o.vectors !== undefined ? { vectors: { count: o.vectors } } : {}),
  };
  if (unit === 'pe') {
    const f = {
      weight: parseFormat(need(o.weight, '--weight <format>', 'pe')),
      input: parseFormat(need(o.input, '--input <format>', 'pe')),
      acc: parseFormat(need(o.acc, '--acc <format>', 'pe')),
    };
    return exportPe(f, common);
  }
  return exportRequant(requantSpecOf(o), common);
}

/** Writes the export and prints its summary (text or JSON); returns the export for --synth. */
export function runUnitExport(unit: 'pe' | 'requant', o: UnitCliOptions): UnitExport & { paths: string[] } {
  const exp = writeUnitExport(o.output, () => buildUnitExport(unit, o));
  const s = exp.summary;
  if (o.json) return exp;
  const v = s.verification;
  process.stdout.write(
    [
      `${s.module}: ${s.spec}, ${s.style}${s.ports.clk ? `, ${s.edgesPerVector} clock edges per vector` : ', combinational'}`,
      `  helu-sim circuit: ${s.circuit.gates} gates, ${s.circuit.registers} registers, ${s.circuit.transistors} transistors, depth ${s.circuit.depth}; ` +
        `golden-model check ${v.circuit.vectors} vectors, ${v.circuit.mismatches} mismatches`,
      `  testbench: ${v.testbench.vectors} golden vectors (seed ${v.testbench.seed})`,
      ...exp.paths.map((p) => `  wrote ${p}`),
      '',
    ].join('\n'),
  );
  return exp;
}

export function unitJson(exp: UnitExport, output: string, extra: Record<string, unknown> = {}): void {
  const { module, files, ...rest } = exp.summary;
  printJson({ module, directory: resolve(output), files, ...rest, ...extra });
}
