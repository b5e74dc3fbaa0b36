import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../../src/fixedpoint/format.js';
import { quantizeNumber, overflowsNumber } from '../../../src/fixedpoint/number.js';
import { roundDouble } from '../../../src/fixedpoint/rounding.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat } from '../../../src/fixedpoint/types.js';
import { compile } from '../../../src/sim/engine/run.js';
import { INT_MODEL_FORMAT, type IntModel } from '../../../src/sim/quantize/model.js';
import { randomModel } from '../random-model.js';

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
    let resident = 0;
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom('functional', 'gate') as fc.Arbitrary<'functional' | 'gate'>, (seed, mode) => {
      const { model, input, batch } = randomModel(seed, { narrowAcc: 0.1, maxWidth: 12 });
      const fast = compile(model, { mode });
      if (!fast.residentPipeline) return;
      resident++;
      const js = compile(model, { mode, kernels: 'js' });
      expect(js.residentPipeline).toBe(false);
      const a = fast.run(input, batch), b = js.run(input, batch);
      expect(text(a.tensors)).toBe(text(b.tensors));
      expect([...a.events]).toEqual([...b.events]);
      const o = fast.run(input, batch, { keep: 'outputs', float64Codes: true });
      expect(text(o.tensors)).toBe(text(new Map(model.outputs.map((n) => [n, b.tensors.get(n)!]))));
      expect(o.tensors.get(model.outputs[0]!)).toBeInstanceOf(Float64Array);
    }), { seed: 1420, numRuns: 500 });
    expect(resident).toBeGreaterThan(60);
  });
});

/** A model of one flatten layer: its output is the quantized input. */
function inputOnly(f: FixedFormat, n: number, rawScaleLog2?: number): IntModel {
  const q = { kind: 'pow2' as const, format: formatToString(f) };
  return {
    format: INT_MODEL_FORMAT, schemaVersion: 1, name: 'input-only', scheme: 'pow2', input: { name: 'x', shape: [n], quant: q, rawScaleLog2 },
    layers: [{ op: 'flatten', name: 'flat', inputs: ['x'], output: 'y', shape: [n], out: q }], outputs: ['y'], metadata: {},
  };
}

const format = fc.record({
  signed: fc.boolean(), width: fc.integer({ min: 1, max: 15 }), intBits: fc.integer({ min: -6, max: 18 }),
  rounding: fc.constantFrom(...ROUNDINGS), overflow: fc.constantFrom(...OVERFLOWS),
});

describe('resident input quantization == quantizeNumber', () => {
  it('ties, tiny and huge values, every mode', () => {
    fc.assert(fc.property(format, fc.integer({ min: -4, max: 4 }), fc.array(fc.tuple(fc.double({ min: -1e300, max: 1e300, noNaN: true }), fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 40 }), (f, raw, draws) => {
      const F = f.width - f.intBits;
      // each draw: an arbitrary double, a tie of the grid, an integer code, or a subnormal
      const x = draws.map(([d, k, kind]) => [d, (k + 0.5) * 2 ** -(F + raw), k * 2 ** -(F + raw), k * Number.MIN_VALUE][kind]!);
      const c = compile(inputOnly(f, x.length, raw));
      expect(c.residentPipeline).toBe(true);
      const r = c.run(x, 1);
      const want = x.map((v) => quantizeNumber(v * 2 ** raw, f));
      expect(Array.from(r.tensors.get('y')!)).toEqual(want);
      const over = x.filter((v) => overflowsNumber(roundDouble(v * 2 ** raw * 2 ** F || (v < 0 ? -Number.MIN_VALUE : v > 0 ? Number.MIN_VALUE : 0), f.rounding), f)).length;
      const ev = r.events.get('x')!;
      expect(ev.saturations + ev.wraps).toBe(over);
    }), { seed: 1421, numRuns: 400 });
  });

  it('a value that is not finite is one clear error', () => {
    const c = compile(inputOnly({ signed: true, width: 8, intBits: 4, rounding: 'RND', overflow: 'SAT' }, 3));
    expect(() => c.run([1, Infinity, 2], 1)).toThrow('input value Infinity at index 1 is not a finite number');
    expect(() => c.run([1, 2, NaN], 1)).toThrow('input value NaN at index 2 is not a finite number');
  });
});
