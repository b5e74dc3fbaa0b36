/*
 * Random small integer models for property tests: random layer sequences
 * (dense, conv with groups/stride/pads/dilation, pools, global average,
 * transpose, flatten, residual add, concat, activations of every kind), random
 * formats with every rounding and overflow mode, random weights, and either
 * exact or deliberately narrowed accumulators. Built from a seed with a small
 * PRNG, so a failing case is replayed from the seed fast-check prints.
 */
import type { FixedFormat, Overflow, Rounding } from '../../src/fixedpoint/types.js';
import { OVERFLOWS, ROUNDINGS } from '../../src/fixedpoint/types.js';
import { formatToString } from '../../src/fixedpoint/format.js';
import { ACTIVATION_KINDS } from '../../src/activations/float.js';
import { Rng } from '../../src/random.js';
import { channelBounds } from '../../src/sim/quantize/exactness.js';
import { layerShape } from '../../src/sim/quantize/shapes.js';
import { INT_MODEL_FORMAT, type IntLayer, type IntModel, type TensorQuant } from '../../src/sim/quantize/model.js';

/** The models room's seeded Rng, with the draws these generators use. */
export class Prng extends Rng {
  /** Uniform integer in [lo, hi]. */
  override int(lo: number, hi?: number): number {
    return hi === undefined ? super.int(lo) : lo + super.int(hi - lo + 1);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(0, a.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface RandomModelOptions {
  /** Probability that a dense/conv accumulator is narrowed below its worst case (default 0.3). */
  narrowAcc?: number;
  /** Largest tensor width (default 12). */
  maxWidth?: number;
}

function randomFormat(r: Prng, maxWidth: number, signed = r.chance(0.7)): FixedFormat {
  const width = r.int(2, maxWidth);
  return { signed, width, intBits: r.int(-2, Math.min(width + 2, 8)), rounding: r.pick(ROUNDINGS), overflow: r.pick(OVERFLOWS) };
}

const q = (f: FixedFormat): TensorQuant => ({ kind: 'pow2', format: formatToString(f) });

function randomCode(r: Prng, f: FixedFormat): number {
  const lo = f.signed ? -(2 ** (f.width - 1)) : 0;
  const hi = (f.signed ? 2 ** (f.width - 1) : 2 ** f.width) - 1;
  return r.int(lo, hi);
}

interface Cur {
  name: string;
  shape: number[];
  fmt: FixedFormat;
}

class Builder {
  layers: IntLayer[] = [];
  private n = 0;
  constructor(
    readonly r: Prng,
    readonly o: Required<RandomModelOptions>,
  ) {}

  add(l: Omit<IntLayer, 'shape' | 'name' | 'output'> & { op: IntLayer['op'] }, ins: Cur[], fmt: FixedFormat): Cur {
    const name = `${l.op}${this.n++}`;
    const layer = {
      ...l,
      name,
      output: `t_${name}`,
      inputs: ins.map((c) => c.name),
      shape: (l as { shape?: number[] }).shape ?? [],
      out: q(fmt),
    } as IntLayer;
    layer.shape = layerShape(
      layer,
      ins.map((c) => c.shape),
      name,
    );
    this.layers.push(layer);
    return { name: layer.output, shape: layer.shape, fmt };
  }

  linearParts(inFmt: FixedFormat, M: number, per: number) {
    const r = this.r;
    const perChannel = r.chance(0.4);
    const wf = Array.from({ length: perChannel ? M : 1 }, () => randomFormat(r, 8, true));
    const fm = (m: number) => wf[perChannel ? m : 0]!;
    const codes = Array.from({ length: M * per }, (_, i) => randomCode(r, fm(Math.floor(i / per))));
    const fp = (m: number) => fm(m).width - fm(m).intBits + inFmt.width - inFmt.intBits;
    const shiftAcc = r.chance(0.25) ? r.int(-2, 2) : 0;
    const narrow = r.chance(this.o.narrowAcc);
    const accF = (m: number, bias: number[] | undefined): FixedFormat => {
      const F = fp(m) + shiftAcc;
      const accs = Array.from({ length: M }, () => ({
        signed: true,
        width: 40,
        intBits: 40 - F,
        rounding: 'TRN' as Rounding,
        overflow: 'WRAP' as Overflow,
      }));
      const b = channelBounds(
        codes,
        per,
        Array.from({ length: M }, (_, k) => fm(k)),
        inFmt,
        accs,
        bias,
      )[m]!.bound;
      const need = Math.max(2, Math.ceil(Math.log2(b + 1)) + 1);
      const width = narrow ? Math.max(2, need - r.int(1, 4)) : need;
      return { signed: true, width, intBits: width - F, rounding: r.pick(ROUNDINGS), overflow: r.pick(OVERFLOWS) };
    };
    const bias = r.chance(0.8)
      ? Array.from({ length: M }, (_, m) => r.int(-(2 ** Math.max(0, Math.min(fp(m) + 3, 20))), 2 ** Math.max(0, Math.min(fp(m) + 3, 20))))
      : undefined;
    const accFormats = perChannel ? Array.from({ length: M }, (_, m) => formatToString(accF(m, bias))) : [formatToString(accF(0, bias))];
    const quant = perChannel ? { kind: 'pow2-channel' as const, axis: 0 as const, formats: wf.map(formatToString) } : q(wf[0]!);
    return { codes, quant, bias, acc: { kind: 'pow2' as const, formats: accFormats, bound: 0 } };
  }

  dense(x: Cur): Cur {
    const K = x.shape[x.shape.length - 1]!,
      N = this.r.int(1, 6);
    const p = this.linearParts(x.fmt, N, K);
    return this.add(
      { op: 'dense', weights: { shape: [N, K], codes: p.codes, quant: p.quant }, bias: p.bias, acc: p.acc } as never,
      [x],
      randomFormat(this.r, this.o.maxWidth),
    );
  }

  conv(x: Cur): Cur {
    const r = this.r;
    const C = x.shape[0]!;
    const group = r.chance(0.3) ? C : 1;
    const M = group === C && group > 1 ? C * r.int(1, 2) : r.int(1, 4);
    const k: [number, number] = [r.int(1, Math.min(3, x.shape[1]!)), r.int(1, Math.min(3, x.shape[2]!))];
    const pads: [number, number, number, number] = [r.int(0, 1), r.int(0, 1), r.int(0, 1), r.int(0, 1)];
    const dil: [number, number] = [k[0] > 1 && x.shape[1]! >= 5 && r.chance(0.3) ? 2 : 1, 1];
    const p = this.linearParts(x.fmt, M, (C / group) * k[0] * k[1]);
    return this.add(
      {
        op: 'conv',
        kernel: k,
        strides: [r.int(1, 2), r.int(1, 2)],
        pads,
        dilations: dil,
        group,
        weights: { shape: [M, C / group, k[0], k[1]], codes: p.codes, quant: p.quant },
        bias: p.bias,
        acc: p.acc,
      } as never,
      [x],
      randomFormat(r, this.o.maxWidth),
    );
  }

  pool(x: Cur): Cur {
    const r = this.r;
    const isMax = r.chance(0.5);
    const k: [number, number] = [r.int(1, Math.min(3, x.shape[1]!)), r.int(1, Math.min(3, x.shape[2]!))];
    const pads: [number, number, number, number] = [r.int(0, k[0] - 1), r.int(0, k[1] - 1), r.int(0, k[0] - 1), r.int(0, k[1] - 1)];
    return this.add(
      {
        op: isMax ? 'maxpool' : 'avgpool',
        kernel: k,
        strides: [r.int(1, 2), r.int(1, 2)],
        pads,
        dilations: [1, 1],
        ceilMode: r.chance(0.3),
        countIncludePad: r.chance(0.5),
      } as never,
      [x],
      isMax ? x.fmt : randomFormat(r, this.o.maxWidth),
    );
  }

  activation(x: Cur): Cur {
    const r = this.r;
    const kind = r.pick(ACTIVATION_KINDS);
    const table = ['hardswish', 'gelu', 'silu', 'sigmoid', 'tanh', 'elu'].includes(kind);
    let inCur = x;
    // Table units get inputs of at most 8 bits (small ROMs); convert first when wider.
    if (table && x.fmt.width > 8) inCur = this.concatOf([x], { ...randomFormat(r, 8), rounding: r.pick(ROUNDINGS) });
    const act =
      kind === 'leakyrelu'
        ? `leakyrelu:${r.pick([0.125, 0.01, 0.3, 1.5])}`
        : kind === 'clamp'
          ? r.pick(['clamp:-1:1', 'clamp:-0.3:2.5'])
          : kind === 'elu'
            ? r.pick(['elu', 'elu:0.5'])
            : kind;
    return this.add(
      { op: 'activation', activation: act, in: q(inCur.fmt), circuit: { name: act, gates: 0, depth: 0, transistors: 0 } } as never,
      [inCur],
      randomFormat(r, table ? 8 : this.o.maxWidth),
    );
  }

  concatOf(xs: Cur[], fmt: FixedFormat, axis = 0): Cur {
    return this.add({ op: 'concat', axis } as never, xs, fmt);
  }
}

/** One random step on the current tensor. */
function step(b: Builder, x: Cur): Cur {
  const r = b.r;
  const image = x.shape.length === 3;
  const choices = image
    ? ['conv', 'conv', 'pool', 'gap', 'transpose', 'flatten', 'act', 'act', 'add', 'concat']
    : ['dense', 'dense', 'act', 'act', 'add', 'concat', 'reshape'];
  switch (r.pick(choices)) {
    case 'dense':
      return b.dense(x);
    case 'conv':
      return b.conv(x);
    case 'pool':
      return b.pool(x);
    case 'gap':
      return b.add({ op: 'globalavgpool' } as never, [x], randomFormat(r, b.o.maxWidth));
    case 'transpose': {
      const perm = r.pick([
        [0, 2, 1],
        [1, 0, 2],
        [2, 1, 0],
        [0, 1, 2],
      ]);
      return b.add({ op: 'transpose', perm } as never, [x], x.fmt);
    }
    case 'flatten':
      return b.add({ op: 'flatten' } as never, [x], x.fmt);
    case 'reshape':
      return b.add({ op: 'reshape', shape: [1, x.shape.reduce((a, d) => a * d, 1)] } as never, [x], x.fmt);
    case 'act':
      return b.activation(x);
    case 'add': {
      const y = b.activation(x);
      return b.add({ op: 'add' } as never, [x, y], randomFormat(r, b.o.maxWidth));
    }
    default: {
      const y = b.activation(x);
      return b.concatOf([x, y], randomFormat(r, b.o.maxWidth), r.int(0, x.shape.length - 1));
    }
  }
}

export interface RandomCase {
  model: IntModel;
  /** `batch` samples of raw input values. */
  input: Float64Array;
  batch: number;
}

/** A random model of 1..5 steps and a random input batch (values spanning and exceeding the input format's range). */
export function randomModel(seed: number, opts: RandomModelOptions = {}): RandomCase {
  const r = new Prng(seed);
  const o = { narrowAcc: opts.narrowAcc ?? 0.3, maxWidth: opts.maxWidth ?? 12 };
  const b = new Builder(r, o);
  const image = r.chance(0.5);
  const shape = image ? [r.int(1, 3), r.int(3, 6), r.int(3, 6)] : [r.int(1, 10)];
  const inFmt = randomFormat(r, 10);
  let x: Cur = { name: 'x', shape, fmt: inFmt };
  const steps = r.int(1, 5);
  for (let i = 0; i < steps; i++) x = step(b, x);
  const model: IntModel = {
    format: INT_MODEL_FORMAT,
    schemaVersion: 1,
    name: `random-${seed}`,
    scheme: 'pow2',
    input: { name: 'x', shape, quant: q(inFmt), rawScaleLog2: r.chance(0.2) ? r.int(-3, 3) : undefined },
    layers: b.layers,
    outputs: [x.name],
    metadata: {},
  };
  const batch = r.int(1, 3);
  const size = shape.reduce((a, d) => a * d, 1);
  const span = 2 ** (inFmt.intBits + 1);
  const input = Float64Array.from({ length: batch * size }, () => {
    const v = (r.next() - 0.5) * span;
    // a quarter of the values sit exactly on ties of the input grid
    return r.chance(0.25) ? (Math.floor(v * 2 ** (inFmt.width - inFmt.intBits)) + 0.5) / 2 ** (inFmt.width - inFmt.intBits) : v;
  });
  return { model, input, batch };
}
