/**
 * From an integer model (sim/model.ts) to the layers the accelerator runs:
 * every dense and conv layer becomes a GEMM on the systolic array with its
 * MAC formats, its requantization unit and the activation unit applied to its
 * outputs; a matmul of two computed tensors a GEMM without stationary
 * weights (matmul.ts); elementwise binary and where layers run beside the
 * array. Pooling, elementwise add, concatenation and data movement are not
 * modelled (they run beside the array and cost neither cycles nor area here).
 *
 * Mapping to SCALE-Sim shapes (layer.ts):
 * - dense on a [K] vector: a dense shape K -> N; on [..., K] (each row
 *   independently): a 1x1 convolution with one output pixel per row.
 * - conv on [C, H, W] with weights [M, C/g, kh, kw] and output [M, Ho, Wo]:
 *   Fh = kh, Fw = kw, Cin = C, filters = M, outputPixels = Ho*Wo,
 *   inputPixels = H*W, groups = g. Strides, padding and dilation enter only
 *   through Ho, Wo (SCALE-Sim's im2col view).
 * An activation layer is attached to the dense/conv layer that produces its
 * input, through flatten / reshape / transpose (same values, reordered) and
 * through a residual add, an elementwise mul or a pool beside the array
 * (BESIDE_ARRAY), through a concat to each of its inputs' layers, and
 * through another activation layer (its unit then runs in series after that
 * layer's unit: Mish's softplus, then tanh); the
 * values must add up to the activation's. Anything else is refused. The adder
 * of a residual add, or the multiplier of a mul, between them is costed in
 * series before the activation unit (residual-adder.ts, eltwise-multiplier.ts).
 */
import { UserError } from '../../errors.js';
import { formatToString, parseFormat } from '../../fixedpoint/index.js';
import type { FixedFormat } from '../../fixedpoint/types.js';
import { sizeOf } from '../../models/graph.js';
import type { ConvLayer, DenseLayer, IntLayer, IntModel, TensorQuant, WeightQuant } from '../../sim/quantize/model.js';
import { convShape, denseShape, type LayerShape } from '../layer.js';
import type { OperandWidths } from '../memory.js';
import type { ActivationUnitSpec } from './activation-unit.js';
import type { MacFormats } from './mac.js';
import type { RequantSpec } from './requant.js';
import type { ResidualAdderSpec } from './residual-adder.js';
import type { MatMulLayer } from '../../sim/quantize/model-arith.js';
import { planMatMul } from './matmul.js';

export interface NetworkLayerPlan {
  readonly name: string;
  readonly op: 'dense' | 'conv' | 'matmul';
  readonly shape: LayerShape;
  readonly widths: OperandWidths;
  readonly mac: MacFormats;
  /** Products per output value (Fh*Fw*Cin/groups): the dot-product length of the MAC energy stimulus. */
  readonly dotLength: number;
  /** null: the accumulator leaves unrequantized (an int32 output). */
  readonly requant: RequantSpec | null;
  /** The activation layer whose unit processes this layer's outputs. */
  readonly activationLayer: string | null;
  readonly activation: ActivationUnitSpec | null;
  /** affine: an activation fused into requantization (clamp bounds; no separate unit). */
  readonly fusedActivation: string | null;
  /** The residual add between this layer and its activation unit (costed with that unit), or null. */
  readonly residualAdd?: ResidualAdderSpec | null;
  /**
   * Further activation layers on this layer's outputs: applied after the
   * first one (softplus, then tanh), their units in series after it; or
   * beside it (`parallel`: a second activation of the same outputs, as
   * PRelu's relu and min:0), their units alongside.
   */
  readonly then?: readonly { readonly layer: string; readonly unit: ActivationUnitSpec; readonly parallel?: boolean }[];
}

type Gemm = DenseLayer | ConvLayer;

const PASS_THROUGH = new Set(['flatten', 'reshape', 'transpose']);
/**
 * Layers beside the array an activation may follow: the unit still runs on
 * the values of the dense/conv layer upstream (for a residual add, the one its
 * first input comes from: the block's last conv in ResNet's out = relu(conv(x) + x)).
 */
const BESIDE_ARRAY = new Set(['add', 'mul', 'maxpool', 'avgpool', 'globalavgpool', 'binary', 'where']);
/**
 * Data layers beside the array (selection, pad, reduction): the unit runs on
 * the values they pass on, which need not add up to the dense/conv outputs
 * upstream; a constant operand of a concat needs no unit of the array.
 */
const RESIZING = new Set(['gather', 'pad', 'reduce']);

/** The fixed-point view of a tensor's codes: pow2 format, or an affine type as an integer format (int8 = fixed<8,8>). */
export function quantFormat(q: TensorQuant, where: string): FixedFormat {
  if (q.kind === 'pow2') return parseFormat(q.format);
  if (q.kind === 'affine') return parseFormat(q.type);
  throw new UserError(`${where}: unknown quantization kind '${(q as { kind: string }).kind}'; expected pow2 or affine`);
}

/** f with at least `width` bits and signed when `signed` (extra bits are integer bits: the LSB stays). */
function widen(f: FixedFormat, width: number, signed: boolean): FixedFormat {
  const w = Math.max(f.width, width) + (signed && !f.signed ? 1 : 0);
  return { ...f, signed: f.signed || signed, width: w, intBits: f.intBits + (w - f.width) };
}

/**
 * MAC formats of a layer with per-channel formats: the PE is built for the
 * channel with the widest accumulator (then the widest weights), widened to
 * the widest weight and accumulator codes of any channel, so that every
 * channel's codes fit one PE.
 */
function representative(ws: readonly FixedFormat[], accs: readonly FixedFormat[]): { weight: FixedFormat; acc: FixedFormat } {
  const at = <T>(xs: readonly T[], c: number): T => xs[xs.length === 1 ? 0 : c]!;
  const n = Math.max(ws.length, accs.length);
  let c = 0;
  for (let i = 1; i < n; i++) {
    const [a, b] = [at(accs, i), at(accs, c)];
    if (a.width > b.width || (a.width === b.width && at(ws, i).width > at(ws, c).width)) c = i;
  }
  const maxW = (fs: readonly FixedFormat[]) => Math.max(...fs.map((f) => f.width));
  const anySigned = (fs: readonly FixedFormat[]) => fs.some((f) => f.signed);
  return { weight: widen(at(ws, c), maxW(ws), anySigned(ws)), acc: widen(at(accs, c), maxW(accs), anySigned(accs)) };
}

function weightFormats(q: WeightQuant, where: string): FixedFormat[] {
  if (q.kind === 'pow2-channel') return q.formats.map((f) => parseFormat(f));
  return [quantFormat(q, where)];
}

function accFormats(l: Gemm): FixedFormat[] {
  if (l.acc.kind === 'pow2') return l.acc.formats.map((f) => parseFormat(f));
  return [{ signed: true, width: l.acc.bits, intBits: l.acc.bits, rounding: 'TRN', overflow: l.acc.overflow }];
}

function dedupe(fs: readonly FixedFormat[]): FixedFormat[] {
  const seen = new Map<string, FixedFormat>();
  for (const f of fs) seen.set(formatToString(f), f);
  return [...seen.values()];
}

function requantSpec(l: Gemm, accs: readonly FixedFormat[]): RequantSpec | null {
  const out = quantFormat(l.out, `layer '${l.name}' out`);
  if (l.acc.kind === 'pow2') return { kind: 'pow2', acc: dedupe(accs), out };
  if (l.out.kind === 'affine' && l.out.type === 'int32') return null;
  return { kind: 'affine', accBits: l.acc.bits, out };
}

function gemmShape(l: Gemm, x: readonly number[], batch: number): LayerShape {
  if (l.op === 'dense') {
    const [n, k] = l.weights.shape as [number, number];
    const rows = sizeOf(x.slice(0, -1));
    return rows === 1
      ? denseShape(l.name, k, n, batch)
      : convShape(l.name, { Fh: 1, Fw: 1, Cin: k, filters: n, outputPixels: rows, inputPixels: rows, batch });
  }
  const [m, , kh, kw] = l.weights.shape as [number, number, number, number];
  if (x.length !== 3 || l.shape.length !== 3) throw new UserError(`layer '${l.name}': conv needs [C,H,W] input and output shapes`);
  return convShape(l.name, {
    Fh: kh,
    Fw: kw,
    Cin: x[0]!,
    filters: m,
    outputPixels: l.shape[1]! * l.shape[2]!,
    inputPixels: x[1]! * x[2]!,
    batch,
    groups: l.group,
    im2col: {
      H: x[1]! + l.pads[0] + l.pads[2],
      W: x[2]! + l.pads[1] + l.pads[3],
      strides: l.strides,
      dilations: l.dilations,
    },
  });
}

interface TensorInfo {
  readonly shape: readonly number[];
  readonly quant: TensorQuant;
  readonly producer: IntLayer | null;
}

function tensorTable(m: IntModel): Map<string, TensorInfo> {
  const t = new Map<string, TensorInfo>([[m.input.name, { shape: m.input.shape, quant: m.input.quant, producer: null }]]);
  for (const l of m.layers) t.set(l.output, { shape: l.shape, quant: l.out, producer: l });
  return t;
}

function tensor(t: Map<string, TensorInfo>, name: string | undefined, layer: string): TensorInfo {
  const info = name === undefined ? undefined : t.get(name);
  if (!info)
    throw new UserError(`layer '${layer}': input tensor '${String(name)}' is not produced by any earlier layer or the model input`);
  return info;
}

function planGemm(m: IntModel, l: Gemm, t: Map<string, TensorInfo>, batch: number): NetworkLayerPlan {
  const x = tensor(t, l.inputs[0], l.name);
  const shape = gemmShape(l, x.shape, batch);
  const accs = accFormats(l);
  const { weight, acc } = representative(weightFormats(l.weights.quant, `layer '${l.name}' weights`), accs);
  const input = quantFormat(x.quant, `layer '${l.name}' input`);
  const out = quantFormat(l.out, `layer '${l.name}' out`);
  return {
    name: l.name,
    op: l.op,
    shape,
    widths: {
      weightBits: weight.width,
      inputBits: input.width,
      outputBits: out.width,
      accBits: acc.width,
      biasBits: l.bias ? acc.width : 0,
    },
    mac: { weight, input, acc },
    dotLength: shape.Fh * shape.Fw * (shape.Cin / (shape.groups ?? 1)),
    requant: requantSpec(l, accs),
    activationLayer: null,
    activation: null,
    fusedActivation: m.scheme === 'affine' && l.activation ? l.activation : null,
  };
}

/** via: the activation layer passed on the way (this one's unit runs after that one's). */
type Source = { gemm: Gemm | MatMulLayer; add: ResidualAdderSpec | null; via?: string; resized?: boolean };

/**
 * The dense/conv layers whose outputs an activation layer processes (rules in
 * the file comment), each with the residual add or elementwise mul passed on
 * the way (its first input is followed: the operand of the output's shape). A
 * concat is wiring: each of its inputs is followed, and the unit runs on the
 * part of the concatenation each layer produces (the sizes must add up).
 */
function sourceGemms(a: IntLayer, tensorName: string | undefined, t: Map<string, TensorInfo>): Source[] {
  let p = tensor(t, tensorName, a.name).producer;
  let add: ResidualAdderSpec | null = null;
  let resized = false;
  while (p && (PASS_THROUGH.has(p.op) || BESIDE_ARRAY.has(p.op) || RESIZING.has(p.op))) {
    resized ||= RESIZING.has(p.op);
    if ((p.op === 'add' || p.op === 'mul') && add === null && p.inputs.length === 2) {
      const q = p;
      add = {
        layer: q.name,
        ...(q.op === 'mul' ? { op: 'mul' as const } : {}),
        a: tensor(t, q.inputs[0], q.name).quant,
        b: tensor(t, q.inputs[1], q.name).quant,
        out: q.out,
      };
    }
    p = tensor(t, p.inputs[0], p.name).producer;
  }
  if (p?.op === 'concat' && add === null) {
    const live = p.inputs.filter((i) => tensor(t, i, p!.name).producer?.op !== 'constant');
    const up = live.flatMap((i) => sourceGemms(a, i, t));
    return resized || live.length < p.inputs.length ? up.map((u) => ({ ...u, resized: true })) : up;
  }
  if (p?.op === 'activation' && add === null && (resized || sizeOf(p.shape) === sizeOf(a.shape))) {
    const up = sourceGemms(p, p.inputs[0], t).map((u) => (resized ? { ...u, resized } : u));
    return up.length === 1 ? [{ ...up[0]!, via: p.name }] : up.map((u) => ({ ...u, via: p.name }));
  }
  if (!p || (p.op !== 'dense' && p.op !== 'conv' && p.op !== 'matmul')) {
    throw new UserError(
      `activation layer '${a.name}' does not follow a dense or conv layer ` +
        `(its input comes from ${p ? `${p.op} layer '${p.name}'` : 'the model input'}); the accelerator applies activation units to the array's outputs`,
    );
  }
  return [{ gemm: p, add, ...(resized ? { resized } : {}) }];
}

function sourceGemm(a: IntLayer, t: Map<string, TensorInfo>): Source[] {
  const s = sourceGemms(a, a.inputs[0], t);
  const total = s.reduce((n, x) => n + sizeOf(x.gemm.shape), 0);
  if (total !== sizeOf(a.shape) && !s.some((x) => x.resized))
    throw new UserError(
      `activation layer '${a.name}' does not follow dense or conv layers of the same size (${sizeOf(a.shape)} values; ${s.map((x) => `'${x.gemm.name}'`).join(', ')} give ${total}); the accelerator applies activation units to the array's outputs`,
    );
  return s;
}

/** The accelerator's layers of an integer model, in model order; `batch` samples per pass. */
export function planNetwork(m: IntModel, batch = 1): NetworkLayerPlan[] {
  const t = tensorTable(m);
  const plans = new Map<string, NetworkLayerPlan>();
  for (const l of m.layers) {
    if (l.op === 'dense' || l.op === 'conv') plans.set(l.name, planGemm(m, l, t, batch));
    if (l.op === 'matmul') plans.set(l.name, planMatMul(l, tensor(t, l.inputs[0], l.name), tensor(t, l.inputs[1], l.name), batch));
  }
  if (plans.size === 0) throw new UserError(`model '${m.name}' has no dense or conv layer to run on the array`);
  for (const a of m.layers) {
    if (a.op !== 'activation') continue;
    for (const { gemm: g, add, via } of sourceGemm(a, t)) {
      const plan = plans.get(g.name)!;
      const spec: ActivationUnitSpec = {
        activation: a.activation,
        in: a.in,
        out: a.out,
        ...(m.scheme === 'affine' && m.requant ? { requant: m.requant } : {}),
      };
      const chain = [plan.activationLayer, ...(plan.then ?? []).map((u) => u.layer)];
      if (via !== undefined && plan.activationLayer !== null && chain[chain.length - 1] === via) {
        plans.set(g.name, { ...plan, then: [...(plan.then ?? []), { layer: a.name, unit: spec }] });
        continue;
      }
      if (plan.activationLayer !== null) {
        plans.set(g.name, { ...plan, then: [...(plan.then ?? []), { layer: a.name, unit: spec, parallel: true }] });
        continue;
      }
      plans.set(g.name, { ...plan, activationLayer: a.name, activation: spec, residualAdd: add });
    }
  }
  return [...plans.values()];
}
