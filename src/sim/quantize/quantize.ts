import { getActivation } from '../../activations/registry.js';
import { activationToString } from '../../activations/float.js';
import { formatToString, parseFormat } from '../../fixedpoint/format.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import type { Graph } from '../../models/graph.js';
import { graphToJson, NATIVE_FORMAT } from '../../models/formats/native.js';
import { costOf } from '../../netlist/cost/cost.js';
import { loadTech } from '../../netlist/cost/tech.js';
import { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, type CircuitIdentity, type IntLayer, type IntModel } from './model.js';
import { pow2Quant } from './quant.js';
import { validateIntModel } from './validate.js';
import { calibrate, withNormalizationRanges, type CalibrationMethod, type CalibrationSamples, type TensorRange } from './calibrate.js';
import { DEFAULT_BITS, rangeFormat, userAcc, userFormat } from './choose.js';
import { checkConfigLayers, type QuantConfig } from './config.js';
import type { FActivation, FLayer } from './float-net.js';
import { linearToInt } from './linear-int.js';
import { lowerGraph } from './lower-graph.js';
import { pow2ArithLayer } from './lower-arith.js';
import { rangeWarnings } from './range-check.js';
import { dataToPow2 } from './data-export.js';

export interface QuantizeOptions {
  /** Width of every chosen tensor and weight format (default 8). */
  bits?: number;
  /** One format for every weight ('fixed<8,1>'; modes default to RND_CONV,SAT). */
  weights?: string;
  /** One format for the input and every layer output that requantizes. */
  acts?: string;
  /** Accumulators: a format, or a width at the products' LSB ('24'). Default: the exact worst case. */
  acc?: string;
  /** Weight formats per output channel (default per tensor). */
  perChannel?: boolean;
  calibration?: CalibrationMethod;
  /** Ranges already calibrated with `calibration` on `calib` (e.g. on worker threads); calibrate() otherwise. */
  ranges?: Map<string, TensorRange>;
  /** Per-layer overrides (and defaults the options above take precedence over). */
  config?: QuantConfig;
  /** Store the unquantized graph in the model (native graph JSON, exact), for verify's SQNR and float accuracy. Default true. */
  storeFloat?: boolean;
  metadata?: Record<string, string>;
  /** Receives one line per format too narrow for its calibrated range (range-check.ts). */
  warn?: (message: string) => void;
}

interface Ctx {
  net: ReturnType<typeof lowerGraph>;
  ranges: Map<string, TensorRange>;
  formats: Map<string, FixedFormat>;
  bits: number;
  opts: QuantizeOptions;
  weights?: FixedFormat;
  acts?: FixedFormat;
}

function calibrated(c: Ctx, tensor: string): FixedFormat {
  const r = c.ranges.get(tensor);
  if (!r) throw new Error(`internal: no calibration range for tensor '${tensor}'`);
  return rangeFormat(r.lo, r.hi, c.bits);
}

/** Output format of a layer that requantizes: per-layer 'out' > --acts > calibrated range. */
function requantFormat(c: Ctx, l: FLayer): FixedFormat {
  return c.opts.config?.layers.get(l.name)?.out ?? c.acts ?? calibrated(c, l.output);
}

/** Name and nangate45 cost of the circuit that runs activation `l.spec` from inF to outF. */
export function circuitIdentity(l: Pick<FActivation, 'spec'>, inF: FixedFormat, outF: FixedFormat): CircuitIdentity {
  const def = getActivation(l.spec);
  const net = def.circuit(inF, outF);
  const cost = costOf(net, loadTech('nangate45'));
  return {
    name: `${def.name} ${formatToString(inF)} -> ${formatToString(outF)}`,
    gates: cost.gates,
    depth: cost.depth,
    transistors: cost.transistors,
  };
}

function toInt(c: Ctx, l: FLayer): IntLayer {
  const inF = c.formats.get(l.inputs[0]!)!;
  const base = { name: l.name, inputs: l.inputs, output: l.output, shape: l.shape, ...(l.folded.length ? { folded: l.folded } : {}) };
  const over = c.opts.config?.layers.get(l.name);
  const keep = (out: FixedFormat) => ({ ...base, out: pow2Quant(out) });
  switch (l.op) {
    case 'dense':
    case 'conv': {
      const accChoice = over?.acc ?? (c.opts.acc !== undefined ? userAcc(c.opts.acc, '--acc') : c.opts.config?.acc);
      const parts = linearToInt(l, inF, {
        weights: over?.weights ?? c.weights,
        perChannel: (c.opts.perChannel ?? false) || l.perChannel === true,
        bits: c.bits,
        acc: accChoice,
      });
      const out = requantFormat(c, l);
      if (l.op === 'dense') return { op: 'dense', ...keep(out), ...parts };
      return {
        op: 'conv',
        ...keep(out),
        kernel: l.kernel,
        strides: l.strides,
        pads: l.pads,
        dilations: l.dilations,
        group: l.group,
        ...parts,
      };
    }
    case 'activation': {
      const out = requantFormat(c, l);
      return {
        op: 'activation',
        ...keep(out),
        activation: activationToString(l.spec),
        in: pow2Quant(inF),
        circuit: circuitIdentity(l, inF, out),
      };
    }
    case 'maxpool':
    case 'avgpool': {
      const out = l.op === 'avgpool' ? (over?.out ?? inF) : inF;
      return {
        op: l.op,
        ...keep(out),
        kernel: l.kernel,
        strides: l.strides,
        pads: l.pads,
        dilations: l.dilations,
        ceilMode: l.ceilMode,
        countIncludePad: l.countIncludePad,
      };
    }
    case 'globalavgpool':
      return { op: 'globalavgpool', ...keep(over?.out ?? inF) };
    case 'flatten':
    case 'reshape':
      return { op: l.op, ...keep(inF) };
    case 'transpose':
      return { op: 'transpose', ...keep(inF), perm: l.perm };
    case 'add':
    case 'mul':
      return { op: l.op, ...keep(requantFormat(c, l)) };
    case 'concat': {
      const ins = l.inputs.map((i) => formatToString(c.formats.get(i)!));
      const same = ins.every((f) => f === ins[0]) && !over?.out && !c.acts;
      return { op: 'concat', ...keep(same ? inF : requantFormat(c, l)), axis: l.axis };
    }
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      return dataToPow2(l, { inF, requant: (x) => requantFormat(c, x), out: over?.out, layers: c.net.layers });
    case 'matmul':
    case 'binary':
    case 'where':
      return pow2ArithLayer(
        l,
        keep(requantFormat(c, l)),
        l.inputs.map((i) => c.formats.get(i)!),
      );
  }
}

/**
 * Exports a float graph to a pow2 integer model: folds (lower-graph.ts),
 * calibrates on `calib`, chooses every format (choose.ts, with the user's
 * overrides), quantizes weights (RND_CONV, SAT) and biases (at the
 * accumulator LSB), sizes accumulators, records each activation's circuit.
 * The result is validated before it is returned.
 */
export function quantizeModel(g: Graph, calib: CalibrationSamples, opts: QuantizeOptions = {}): IntModel {
  const net = lowerGraph(g);
  if (opts.config)
    checkConfigLayers(
      opts.config,
      net.layers.map((l) => l.name),
    );
  const bits = opts.bits ?? opts.config?.bits ?? DEFAULT_BITS;
  const ranges = withNormalizationRanges(
    g,
    calib,
    net.layers,
    opts.ranges ?? calibrate(g, calib, opts.calibration ?? 'minmax'),
    opts.calibration ?? 'minmax',
  );
  const c: Ctx = {
    net,
    ranges,
    formats: new Map(),
    bits,
    opts,
    weights: opts.weights !== undefined ? userFormat(opts.weights, '--weights') : opts.config?.weights,
    acts: opts.acts !== undefined ? userFormat(opts.acts, '--acts') : opts.config?.acts,
  };
  const inFmt = c.acts ?? calibrated(c, net.input.name);
  c.formats.set(net.input.name, inFmt);
  const layers = net.layers.map((l) => {
    const il = toInt(c, l);
    c.formats.set(il.output, userFormatOf(il));
    return il;
  });
  if (opts.warn) for (const w of rangeWarnings(bits, c.formats, ranges)) opts.warn(w);
  const method = opts.calibration ?? 'minmax';
  const model: IntModel = {
    format: INT_MODEL_FORMAT,
    schemaVersion: INT_MODEL_SCHEMA_VERSION,
    name: g.name,
    scheme: 'pow2',
    input: {
      name: net.input.name,
      shape: net.input.shape,
      quant: pow2Quant(inFmt),
      ...(net.input.rawScaleLog2 !== undefined ? { rawScaleLog2: net.input.rawScaleLog2 } : {}),
    },
    layers,
    outputs: net.outputs,
    metadata: {
      ...g.metadata,
      bits: String(bits),
      weights: opts.weights ? 'user format' : opts.perChannel ? 'per output channel' : 'per tensor',
      calibration: `${method === 'minmax' ? 'min/max' : `percentile ${method.percentile}`} over ${calib.count} samples`,
      ...net.notes,
      ...opts.metadata,
    },
  };
  if (opts.storeFloat !== false) model.float = { format: NATIVE_FORMAT, graph: JSON.parse(graphToJson(g)) as unknown };
  return validateIntModel(model);
}

/** The layer's output format (canonical text, so parseFormat restores it exactly). */
function userFormatOf(l: IntLayer): FixedFormat {
  return parseFormat((l.out as { format: string }).format);
}
