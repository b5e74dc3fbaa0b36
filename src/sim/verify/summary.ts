import { UserError } from '../../errors.js';
import type { Graph } from '../../models/graph.js';
import { graphFromJson, NATIVE_FORMAT } from '../../models/formats/native.js';
import type { IntModel } from '../quantize/model.js';
import type { VerifyReport } from './verify.js';

/** The unquantized network stored in the model file by quantize (native graph JSON), or undefined. */
export function storedFloatGraph(m: IntModel): Graph | undefined {
  const f = m.float as { format?: unknown; graph?: unknown } | undefined;
  if (f === undefined) return undefined;
  if (typeof f !== 'object' || f === null || f.format !== NATIVE_FORMAT || typeof f.graph !== 'object') {
    throw new UserError(`integer model: field 'float' must be {"format": "${NATIVE_FORMAT}", "graph": {...}}`);
  }
  return graphFromJson(JSON.stringify(f.graph), `${m.name} (stored float model)`);
}

export interface LayerSummary {
  name: string;
  op: string;
  out: string;
  weights?: string | string[];
  acc?: string[];
  accBound?: number;
  activation?: string;
  /** binary layers: the elementwise fn (min, sub, greater, ...). */
  fn?: string;
  circuit?: { gates: number; depth: number; transistors: number };
  folded?: string[];
}

export interface ModelSummary {
  name: string;
  scheme: string;
  input: { name: string; shape: number[]; format: string; rawScaleLog2?: number };
  layers: LayerSummary[];
  outputs: string[];
  metadata: Record<string, string>;
}

const quantText = (q: unknown): string => {
  const v = q as { kind: string; format?: string; type?: string; scale?: number[] };
  return v.kind === 'pow2' ? v.format! : v.kind === 'affine' ? `${v.type} scale ${v.scale?.join(',')}` : v.kind;
};

/** The quantize command's JSON: every layer's formats, accumulators and activation circuits. */
export function summarizeModel(m: IntModel): ModelSummary {
  return {
    name: m.name,
    scheme: m.scheme,
    input: {
      name: m.input.name,
      shape: m.input.shape,
      format: quantText(m.input.quant),
      ...(m.input.rawScaleLog2 !== undefined ? { rawScaleLog2: m.input.rawScaleLog2 } : {}),
    },
    layers: m.layers.map((l) => {
      const s: LayerSummary = { name: l.name, op: l.op, out: quantText(l.out) };
      if (l.op === 'dense' || l.op === 'conv') {
        const q = l.weights.quant;
        s.weights = q.kind === 'pow2-channel' ? q.formats : quantText(q);
        if (l.acc.kind === 'pow2') {
          s.acc = l.acc.formats;
          s.accBound = l.acc.bound;
        }
      }
      if (l.op === 'matmul' && l.acc.kind === 'pow2') {
        s.acc = l.acc.formats;
        s.accBound = l.acc.bound;
      }
      if (l.op === 'binary') s.fn = l.fn;
      if (l.op === 'activation') {
        s.activation = l.activation;
        s.circuit = { gates: l.circuit.gates, depth: l.circuit.depth, transistors: l.circuit.transistors };
      }
      if (l.folded) s.folded = l.folded;
      return s;
    }),
    outputs: m.outputs,
    metadata: m.metadata,
  };
}

/** A readable table of a verification. */
export function renderVerifyReport(r: VerifyReport): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(2)} %`);
  const lines = [
    `samples ${r.samples}, tensors compared ${r.tensorsCompared}, values compared ${r.valuesCompared}, mode ${r.mode}`,
    `mismatches ${r.mismatches}, max LSB error ${r.maxLsbError}, event disagreements ${r.eventMismatches}` +
      (r.modeMismatches !== undefined ? `, functional/gate differences ${r.modeMismatches}` : ''),
    `accuracy: unquantized ${pct(r.unquantizedAccuracy)}, quantized float ${pct(r.floatAccuracy)}, integer ${pct(r.intAccuracy)}`,
    '',
    `${'layer'.padEnd(24)} ${'mismatches'.padStart(10)} ${'maxLSB'.padStart(7)} ${'sat'.padStart(8)} ${'wrap'.padStart(8)} ${'SQNR dB'.padStart(9)}`,
    ...r.layers.map(
      (l) =>
        `${l.name.padEnd(24)} ${String(l.mismatches).padStart(10)} ${String(l.maxLsbError).padStart(7)} ${String(l.saturations).padStart(8)} ${String(l.wraps).padStart(8)} ${(l.sqnrDb === null ? '-' : l.sqnrDb.toFixed(2)).padStart(9)}`,
    ),
  ];
  return lines.join('\n') + '\n';
}
