import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';
import { CompiledReference } from '../../../src/sim/reference/driver.js';
import { pow2Reference } from '../../../src/sim/reference/pow2/scheme.js';
import { ReferenceMemory } from '../../../src/sim/reference/wasm/resident.js';
import type { IntModel } from '../../../src/sim/quantize/model.js';

/*
 * The float reference with every tensor resident in its WebAssembly memory
 * against the same reference run layer by layer in JavaScript (each layer's
 * RefKernel, the spec formulas of pow2/real.ts), on random pow2 networks
 * drawn with helu-sim/testing's shrinkable arbitraries: every element of
 * every tensor identical (Object.is) and every layer's events equal, whole
 * batches and one sample per chunk. The resident kernels without a
 * whole-model counterpart (pool, add, the comparison pass) against plain
 * loops written here, on any doubles (NaN, infinities, -0).
 */

const jsRoute = (m: IntModel) => new CompiledReference(m, { ...pow2Reference(m), resident: undefined });

function expectSame(got: Float64Array, want: Float64Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], want[i])) expect({ what, i, got: got[i] }).toEqual({ what, i, got: want[i] });
}

describe('resident reference == layer-by-layer JavaScript reference', () => {
  it('every tensor and every event count, whole batch and chunks of one sample', () => {
    fc.assert(
      fc.property(withInputs(arbPow2Model({ maxLayers: 5 }), { maxBatch: 3 }), ({ model, input, batch }) => {
        const want = jsRoute(model).run(input, batch);
        const ref = new CompiledReference(model, pow2Reference(model));
        expect(ref.resident).toBeDefined();
        const got = ref.run(input, batch);
        for (const [name, v] of want.values) expectSame(got.values.get(name)!, v, name);
        expect(Object.fromEntries(got.events)).toEqual(Object.fromEntries(want.events));
        const events = ref.eachChunk(input, batch, 1, (values, from, n) => {
          for (const [name, v] of want.values)
            expectSame(values.get(name)!, v.subarray((from * v.length) / batch, ((from + n) * v.length) / batch), name);
        });
        expect(Object.fromEntries(events)).toEqual(Object.fromEntries(want.events));
      }),
      { seed: 1311, numRuns: 120 },
    );
  });
});

function firstDiff(reals: number[], codes: number[], scale: number): number {
  let i = 0;
  while (i < reals.length && reals[i]! * scale - codes[i]! === 0) i++;
  return i;
}

const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity),
  fc.integer({ min: -40, max: 40 }).map((v) => v / 4),
);
const doubles = (n: number) => fc.array(anyDouble, { minLength: n, maxLength: n });

describe('resident kernels against plain loops', () => {
  it('pool_f64: m = -inf, m = Math.max(m, v); s = 0, s = s + v; over each window in order', () => {
    const arb = fc
      .record({ planes: fc.integer({ min: 1, max: 3 }), plane: fc.integer({ min: 1, max: 9 }), Q: fc.integer({ min: 1, max: 5 }) })
      .chain((d) =>
        fc.record({
          d: fc.constant(d),
          x: doubles(d.planes * d.plane),
          windows: fc.array(fc.array(fc.nat({ max: d.plane - 1 }), { maxLength: 6 }), { minLength: d.Q, maxLength: d.Q }),
          isMax: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(arb, ({ d, x, windows, isMax }) => {
        const want: number[] = [];
        for (let p = 0; p < d.planes; p++)
          for (const w of windows) {
            let acc = isMax ? -Infinity : 0;
            for (const o of w) acc = isMax ? Math.max(acc, x[p * d.plane + o]!) : acc + x[p * d.plane + o]!;
            want.push(acc);
          }
        const mem = new ReferenceMemory();
        const start = [0];
        for (const w of windows) start.push(start[start.length - 1]! + w.length);
        const xAt = mem.put(Float64Array.from(x)),
          offAt = mem.put(Int32Array.from(windows.flat())),
          startAt = mem.put(Int32Array.from(start)),
          yAt = mem.alloc(want.length * 8);
        mem.k.pool_f64(xAt, d.planes, d.plane, offAt, startAt, d.Q, yAt, isMax ? 1 : 0);
        expectSame(mem.f64(yAt, want.length), Float64Array.from(want), 'pool');
      }),
      { seed: 1312, numRuns: 200 },
    );
  });

  it('add_f64 is a + b; first_difference_f64 is the first i with r * s - c !== 0', () => {
    const arb = fc.nat({ max: 13 }).chain((n) => fc.tuple(doubles(n), doubles(n), doubles(n), fc.constantFrom(1, 0.5, 256, 2 ** -20)));
    fc.assert(
      fc.property(arb, ([a, b, c, scale]) => {
        const n = a.length;
        const mem = new ReferenceMemory();
        const aAt = mem.put(Float64Array.from(a)),
          bAt = mem.put(Float64Array.from(b)),
          cAt = mem.put(Float64Array.from(c)),
          yAt = mem.alloc(n * 8);
        mem.k.add_f64(aAt, bAt, yAt, n);
        expectSame(
          mem.f64(yAt, n),
          Float64Array.from(a, (v, i) => v + b[i]!),
          'add',
        );
        expect(mem.k.first_difference_f64(aAt, cAt, n, scale)).toBe(firstDiff(a, c, scale));
        // Codes equal to the reals wherever a * scale is finite.
        const codes = a.map((v) => v * scale);
        expect(mem.k.first_difference_f64(aAt, mem.put(Float64Array.from(codes)), n, scale)).toBe(firstDiff(a, codes, scale));
      }),
      { seed: 1313, numRuns: 300 },
    );
  });
});
