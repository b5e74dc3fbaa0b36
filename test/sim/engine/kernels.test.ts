import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUANT_SCHEMES } from '../../../src/fixedpoint/requant.js';
import { compile } from '../../../src/sim/engine/run.js';
import type { LinearPath } from '../../../src/sim/engine/kernels.js';
import { verifyModel } from '../../../src/sim/verify/verify.js';
import { arbSpec, buildModel, inputCodes } from '../affine-random-layer.js';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';

/*
 * The WebAssembly kernels change speed, never a code: on random models the
 * engine with its kernels chosen per layer (int16/int32 GEMM and convolution,
 * int64 wide GEMM) gives the codes and events of the engine with every exact
 * layer on the JavaScript GEMM, and agrees with the float reference (verify:
 * 0 mismatches, equal event counts). The runs must reach every path.
 */

const seen = new Map<LinearPath, number>();
function note(paths: ReadonlyMap<string, LinearPath>): void {
  for (const p of paths.values()) seen.set(p, (seen.get(p) ?? 0) + 1);
}

const text = (m: Map<string, ArrayLike<number>>) => JSON.stringify([...m].map(([k, v]) => [k, Array.from(v)]));

describe('WebAssembly kernels == JavaScript path == float reference', () => {
  it('pow2 random models (exact, wide and narrowed accumulators)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(12, 20, 24).chain((maxWidth) => withInputs(arbPow2Model({ maxWidth, maxLayers: 5 }))),
        ({ model, input: values, batch }) => {
          const input = Float64Array.from(values);
          const wasm = compile(model, { kernels: 'wasm' }),
            js = compile(model, { kernels: 'js' });
          note(wasm.linearPaths);
          const a = wasm.run(input, batch),
            b = js.run(input, batch);
          expect(text(a.tensors)).toBe(text(b.tensors));
          expect([...a.events]).toEqual([...b.events]);
          const r = verifyModel(model, { x: input, count: batch });
          expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
        },
      ),
      { seed: 1316, numRuns: 300 },
    );
    expect(seen.get('i16') ?? 0).toBeGreaterThan(10);
    expect(seen.get('wide') ?? 0).toBeGreaterThan(0);
    expect(seen.get('checked') ?? 0).toBeGreaterThan(2);
  });

  it('affine dense and conv layers under every requantization scheme', () => {
    const linear = arbSpec.filter((s) => s.op === 'dense' || s.op === 'conv');
    fc.assert(
      fc.property(linear, fc.constantFrom(...REQUANT_SCHEMES), (sp, requant) => {
        const m = buildModel(sp);
        const x = inputCodes(m, sp.seed, 3);
        const wasm = compile(m, { requant, kernels: 'wasm' });
        // 8-bit codes and an int32 accumulator that holds the worst case: the int16 kernels
        if (sp.accBits === 32 && [...wasm.linearPaths.values()][0] !== 'checked') expect([...wasm.linearPaths.values()]).toEqual(['i16']);
        const a = wasm.runCodes(x, 3),
          b = compile(m, { requant, kernels: 'js' }).runCodes(x, 3);
        expect(text(a.tensors)).toBe(text(b.tensors));
        expect([...a.events]).toEqual([...b.events]);
      }),
      { seed: 1317, numRuns: 80 },
    );
  });
});
