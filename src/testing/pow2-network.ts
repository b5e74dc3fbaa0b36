import fc from 'fast-check';
import { formatToString, fracBits, maxCode, minCode } from '../fixedpoint/format.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { channelBounds } from '../sim/quantize/exactness.js';
import { INT_MODEL_FORMAT, INT_MODEL_SCHEMA_VERSION, type IntLayer, type Pow2Model, type Pow2Quant } from '../sim/quantize/model.js';
import { layerShape } from '../sim/quantize/shapes.js';
import {
  arbInputPlan,
  arbLayerPlan,
  arbSmallFormat,
  codeAt,
  inputShapeOf,
  planWindow,
  TABLE_ACTIVATIONS,
  type InputPlan,
  type LayerPlan,
  type PlanOptions,
} from './layer-plan.js';

/*
 * Random pow2 networks (the integer model of quantize/model.ts) built from a
 * plan: dense, conv (plain or depthwise), max and average pools, global
 * average pool, flatten, activations of every kind, residual add and concat,
 * with every rounding and overflow mode and optionally narrowed
 * accumulators. A layer kind that does not fit the current tensor (conv on a
 * vector) becomes an activation.
 */

const q = (f: FixedFormat): Pow2Quant => ({ kind: 'pow2', format: formatToString(f) });
const num = (b: bigint): number => Number(b);

interface Cur {
  name: string;
  shape: number[];
  fmt: FixedFormat;
}

const PERMS = [
  [0, 2, 1],
  [1, 0, 2],
  [2, 1, 0],
];

class Pow2Builder {
  readonly layers: IntLayer[] = [];

  private add(l: Record<string, unknown> & { op: IntLayer['op'] }, ins: Cur[], fmt: FixedFormat): Cur {
    const name = `${l.op}${this.layers.length}`;
    const layer = {
      shape: [],
      ...l,
      name,
      inputs: ins.map((c) => c.name),
      output: `t${this.layers.length}`,
      out: q(fmt),
    } as unknown as IntLayer;
    layer.shape = layerShape(
      layer,
      ins.map((c) => c.shape),
      name,
    );
    this.layers.push(layer);
    return { name: layer.output, shape: layer.shape, fmt };
  }

  /** Weights, bias and an accumulator at F_w + F_x (exact products) wide enough for the worst case, less plan.narrow bits. */
  private linearParts(p: LayerPlan, x: FixedFormat, M: number, per: number) {
    const wf = p.weightFormat;
    const codes = Array.from({ length: M * per }, (_, i) => codeAt(p.weights, i, num(minCode(wf)), num(maxCode(wf))));
    const F = fracBits(wf) + fracBits(x);
    const bias = p.bias.length === 0 ? undefined : Array.from({ length: M }, (_, m) => p.bias[m % p.bias.length]!);
    const wide: FixedFormat = { signed: true, width: 53, intBits: 53 - F, rounding: 'TRN', overflow: 'WRAP' };
    const bounds = channelBounds(codes, per, new Array<FixedFormat>(M).fill(wf), x, new Array<FixedFormat>(M).fill(wide), bias);
    const worst = Math.max(...bounds.map((b) => b.bound));
    const width = Math.max(2, Math.ceil(Math.log2(worst + 1)) + 1 - p.narrow);
    const acc: FixedFormat = { signed: true, width, intBits: width - F, rounding: p.outFormat.rounding, overflow: p.outFormat.overflow };
    return { codes, quant: q(wf), bias, acc: { kind: 'pow2' as const, formats: [formatToString(acc)], bound: worst } };
  }

  dense(p: LayerPlan, x: Cur): Cur {
    const K = x.shape[x.shape.length - 1]!,
      N = p.units;
    const w = this.linearParts(p, x.fmt, N, K);
    return this.add(
      { op: 'dense', weights: { shape: [N, K], codes: w.codes, quant: w.quant }, bias: w.bias, acc: w.acc },
      [x],
      p.outFormat,
    );
  }

  conv(p: LayerPlan, x: Cur): Cur {
    const [C, H, W] = x.shape as [number, number, number];
    const group = p.depthwise ? C : 1;
    const M = p.depthwise ? C : p.units;
    const { window } = planWindow(p, H, W, false);
    const w = this.linearParts(p, x.fmt, M, (C / group) * window.kernel[0] * window.kernel[1]);
    return this.add(
      {
        op: 'conv',
        ...window,
        group,
        weights: { shape: [M, C / group, ...window.kernel], codes: w.codes, quant: w.quant },
        bias: w.bias,
        acc: w.acc,
      },
      [x],
      p.outFormat,
    );
  }

  pool(p: LayerPlan, x: Cur, op: 'maxpool' | 'avgpool'): Cur {
    const { window } = planWindow(p, x.shape[1]!, x.shape[2]!, p.ceil);
    return this.add({ op, ...window, ceilMode: p.ceil, countIncludePad: p.countPad }, [x], op === 'maxpool' ? x.fmt : p.outFormat);
  }

  activation(p: LayerPlan, x: Cur): Cur {
    const table = TABLE_ACTIVATIONS.has(p.activation.split(':')[0]!);
    // table-built units take inputs of at most 8 bits: convert first (a one-input concat) when wider
    const input = table && x.fmt.width > 8 ? this.add({ op: 'concat', axis: 0 }, [x], { ...x.fmt, width: 8 }) : x;
    const out = table ? { ...p.outFormat, width: Math.min(p.outFormat.width, 8) } : p.outFormat;
    return this.add(
      { op: 'activation', activation: p.activation, in: q(input.fmt), circuit: { name: p.activation, gates: 0, depth: 0, transistors: 0 } },
      [input],
      out,
    );
  }

  step(p: LayerPlan, x: Cur): Cur {
    const image = x.shape.length === 3;
    switch (p.kind) {
      case 'dense':
        return this.dense(p, x);
      case 'conv':
        return image ? this.conv(p, x) : this.activation(p, x);
      case 'maxpool':
      case 'avgpool':
        return image ? this.pool(p, x, p.kind) : this.activation(p, x);
      case 'globalavgpool':
        return image ? this.add({ op: 'globalavgpool' }, [x], p.outFormat) : this.activation(p, x);
      case 'flatten':
        return this.add({ op: 'flatten' }, [x], x.fmt);
      case 'transpose':
        return this.add({ op: 'transpose', perm: image ? PERMS[p.axis]! : x.shape.map((_, i) => x.shape.length - 1 - i) }, [x], x.fmt);
      case 'reshape':
        return this.add({ op: 'reshape', shape: [1, x.shape.reduce((a, d) => a * d, 1)] }, [x], x.fmt);
      case 'activation':
        return this.activation(p, x);
      case 'add':
        return this.add({ op: 'add' }, [x, this.activation(p, x)], p.outFormat);
      case 'concat':
        return this.add({ op: 'concat', axis: p.axis % x.shape.length }, [x, this.activation(p, x)], p.outFormat);
    }
  }
}

/** A pow2 model from its plan (deterministic: the same plan gives the same model). */
export function pow2ModelOf(input: InputPlan, inFormat: FixedFormat, plans: readonly LayerPlan[]): Pow2Model {
  const b = new Pow2Builder();
  const shape = inputShapeOf(input);
  let x: Cur = { name: 'x', shape, fmt: inFormat };
  for (const p of plans) x = b.step(p, x);
  return {
    format: INT_MODEL_FORMAT,
    schemaVersion: INT_MODEL_SCHEMA_VERSION,
    name: 'random-pow2',
    scheme: 'pow2',
    input: { name: 'x', shape, quant: q(inFormat) },
    layers: b.layers,
    outputs: [x.name],
    metadata: {},
  };
}

export interface ArbNetworkOptions extends PlanOptions {
  /** Layer plans per network (default 1..4; a plan may add up to three layers). */
  minLayers?: number;
  maxLayers?: number;
}

/** Shrinkable random pow2 networks: a failing one shrinks to fewer layers, smaller shapes, narrower formats, zero weights. */
export function arbPow2Model(o: ArbNetworkOptions = {}): fc.Arbitrary<Pow2Model> {
  return fc
    .tuple(
      arbInputPlan,
      arbSmallFormat({ maxWidth: o.maxWidth ?? 10 }),
      fc.array(arbLayerPlan(o), { minLength: o.minLayers ?? 1, maxLength: o.maxLayers ?? 4 }),
    )
    .map(([input, fmt, plans]) => pow2ModelOf(input, fmt, plans));
}
