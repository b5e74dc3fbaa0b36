import { describe, expect, it } from 'vitest';
import {
  buildPe,
  buildRequant,
  costNetwork,
  energyBreakdown,
  peToggleEnergy,
  planNetwork,
  resolveTech,
  type MacFormats,
} from '../../src/hardware/index.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { VectorRng, type Tech } from '../../src/netlist/index.js';
import type { Netlist } from '../../src/netlist/ir.js';
import type { ConvLayer, DenseLayer, IntModel } from '../../src/sim/quantize/model.js';
import { pow2Cnn, pow2Mlp, type Pow2Formats } from './network/models.js';
import { gate } from '../netlist/helpers.js';

/*
 * PE energy on real operands (pe-toggles.ts) against an independent count:
 * the operand stream enumerated here with plain loops over the model's
 * weights and hand-made input codes (dense: sample, output, k; conv: sample,
 * filter, output row, output column, then channel, kernel row, kernel column,
 * zero code outside the image), the running sums re-derived with bigints, and
 * the PE netlist evaluated one vector at a time by a scalar evaluator written
 * here from the cells' meanings (Yosys simple cells, registers transparent),
 * toggles counted per cell between consecutive vectors. Energy per MAC =
 * sum of toggles x cell energy / (vectors - 1) + registers x clock energy.
 */

// weight LSB 2^-2, input LSB 2^-2: products have 4 fraction bits, as the accumulator
const SMALL: Pow2Formats = { input: 'fixed<4,2>', weight: 'fixed<3,1>', acc: 'fixed<10,6>', act: 'fixed<4,2,RND_CONV,SAT>' };
const tech = resolveTech('nangate45').tech;

/** Every cell's output value for one vector of raw port patterns. */
function evaluate(net: Netlist, ports: Record<string, number>): number[] {
  const val = new Map<number, number>([
    [0, 0],
    [1, 1],
  ]);
  for (const p of net.ports) {
    if (p.direction !== 'input') continue;
    const x = BigInt(ports[p.name] ?? 0);
    p.bits.forEach((bit, i) => val.set(bit, Number((x >> BigInt(i)) & 1n)));
  }
  for (let pass = 0; pass < 3; pass++) {
    for (const c of net.cells)
      val.set(
        c.output,
        gate(c.type, ...([0, 1, 2].map((k) => (c.inputs[k] === undefined ? 0 : (val.get(c.inputs[k]!) ?? 0))) as [number, number, number])),
      );
  }
  return net.cells.map((c) => val.get(c.output)!);
}

function expectedEnergy(f: MacFormats, stream: readonly (readonly [number, number])[], dotLength: number, t: Tech): number {
  const net = buildPe(f);
  const raw = (code: bigint, width: number) => Number(BigInt.asUintN(width, code));
  const toggles = new Array<number>(net.cells.length).fill(0);
  let prev: number[] | null = null;
  let sum = 0n;
  stream.forEach(([w, x], k) => {
    if (k % dotLength === 0) sum = 0n;
    const v = evaluate(net, { w: raw(BigInt(w), f.weight.width), x: raw(BigInt(x), f.input.width), acc: raw(sum, f.acc.width) });
    if (prev) v.forEach((b, i) => (toggles[i]! += b !== prev![i] ? 1 : 0));
    prev = v;
    sum = BigInt.asIntN(f.acc.width, sum + BigInt(w) * BigInt(x)); // aligned: no shift
  });
  const regs = net.cells.filter((c) => c.type === '$_DFF_P_').length;
  const fj = net.cells.reduce((s, c, i) => s + toggles[i]! * t.cells[c.type].energyFj, 0);
  return fj / (stream.length - 1) + regs * t.dffClockEnergyFj;
}

const MAC: MacFormats = { weight: parseFormat(SMALL.weight), input: parseFormat(SMALL.input), acc: parseFormat(SMALL.acc) };

function inputCodes(n: number, seed: number): number[] {
  const rng = new VectorRng(seed);
  return Array.from({ length: n }, () => rng.bits(4) - 8);
}

function denseStream(l: DenseLayer, x: readonly number[], samples: number, dots?: readonly number[]): [number, number][] {
  const [n, K] = l.weights.shape as [number, number];
  const all: [number, number][][] = [];
  for (let s = 0; s < samples; s++)
    for (let j = 0; j < n; j++) all.push(Array.from({ length: K }, (_, k) => [l.weights.codes[j * K + k]!, x[s * K + k]!]));
  return (dots ?? all.map((_, i) => i)).flatMap((d) => all[d]!);
}

function convStream(l: ConvLayer, x: readonly number[], C: number, H: number, W: number, samples: number): [number, number][] {
  const [M, Cg, kh, kw] = l.weights.shape as [number, number, number, number];
  const [, Ho, Wo] = l.shape as [number, number, number];
  const out: [number, number][] = [];
  for (let s = 0; s < samples; s++)
    for (let m = 0; m < M; m++)
      for (let oh = 0; oh < Ho; oh++)
        for (let ow = 0; ow < Wo; ow++)
          for (let c = 0; c < Cg; c++)
            for (let r = 0; r < kh; r++)
              for (let q = 0; q < kw; q++) {
                const ih = oh * l.strides[0] - l.pads[0] + r;
                const iw = ow * l.strides[1] - l.pads[1] + q;
                const ch = Math.floor(m / (M / l.group)) * Cg + c;
                const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                out.push([l.weights.codes[((m * Cg + c) * kh + r) * kw + q]!, inside ? x[((s * C + ch) * H + ih) * W + iw]! : 0]);
              }
  return out;
}

const layer = <T>(m: IntModel, name: string) => m.layers.find((l) => l.name === name) as T;

describe('PE energy on real operands', () => {
  it('dense: every dot product, equal to the scalar evaluation of the PE', () => {
    const m = pow2Mlp([3, 2], 'relu', SMALL);
    const x = inputCodes(2 * 3, 5);
    const [row] = peToggleEnergy(m, planNetwork(m), new Map([['x', x]]), 2, tech, 1e6);
    expect(row).toMatchObject({ layer: 'fc1', dotProducts: 4, macs: 12 });
    expect(row!.energyFjPerMac).toBeCloseTo(expectedEnergy(MAC, denseStream(layer(m, 'fc1'), x, 2), 3, tech), 9);
  });

  it("pow2 requantization unit on the dot products' accumulators (bias + products), scalar evaluation", () => {
    const m = pow2Mlp([3, 2], 'relu', SMALL);
    const x = inputCodes(3 * 3, 9);
    const plan = planNetwork(m)[0]!;
    const [row] = peToggleEnergy(m, [plan], new Map([['x', x]]), 3, tech, 1e6);
    const l = layer<DenseLayer>(m, 'fc1');
    const net = buildRequant(plan.requant!);
    expect(net.inputs().map((p) => p.name)).toEqual(['acc']); // one format: no shift port
    const width = net.inputs()[0]!.bits.length;
    const toggles = new Array<number>(net.cells.length).fill(0);
    let prev: number[] | null = null;
    for (let s = 0; s < 3; s++)
      for (let j = 0; j < 2; j++) {
        let acc = BigInt(l.bias![j]!);
        for (let k = 0; k < 3; k++) acc += BigInt(l.weights.codes[j * 3 + k]!) * BigInt(x[s * 3 + k]!);
        const v = evaluate(net, { acc: Number(BigInt.asUintN(width, acc)) });
        if (prev) v.forEach((b, i) => (toggles[i]! += b !== prev![i] ? 1 : 0));
        prev = v;
      }
    const want = net.cells.reduce((e, c, i) => e + toggles[i]! * tech.cells[c.type].energyFj, 0) / 5;
    expect(want).toBeGreaterThan(0);
    expect(row!.requantFjPerOp).toBeCloseTo(want, 9);
  });

  it('dense, sampled: D = floor(maxMacs / K) dot products, dot floor(i N / D) of N', () => {
    const m = pow2Mlp([3, 5], 'relu', SMALL);
    const x = inputCodes(4 * 3, 6);
    const [row] = peToggleEnergy(m, planNetwork(m), new Map([['x', x]]), 4, tech, 30);
    expect(row).toMatchObject({ dotProducts: 10, macs: 30 });
    const dots = Array.from({ length: 10 }, (_, i) => Math.floor((i * 20) / 10));
    expect(row!.energyFjPerMac).toBeCloseTo(expectedEnergy(MAC, denseStream(layer(m, 'fc1'), x, 4, dots), 3, tech), 9);
  });

  it('grouped, strided, padded conv: equal to the scalar evaluation of the PE', () => {
    const m = pow2Cnn([2, 5, 5], [{ filters: 4, kernel: 3, stride: 2, pad: 1, group: 2 }], 3, 'relu', SMALL);
    const x = inputCodes(2 * 2 * 5 * 5, 7);
    const flat = inputCodes(2 * 4 * 3 * 3, 8);
    const rows = peToggleEnergy(
      m,
      planNetwork(m),
      new Map([
        ['x', x],
        ['flat', flat],
      ]),
      2,
      tech,
      1e6,
    );
    expect(rows[0]).toMatchObject({ layer: 'conv1', dotProducts: 2 * 4 * 9, macs: 2 * 4 * 9 * 9 });
    const want = expectedEnergy(MAC, convStream(layer(m, 'conv1'), x, 2, 5, 5, 2), 9, tech);
    expect(rows[0]!.energyFjPerMac).toBeCloseTo(want, 9);
    // the fc layer reads the flattened codes
    expect(rows[1]!.energyFjPerMac).toBeCloseTo(expectedEnergy(MAC, denseStream(layer(m, 'fc'), flat, 2), 36, tech), 9);
  });
});

describe('energy per inference by layer and component', () => {
  it('on chip it adds up to the report; DRAM adds its range; real PE energy = MACs x energy per MAC', () => {
    const m = pow2Mlp([16, 8, 4]);
    const r = costNetwork(m, { dramBytesPerCycle: 2, sramKb: { ifmap: 1, filter: 1, ofmap: 1 } });
    const e = energyBreakdown(r, resolveTech('nangate45'));
    expect(e.total.onChip).toBeCloseTo(r.total.energyPj, 6);
    const dram = r.layers.reduce((s, l) => s + l.dram!.energyPj.low, 0);
    expect(e.total.total.low).toBeCloseTo(r.total.energyPj + dram, 6);
    expect(e.total.dram!.high).toBeCloseTo(2 * e.total.dram!.low, 6); // 2.6 / 1.3 nJ
    const pe = [{ layer: 'fc1', dotProducts: 1, macs: 16, energyFjPerMac: 100 }];
    const real = energyBreakdown(r, resolveTech('nangate45'), { samples: 2, dataset: 'd', pe, activations: [] });
    expect(real.layers[0]!.pe).toBeCloseTo((16 * 8 * 100) / 1e3, 9);
    expect(real.layers[1]!.pe).toBe(e.layers[1]!.pe);
    expect(costNetwork(m).layers.every((l) => l.dram === null)).toBe(true);
    expect(energyBreakdown(costNetwork(m), resolveTech('nangate45')).total.dram).toBeNull();
  });
});
