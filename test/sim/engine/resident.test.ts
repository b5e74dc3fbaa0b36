import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeActivation } from '../../../src/activations/float.js';
import { formatToString, parseFormat } from '../../../src/fixedpoint/format.js';
import { quantizeNumber, overflowsNumber } from '../../../src/fixedpoint/number.js';
import { roundDouble } from '../../../src/fixedpoint/rounding.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../src/fixedpoint/types.js';
import { compile } from '../../../src/sim/engine/run.js';
import { INT_MODEL_FORMAT, type IntModel, type TensorQuant } from '../../../src/sim/quantize/model.js';
import type { GraphNode } from '../../../src/models/graph.js';
import { buildGraph } from '../../../src/models/shapes.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { Prng } from '../random-model.js';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';
import { arbSpec, buildModel, inputCodes } from '../affine-random-layer.js';

/*
 * The resident pipeline (whole model in WebAssembly memory, fused output
 * stages, table activations, max pools, input quantization) against the
 * layer-by-layer engine on the JavaScript GEMM and JavaScript output stages
 * (written from the fixed-point definitions, sharing no kernel with it): the
 * same codes of every tensor and the same events, on random pow2 models with
 * every rounding and overflow mode, in functional and gate mode. Input
 * quantization alone is checked against quantizeNumber.
 */

const text = (m: Map<string, ArrayLike<number>>) => JSON.stringify([...m].map(([k, v]) => [k, Array.from(v)]));

describe('resident pipeline == layer-by-layer engine', () => {
  it('random pow2 models, functional and gate mode', () => {
    let resident = 0,
      hosted = 0;
    fc.assert(
      fc.property(
        withInputs(arbPow2Model({ maxWidth: 12, maxLayers: 5 })),
        fc.constantFrom('functional', 'gate') as fc.Arbitrary<'functional' | 'gate'>,
        ({ model, input: values, batch }, mode) => {
          const input = Float64Array.from(values);
          const fast = compile(model, { mode });
          if (!fast.residentPipeline) return;
          resident++;
          // layers without a WebAssembly kernel (pools, adds, concat, transpose, checked accumulators) run inside the pipeline
          if (fast.hostLayers.length > 0) hosted++;
          const js = compile(model, { mode, kernels: 'js' });
          expect(js.residentPipeline).toBe(false);
          const a = fast.run(input, batch),
            b = js.run(input, batch);
          expect(text(a.tensors)).toBe(text(b.tensors));
          expect([...a.events]).toEqual([...b.events]);
          const o = fast.run(input, batch, { keep: 'outputs', float64Codes: true });
          expect(text(o.tensors)).toBe(text(new Map(model.outputs.map((n) => [n, b.tensors.get(n)!]))));
          expect(o.tensors.get(model.outputs[0]!)).toBeInstanceOf(Float64Array);
        },
      ),
      { seed: 1420, numRuns: 500 },
    );
    expect(resident).toBeGreaterThan(400);
    expect(hosted).toBeGreaterThan(150);
  });
});

/** A model of one flatten layer: its output is the quantized input. */
function inputOnly(f: FixedFormat, n: number, rawScaleLog2?: number): IntModel {
  const q = { kind: 'pow2' as const, format: formatToString(f) };
  return {
    format: INT_MODEL_FORMAT,
    schemaVersion: 1,
    name: 'input-only',
    scheme: 'pow2',
    input: { name: 'x', shape: [n], quant: q, rawScaleLog2 },
    layers: [{ op: 'flatten', name: 'flat', inputs: ['x'], output: 'y', shape: [n], out: q }],
    outputs: ['y'],
    metadata: {},
  };
}

/** How many of x overflow f after scaling by 2^raw: the scaled value v times 2^F rounded, an underflow to 0 of a nonzero v kept as the smallest subnormal of v's sign. */
function overflowCount(x: readonly number[], raw: number, f: FixedFormat): number {
  const F = f.width - f.intBits;
  return x.filter((u) => {
    const v = u * 2 ** raw;
    return overflowsNumber(roundDouble(v * 2 ** F || (v < 0 ? -Number.MIN_VALUE : v > 0 ? Number.MIN_VALUE : 0), f.rounding), f);
  }).length;
}

const format = fc.record({
  signed: fc.boolean(),
  width: fc.integer({ min: 1, max: 15 }),
  intBits: fc.integer({ min: -6, max: 18 }),
  rounding: fc.constantFrom(...ROUNDINGS),
  overflow: fc.constantFrom(...OVERFLOWS),
});

describe('resident input quantization == quantizeNumber', () => {
  it('ties, tiny and huge values, every mode', () => {
    fc.assert(
      fc.property(
        format,
        fc.integer({ min: -4, max: 4 }),
        fc.array(
          fc.tuple(
            fc.double({ min: -1e300, max: 1e300, noNaN: true }),
            fc.integer({ min: -3000, max: 3000 }),
            fc.integer({ min: 0, max: 3 }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (f, raw, draws) => {
          const F = f.width - f.intBits;
          // each draw: an arbitrary double, a tie of the grid, an integer code, or a subnormal
          const x = draws.map(([d, k, kind]) => [d, (k + 0.5) * 2 ** -(F + raw), k * 2 ** -(F + raw), k * Number.MIN_VALUE][kind]!);
          const c = compile(inputOnly(f, x.length, raw));
          expect(c.residentPipeline).toBe(true);
          const r = c.run(x, 1);
          const want = x.map((v) => quantizeNumber(v * 2 ** raw, f));
          expect(Array.from(r.tensors.get('y')!)).toEqual(want);
          const over = overflowCount(x, raw, f);
          const ev = r.events.get('x')!;
          expect(ev.saturations + ev.wraps).toBe(over);
        },
      ),
      { seed: 1421, numRuns: 400 },
    );
  });

  it('whole blocks of eight on the grid, at ties, near the range ends (the vector route)', () => {
    let vector = 0;
    fc.assert(
      fc.property(
        format,
        fc.integer({ min: -4, max: 4 }),
        fc.constantFrom(0, 0.5, 0.25, -0.25),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 8, maxLength: 33 }),
        fc.option(fc.integer({ min: 0, max: 32 })),
        (f, raw, frac, ks, odd) => {
          const F = f.width - f.intBits;
          const lo = f.signed ? -(2 ** (f.width - 1)) : 0,
            hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
          // codes spread over the range (with its ends and a little beyond), plus a fraction: exact codes or ties
          const code = (k: number) => Math.round(lo + ((k + 40) / 80) * (hi - lo) + Math.sign(k) * (Math.abs(k) > 38 ? 1 : 0));
          const x = ks.map((k) => (code(k) + frac) * 2 ** -(F + raw));
          if (odd !== null && odd < x.length) x[odd] = -Number.MIN_VALUE;
          const c = compile(inputOnly(f, x.length, raw));
          const r = c.run(x, 1);
          expect(Array.from(r.tensors.get('y')!)).toEqual(x.map((v) => quantizeNumber(v * 2 ** raw, f)));
          const over = overflowCount(x, raw, f);
          const ev = r.events.get('x')!;
          expect(ev.saturations + ev.wraps).toBe(over);
          if (over === 0) vector++;
        },
      ),
      { seed: 1422, numRuns: 400 },
    );
    expect(vector).toBeGreaterThan(100);
  });

  it('a value that is not finite is one clear error', () => {
    const c = compile(inputOnly({ signed: true, width: 8, intBits: 4, rounding: 'RND', overflow: 'SAT' }, 3));
    expect(() => c.run([1, Infinity, 2], 1)).toThrow('input value Infinity at index 1 is not a finite number');
    expect(() => c.run([1, 2, NaN], 1)).toThrow('input value NaN at index 2 is not a finite number');
  });
});

/*
 * Larger images than the random models have (8..20 pixels a side), so the
 * kernels' vector paths run: a quantized CNN (conv with random kernel,
 * stride and padding; activation; 2x2 max pool; conv; dense), then every
 * tensor's rounding and overflow modes redrawn (widths and LSBs kept).
 */
function cnnCase(seed: number): { model: IntModel; x: Float64Array; batch: number } {
  const r = new Prng(seed);
  const [H, W] = [r.int(8, 20), r.int(8, 20)];
  const t = (shape: number[], s: number) => ({
    shape,
    data: Float64Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => (r.next() * 2 - 1) * s),
  });
  const k = r.pick([1, 3, 5]),
    p = r.int(0, k - 1),
    st = r.int(1, 2),
    m1 = r.int(1, 20),
    c0 = r.int(1, 3);
  const conv = (name: string, input: string, m: number, c: number, kk: number, pads: number[], s: number): GraphNode => ({
    op: 'Conv',
    name,
    inputs: [input],
    output: name,
    weights: { W: t([m, c, kk, kk], 1 / Math.sqrt(kk * kk * c)), B: t([m], 0.1) },
    attrs: { kernel: [kk, kk], strides: [s, s], pads, dilations: [1, 1], group: 1 },
  });
  const act = (name: string, input: string): GraphNode => ({
    op: 'Activation',
    name,
    inputs: [input],
    output: name,
    attrs: { activation: normalizeActivation({ kind: r.pick(['relu', 'helu', 'leakyrelu'] as const) }) },
  });
  const [pl, pr, m2] = [r.int(0, k - 1), r.int(0, k - 1), r.int(1, 17)];
  const oh = Math.floor((H + 2 * p - k) / st) + 1,
    ow = Math.floor((W + pl + pr - k) / st) + 1;
  const fcIn = m2 * Math.floor(oh / 2) * Math.floor(ow / 2);
  const g = buildGraph({
    name: 'resident-cnn',
    inputs: [{ name: 'input', shape: [c0, H, W] }],
    outputs: ['fc'],
    metadata: {},
    nodes: [
      conv('c1', 'input', m1, c0, k, [p, pl, p, pr], st),
      act('a1', 'c1'),
      {
        op: 'MaxPool',
        name: 'p1',
        inputs: ['a1'],
        output: 'p1',
        attrs: { kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], dilations: [1, 1], ceilMode: false, countIncludePad: false },
      },
      conv('c2', 'p1', m2, m1, 3, [1, 1, 1, 1], 1),
      act('a2', 'c2'),
      { op: 'Flatten', name: 'flat', inputs: ['a2'], output: 'flat' },
      {
        op: 'Gemm',
        name: 'fc',
        inputs: ['flat'],
        output: 'fc',
        attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
        weights: { B: t([5, fcIn], 1 / Math.sqrt(fcIn)), C: t([5], 0.1) },
      },
    ],
  });
  const batch = r.int(1, 4);
  const x = Float64Array.from({ length: batch * c0 * H * W }, () => r.next() * 4 - 1);
  const model = quantizeModel(g, { x, count: batch });
  const redraw = (q: TensorQuant): TensorQuant => {
    const f = parseFormat((q as { format: string }).format);
    return { kind: 'pow2', format: formatToString({ ...f, rounding: r.pick(ROUNDINGS), overflow: r.pick(OVERFLOWS) }) };
  };
  model.input.quant = redraw(model.input.quant);
  const quants = new Map([[model.input.name, model.input.quant]]);
  for (const l of model.layers) {
    l.out = l.op === 'maxpool' || l.op === 'flatten' || l.op === 'reshape' ? quants.get(l.inputs[0]!)! : redraw(l.out);
    quants.set(l.output, l.out);
  }
  return { model, x, batch };
}

describe('resident pipeline on larger images (vector paths)', () => {
  it('quantized CNNs with redrawn modes == layer-by-layer JavaScript engine', () => {
    let resident = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom('functional', 'gate') as fc.Arbitrary<'functional' | 'gate'>,
        (seed, mode) => {
          const { model, x, batch } = cnnCase(seed);
          const fast = compile(model, { mode });
          if (!fast.residentPipeline) return;
          resident++;
          const a = fast.run(x, batch),
            b = compile(model, { mode, kernels: 'js' }).run(x, batch);
          expect(text(a.tensors)).toBe(text(b.tensors));
          expect([...a.events]).toEqual([...b.events]);
        },
      ),
      { seed: 1422, numRuns: 40 },
    );
    expect(resident).toBeGreaterThan(30);
  });
});

describe('resident pipeline, affine models (onnxruntime requantization)', () => {
  it('one-op affine models (dense, conv, max pool, activation): codes and saturations == layer-by-layer JavaScript engine', () => {
    let resident = 0;
    const ops = arbSpec.filter((s) => ['dense', 'conv', 'maxpool', 'activation'].includes(s.op));
    fc.assert(
      fc.property(ops, fc.constantFrom('functional', 'gate') as fc.Arbitrary<'functional' | 'gate'>, (sp, mode) => {
        const m = buildModel(sp);
        const x = inputCodes(m, sp.seed, 3);
        const fast = compile(m, { requant: 'onnxruntime', mode });
        if (fast.residentPipeline) resident++;
        const a = fast.runCodes(x, 3),
          b = compile(m, { requant: 'onnxruntime', mode, kernels: 'js' }).runCodes(x, 3);
        expect(text(a.tensors)).toBe(text(b.tensors));
        expect([...a.events]).toEqual([...b.events]);
      }),
      { seed: 1423, numRuns: 150 },
    );
    expect(resident).toBeGreaterThan(60);
  });
});
