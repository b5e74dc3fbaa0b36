// Float engine kernels against naive definitions written here (explicit
// padding and index arithmetic), plus the float32 rounding points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, runFloat, type ConvNode, type GraphNode, type PoolNode } from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';
import { rng } from './onnx-helpers.js';

const single = (node: GraphNode, shape: number[]) =>
  buildGraph({ name: 't', inputs: [{ name: 'x', shape }], outputs: [node.output], nodes: [node], metadata: {} });
const randArr = (n: number, r: () => number) => Float64Array.from({ length: n }, () => r() * 2 - 1);

/** out[m][oh][ow] = b[m] + sum over c in the group, i, j of W * padded input. */
function naiveConv(
  x: Float64Array,
  [_C, H, W]: number[],
  w: Float64Array,
  [M, Cg, KH, KW]: number[],
  b: Float64Array,
  s: number[],
  p: number[],
  d: number[],
  g: number,
): { y: number[]; shape: number[] } {
  const OH = Math.floor((H + p[0]! + p[2]! - d[0]! * (KH - 1) - 1) / s[0]!) + 1;
  const OW = Math.floor((W + p[1]! + p[3]! - d[1]! * (KW - 1) - 1) / s[1]!) + 1;
  const at = (c: number, h: number, v: number) => (h < 0 || h >= H || v < 0 || v >= W ? 0 : x[(c * H + h) * W + v]!);
  const y: number[] = [];
  for (let m = 0; m < M; m++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const grp = Math.floor(m / (M / g));
        let acc = 0;
        for (let c = 0; c < Cg; c++)
          for (let i = 0; i < KH; i++)
            for (let j = 0; j < KW; j++) {
              acc +=
                w[((m * Cg + c) * KH + i) * KW + j]! * at(grp * Cg + c, oh * s[0]! - p[0]! + i * d[0]!, ow * s[1]! - p[1]! + j * d[1]!);
            }
        y.push(acc + b[m]!);
      }
  return { y, shape: [M, OH, OW] };
}

describe('Conv', () => {
  // Both kernels are exercised: im2col (ungrouped, >= 4 filters, >= 16 taps) and the direct loops.
  it('equals the naive definition for random strides, pads, dilations and groups', () => {
    const arb = fc.record({
      g: fc.constantFrom(1, 1, 2, 3),
      cpg: fc.integer({ min: 1, max: 3 }),
      mpg: fc.integer({ min: 1, max: 5 }),
      H: fc.integer({ min: 3, max: 9 }),
      W: fc.integer({ min: 3, max: 9 }),
      KH: fc.integer({ min: 1, max: 3 }),
      KW: fc.integer({ min: 1, max: 3 }),
      s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      p: fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const C = a.g * a.cpg,
          M = a.g * a.mpg;
        fc.pre(a.H + a.p[0] + a.p[2] >= a.d[0] * (a.KH - 1) + 1 && a.W + a.p[1] + a.p[3] >= a.d[1] * (a.KW - 1) + 1);
        const r = rng(a.seed);
        const x = randArr(2 * C * a.H * a.W, r),
          w = randArr(M * a.cpg * a.KH * a.KW, r),
          b = randArr(M, r);
        const node: ConvNode = {
          op: 'Conv',
          name: 'c',
          inputs: ['x'],
          output: 'y',
          attrs: { kernel: [a.KH, a.KW], strides: a.s, pads: a.p, dilations: a.d, group: a.g },
          weights: { W: { shape: [M, a.cpg, a.KH, a.KW], data: w }, B: { shape: [M], data: b } },
        };
        const got = runFloat(single(node, [C, a.H, a.W]), x, 2).output;
        const per = C * a.H * a.W;
        const want = [0, 1].flatMap(
          (n) => naiveConv(x.subarray(n * per, (n + 1) * per), [C, a.H, a.W], w, [M, a.cpg, a.KH, a.KW], b, a.s, a.p, a.d, a.g).y,
        );
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-12));
      }),
      { seed: 42, numRuns: 80 },
    );
  });
});

describe('Conv, im2col path', () => {
  it('ungrouped convolutions with many taps equal the naive definition', () => {
    const r = rng(77);
    for (const [C, M, KH, KW, s, p, d] of [
      [3, 6, 3, 3, [2, 1], [1, 0, 2, 1], [1, 2]],
      [4, 8, 2, 2, [1, 1], [0, 0, 0, 0], [1, 1]],
      [2, 5, 3, 5, [1, 2], [2, 2, 2, 2], [2, 1]],
    ] as const) {
      const [H, W] = [9, 10];
      const x = randArr(3 * C * H * W, r),
        w = randArr(M * C * KH * KW, r),
        b = randArr(M, r);
      const node: ConvNode = {
        op: 'Conv',
        name: 'c',
        inputs: ['x'],
        output: 'y',
        attrs: { kernel: [KH, KW], strides: s, pads: p, dilations: d, group: 1 },
        weights: { W: { shape: [M, C, KH, KW], data: w }, B: { shape: [M], data: b } },
      };
      const got = runFloat(single(node, [C, H, W]), x, 3).output;
      const per = C * H * W;
      const want = [0, 1, 2].flatMap(
        (n) => naiveConv(x.subarray(n * per, (n + 1) * per), [C, H, W], w, [M, C, KH, KW], b, [...s], [...p], [...d], 1).y,
      );
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-12));
    }
  });
});

describe('pools', () => {
  const pool = (op: 'MaxPool' | 'AveragePool', countIncludePad: boolean): PoolNode => ({
    op,
    name: 'p',
    inputs: ['x'],
    output: 'y',
    attrs: { kernel: [2, 3], strides: [2, 2], pads: [1, 1, 0, 2], dilations: [1, 1], ceilMode: false, countIncludePad },
  });
  const x = Float64Array.from({ length: 20 }, (_, i) => ((i * 7) % 11) - 5); // [1, 4, 5]
  const at = (h: number, w: number) => (h < 0 || h >= 4 || w < 0 || w >= 5 ? undefined : x[h * 5 + w]!);
  const windows = () => {
    const out: (number | undefined)[][] = [];
    for (let oh = 0; oh < 2; oh++)
      for (let ow = 0; ow < 3; ow++) {
        const taps: (number | undefined)[] = [];
        for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) taps.push(at(oh * 2 - 1 + i, ow * 2 - 1 + j));
        out.push(taps);
      }
    return out;
  };

  it('MaxPool ignores padding', () => {
    const g = single(pool('MaxPool', false), [1, 4, 5]);
    expect(g.shapes.get('y')).toEqual([1, 2, 3]);
    expect([...runFloat(g, x, 1).output]).toEqual(windows().map((t) => Math.max(...(t.filter((v) => v !== undefined) as number[]))));
  });

  it('AveragePool divides by in-image taps, or by the kernel area with count_include_pad', () => {
    const inImage = windows().map((t) => {
      const v = t.filter((u) => u !== undefined) as number[];
      return v.reduce((a, b) => a + b, 0) / v.length;
    });
    const withPad = windows().map((t) => (t.filter((u) => u !== undefined) as number[]).reduce((a, b) => a + b, 0) / 6);
    expect([...runFloat(single(pool('AveragePool', false), [1, 4, 5]), x, 1).output]).toEqual(inImage);
    expect([...runFloat(single(pool('AveragePool', true), [1, 4, 5]), x, 1).output]).toEqual(withPad);
  });
});

describe('elementwise, shape ops and float32 rounding', () => {
  it('broadcasts a [C,1,1] constant over [C,H,W], per sample', () => {
    const node: GraphNode = {
      op: 'Sub',
      name: 's',
      inputs: ['x'],
      output: 'y',
      weights: { A: { shape: [2, 1, 1], data: Float64Array.of(10, 20) } },
    };
    const x = Float64Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => i);
    const y = runFloat(single(node, [2, 2, 3]), x, 2).output;
    y.forEach((v, i) => expect(v).toBe((Math.floor(i / 6) % 2 === 0 ? 10 : 20) - i));
  });

  it('Transpose and Concat move data as numpy does', () => {
    const t: GraphNode = { op: 'Transpose', name: 't', inputs: ['x'], output: 'y', attrs: { perm: [2, 0, 1] } };
    const x = Float64Array.from({ length: 24 }, (_, i) => i); // [2,3,4]
    const y = runFloat(single(t, [2, 3, 4]), x, 1).output;
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expect(y[(a * 2 + b) * 3 + c]).toBe(x[(b * 3 + c) * 4 + a]);
    const g = buildGraph({
      name: 'c',
      inputs: [{ name: 'x', shape: [2, 3] }],
      outputs: ['y'],
      metadata: {},
      nodes: [
        { op: 'Activation', name: 'a', inputs: ['x'], output: 'r', attrs: { activation: { kind: 'relu' } } },
        { op: 'Concat', name: 'c', inputs: ['x', 'r'], output: 'y', attrs: { axis: 1 } },
      ],
    });
    const z = Float64Array.of(1, -2, 3, -4, 5, -6, 7, 8, -9, 10, 11, 12);
    expect([...runFloat(g, z, 2).output]).toEqual([1, -2, 3, 1, 0, 3, -4, 5, -6, 0, 5, 0, 7, 8, -9, 7, 8, 0, 10, 11, 12, 10, 11, 12]);
  });

  it('float32 mode rounds inputs, weights and each op output once', () => {
    const g = buildGraph({
      name: 'f',
      inputs: [{ name: 'x', shape: [3] }],
      outputs: ['y'],
      metadata: {},
      nodes: [
        {
          op: 'Gemm',
          name: 'g',
          inputs: ['x'],
          output: 'y',
          attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
          weights: { B: { shape: [1, 3], data: Float64Array.of(0.1, 0.2, 0.3) }, C: { shape: [1], data: Float64Array.of(0.7) } },
        },
      ],
    });
    const x = [1 / 3, 2 / 3, 1.1];
    const f = Math.fround;
    const want = f(f(1 / 3) * f(0.1) + f(2 / 3) * f(0.2) + f(1.1) * f(0.3) + f(0.7));
    const got = runFloat(g, x, 1, { precision: 'float32' }).output;
    expect(got).toBeInstanceOf(Float32Array);
    expect(got[0]).toBe(want);
    expect(runFloat(g, x, 1).output[0]).toBe((1 / 3) * 0.1 + (2 / 3) * 0.2 + 1.1 * 0.3 + 0.7);
  });

  it('returns every intermediate tensor on request', () => {
    const g = buildGraph({
      name: 'i',
      inputs: [{ name: 'x', shape: [2] }],
      outputs: ['y'],
      metadata: {},
      nodes: [
        { op: 'Mul', name: 'm', inputs: ['x'], output: 'h', weights: { B: { shape: [], data: Float64Array.of(2) } } },
        { op: 'Activation', name: 'a', inputs: ['h'], output: 'y', attrs: { activation: { kind: 'helu', alpha: 0.05 } } },
      ],
    });
    const r = runFloat(g, [1, -1], 1, { intermediates: true });
    expect([...r.tensors!.keys()]).toEqual(['x', 'h', 'y']);
    expect([...r.tensors!.get('h')!]).toEqual([2, -2]);
    expect([...r.output]).toEqual([2, 0]);
  });
});

describe('buildGraph checks shapes at load time', () => {
  const gemm = (k: number): GraphNode => ({
    op: 'Gemm',
    name: 'fc1',
    inputs: ['x'],
    output: 'y',
    attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
    weights: { B: { shape: [3, k], data: new Float64Array(3 * k) } },
  });
  it('names the node and both sizes on a mismatch', () => {
    expect(() => single(gemm(5), [4])).toThrow(UserError);
    expect(() => single(gemm(5), [4])).toThrow(/node 'fc1' \(Gemm\): input has 4 features, weight B expects 5/);
  });
  it('rejects an undefined input, a cycle, a bad reshape, a group that does not divide', () => {
    const mk = (nodes: GraphNode[]) => () =>
      buildGraph({ name: 'g', inputs: [{ name: 'x', shape: [4] }], outputs: [nodes[nodes.length - 1]!.output], nodes, metadata: {} });
    expect(mk([{ op: 'Flatten', name: 'f', inputs: ['nope'], output: 'y' }])).toThrow(/reads 'nope'/);
    expect(
      mk([
        { op: 'Add', name: 'a', inputs: ['x', 'b'], output: 'a', weights: {} },
        { op: 'Flatten', name: 'b', inputs: ['a'], output: 'b' },
      ]),
    ).toThrow(/cycle/);
    expect(mk([{ op: 'Reshape', name: 'r', inputs: ['x'], output: 'y', attrs: { shape: [3] } }])).toThrow(/cannot reshape/);
    const conv: GraphNode = {
      op: 'Conv',
      name: 'c',
      inputs: ['x'],
      output: 'y',
      attrs: { kernel: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 2 },
      weights: { W: { shape: [3, 1, 1, 1], data: new Float64Array(3) } },
    };
    expect(() => single(conv, [2, 3, 3])).toThrow(/group 2 does not divide/);
  });
});
