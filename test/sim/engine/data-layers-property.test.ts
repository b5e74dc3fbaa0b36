import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/sim/engine/compile.js';
import { runReference } from '../../../src/sim/reference/run.js';
import { validateIntModel } from '../../../src/sim/quantize/validate.js';

/*
 * Gather and pad layers (negative pads crop) on random shapes: the engine's
 * stride walks against the float reference's multi-index definitions, and
 * both against a direct oracle written here from the ONNX definitions
 * (Gather: output index k on the axis reads indices[k]; Pad: output index o
 * reads input index o - begin, else the pad value). Codes of ufixed<8,0>;
 * seeds fixed, fast-check shrinks and prints the counterexample.
 */

const BATCH = 2;
const FMT = 'ufixed<8,0,RND_CONV,SAT>';

function model(shape: number[], layer: Record<string, unknown>) {
  return validateIntModel({
    format: 'helu-sim/integer-model',
    schemaVersion: 2,
    name: 'data',
    scheme: 'pow2',
    input: { name: 'x', shape, quant: { kind: 'pow2', format: FMT } },
    layers: [{ name: 'l', inputs: ['x'], output: 'y', out: { kind: 'pow2', format: FMT }, ...layer }],
    outputs: ['y'],
    metadata: {},
  });
}

/** Flat index -> digits and back, row-major. */
const digits = (i: number, s: readonly number[]) => s.map((_, a) => Math.floor(i / s.slice(a + 1).reduce((p, d) => p * d, 1)) % s[a]!);
const flat = (d: readonly number[], s: readonly number[]) => d.reduce((p, v, a) => p * s[a]! + v, 0);

function check(
  shape: number[],
  outShape: number[],
  layer: Record<string, unknown>,
  source: (o: number[]) => number[] | null,
  fill: number,
) {
  const m = model(shape, { ...layer, shape: outShape });
  const n = shape.reduce((a, d) => a * d, 1),
    k = outShape.reduce((a, d) => a * d, 1);
  const codes = Array.from({ length: BATCH * n }, (_, i) => (i * 37 + 11) % 256);
  const want: number[] = [];
  for (let b = 0; b < BATCH; b++)
    for (let o = 0; o < k; o++) {
      const src = source(digits(o, outShape));
      want.push(src ? codes[b * n + flat(src, shape)]! : fill);
    }
  expect(Array.from(compile(m, { kernels: 'js' }).runCodes(codes, BATCH).tensors.get('y')!)).toEqual(want);
  expect(Array.from(compile(m).runCodes(codes, BATCH).tensors.get('y')!)).toEqual(want);
  const ref = runReference(
    m,
    codes.map((c) => c / 256),
    BATCH,
  ).tensors.get('y')!;
  expect(Array.from(ref, (v) => v * 256)).toEqual(want);
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });

describe('gather and pad layers: engine, reference and a direct oracle agree', () => {
  it('gather on any axis with repeated indices', () => {
    const arb = shapeArb.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        axis: fc.integer({ min: 0, max: shape.length - 1 }),
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, axis, picks }) => {
        const indices = picks.map((p) => p % shape[axis]!);
        const out = shape.map((d, a) => (a === axis ? indices.length : d));
        check(shape, out, { op: 'gather', axis, indices }, (o) => o.map((v, a) => (a === axis ? indices[v]! : v)), 0);
      }),
      { seed: 1301, numRuns: 150 },
    );
  });

  it('pad with positive and negative counts', () => {
    const arb = shapeArb.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        pads: fc.tuple(...shape.flatMap((d) => [fc.integer({ min: -(d - 1), max: 2 }), fc.integer({ min: 0, max: 2 })])),
        value: fc.integer({ min: 0, max: 255 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, pads: pairs, value }) => {
        const r = shape.length;
        const pads = [...pairs.filter((_, i) => i % 2 === 0), ...pairs.filter((_, i) => i % 2 === 1)];
        const out = shape.map((d, a) => d + pads[a]! + pads[a + r]!);
        const source = (o: number[]) => {
          const i = o.map((v, a) => v - pads[a]!);
          return i.every((v, a) => v >= 0 && v < shape[a]!) ? i : null;
        };
        check(shape, out, { op: 'pad', pads, value }, source, value);
      }),
      { seed: 1302, numRuns: 150 },
    );
  });
});
