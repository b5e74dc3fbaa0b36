import { getActivation } from '../activations/index.js';
import { UserError } from '../errors.js';
import { parseFormat } from '../fixedpoint/index.js';
import type { RequantScheme } from '../fixedpoint/requant.js';
import { activationUnitKey, type ActivationUnitSpec } from '../hardware/network/activation-unit.js';
import { checkWritableDir, writeFilesAtomic } from '../io/atomic.js';
import { checkAgainstModel } from '../netlist/index.js';
import { sanitizeIdentifier } from '../netlist/io/identifiers.js';
import { activationCircuit, activationTable } from '../sim/engine/affine/table.js';
import { loadIntegerModel } from '../sim/importers/load.js';
import { tensorParams } from '../sim/quantize/affine/types.js';
import type { ActivationLayer, IntModel } from '../sim/quantize/model.js';
import { exportActivation, exportFiles, moduleName, structuralVerilog, type VerilogStyle } from '../verilog/index.js';
import { printJson } from './common.js';

/*
 * The activation units of a model (an integer model, or an imported quantized
 * ONNX / QONNX file) as Verilog: one unit per distinct (activation, input
 * quant, output quant) of its activation layers, each with its self-checking
 * testbench. pow2 units are the activation export (verilog/export.ts) of the
 * layer's formats; affine units are the 256-entry table between the two 8-bit
 * tensors (the circuit the affine engine simulates in gate mode) as a
 * structural ROM, its golden vectors from the table, the circuit checked
 * against the table on all 256 inputs before anything is written.
 * Activations fused into a dense/conv layer's requantization (relu, relu6 as
 * a clamp) are not units: they are the requantization's clamp.
 */

export interface ModelUnit {
  module: string;
  /** activationUnitKey of the unit. */
  spec: string;
  layers: string[];
  files: Map<string, string>;
}

/** The distinct activation units of a model, each with the layers that use it. */
export function modelActivationSpecs(m: IntModel): Map<string, { spec: ActivationUnitSpec; layers: string[] }> {
  const units = new Map<string, { spec: ActivationUnitSpec; layers: string[] }>();
  for (const l of m.layers) {
    if (l.op !== 'activation') continue;
    const a = l as ActivationLayer;
    const spec: ActivationUnitSpec = {
      activation: a.activation,
      in: a.in,
      out: a.out,
      ...(m.scheme === 'affine' && m.requant ? { requant: m.requant } : {}),
    };
    const key = activationUnitKey(spec);
    const u = units.get(key);
    if (u) u.layers.push(l.name);
    else units.set(key, { spec, layers: [l.name] });
  }
  return units;
}

function affineUnit(spec: ActivationUnitSpec, name: string, requant: RequantScheme): Map<string, string> {
  const inP = tensorParams(spec.in, 'in'),
    outP = tensorParams(spec.out, 'out');
  const table = activationTable(spec.activation, inP, outP, requant);
  const net = activationCircuit(spec.activation, table, inP, outP);
  const check = checkAgainstModel(net, (x) => table.codes[x]! & 0xff);
  if (check.mismatches > 0)
    throw new UserError(`activation unit ${name}: the ROM circuit disagrees with its table in ${check.mismatches} of 256 inputs`);
  const raw = Array.from(table.codes, (c) => BigInt(c & 0xff));
  const comment = [
    `${name}: ${activationUnitKey(spec)} (${requant} rounding), 256-entry table ROM.`,
    "Ports carry raw 8-bit patterns (two's complement for int8). Written by helu-sim verilog --model.",
  ];
  return exportFiles({
    name,
    signed: inP.type === 'int8',
    inWidth: 8,
    outWidth: 8,
    moduleText: structuralVerilog(net, name, comment),
    table: raw,
    tableComment: [comment[0]!],
    golden: (x) => raw[Number(x & 0xffn)]!,
  }).files;
}

/** Every activation unit of the model, in memory (UserError when it has none). */
export function exportModelActivationUnits(m: IntModel, path: string, o: { style?: VerilogStyle; tech?: string } = {}): ModelUnit[] {
  const units = modelActivationSpecs(m);
  if (!units.size)
    throw new UserError(
      `'${path}' has no activation layers: its activations are fused into the requantization of its dense/conv layers (export that with 'helu-sim verilog requant')`,
    );
  const names = new Set<string>();
  return [...units.values()].map(({ spec, layers }, k) => {
    const pow2 = spec.in.kind === 'pow2' && spec.out.kind === 'pow2';
    let name = pow2
      ? moduleName(getActivation(spec.activation).name, parseFormat((spec.in as { format: string }).format))
      : sanitizeIdentifier(`${spec.activation.replace(/[^A-Za-z0-9]+/g, '_')}_affine`);
    if (names.has(name)) name = `${name}_${k}`;
    names.add(name);
    const files = pow2
      ? exportActivation({
          activation: spec.activation,
          in: parseFormat((spec.in as { format: string }).format),
          out: parseFormat((spec.out as { format: string }).format),
          style: o.style,
          module: name,
          tech: o.tech,
        }).files
      : affineUnit(spec, name, spec.requant ?? 'onnxruntime');
    return { module: name, spec: activationUnitKey(spec), layers, files };
  });
}

/** `helu-sim verilog --model <file> -o <dir>`: every unit's files written atomically into one directory, then a summary. */
export function runModelExport(path: string, o: { output: string; style: string; tech: string; json: boolean }): void {
  checkWritableDir(o.output);
  const units = exportModelActivationUnits(loadIntegerModel(path), path, { style: o.style as VerilogStyle, tech: o.tech });
  const files = new Map<string, string>();
  for (const u of units) for (const [f, text] of u.files) files.set(f, text);
  const paths = writeFilesAtomic(o.output, files);
  if (o.json)
    return printJson({
      model: path,
      units: units.map((u) => ({ module: u.module, unit: u.spec, layers: u.layers, files: [...u.files.keys()] })),
    });
  process.stdout.write(
    [
      `${path}: ${units.length} activation unit(s)`,
      ...units.map((u) => `  ${u.module}: ${u.spec} (layers ${u.layers.join(', ')})`),
      `  wrote ${paths.length} files into ${o.output}`,
      '',
    ].join('\n'),
  );
}
