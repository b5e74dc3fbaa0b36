import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fracBits, parseFormat } from '../../../src/fixedpoint/format.js';
import { runInteger } from '../../../src/sim/engine/run.js';
import { runReference } from '../../../src/sim/reference/run.js';
import { validateIntModel } from '../../../src/sim/quantize/validate.js';
import { randomModel } from '../random-model.js';

/** Every tensor: code * 2^-F === reference real, element by element; event counts equal. */
function agree(seed: number, narrowAcc: number): void {
  const { model, input, batch } = randomModel(seed, { narrowAcc });
  validateIntModel(JSON.parse(JSON.stringify(model)));
  const int = runInteger(model, input, batch);
  const ref = runReference(model, input, batch);
  const tensors = [{ name: model.input.name, layer: model.input.name, q: model.input.quant }, ...model.layers.map((l) => ({ name: l.output, layer: l.name, q: l.out }))];
  for (const t of tensors) {
    const codes = int.tensors.get(t.name)!;
    const reals = ref.tensors.get(t.name)!;
    const F = fracBits(parseFormat((t.q as { format: string }).format));
    expect(codes.length, t.name).toBe(reals.length);
    for (let i = 0; i < codes.length; i++) {
      if (codes[i]! * 2 ** -F !== reals[i]) expect.fail(`seed ${seed} tensor ${t.name} index ${i}: code ${codes[i]} (${codes[i]! * 2 ** -F}) vs reference ${reals[i]}`);
    }
    expect(int.events.get(t.layer), `events of ${t.layer}, seed ${seed}`).toEqual(ref.events.get(t.layer));
  }
}

describe('integer engine == float reference on random networks', () => {
  it('exact accumulators', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => agree(seed, 0)), { seed: 61, numRuns: 150 });
  });
  it('narrowed accumulators: overflows counted identically', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => agree(seed, 1)), { seed: 62, numRuns: 150 });
  });
});

describe('functional mode == gate mode', () => {
  it('every tensor of random networks, every activation kind', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const { model, input, batch } = randomModel(seed, { narrowAcc: 0.3 });
      const f = runInteger(model, input, batch, { mode: 'functional' });
      const g = runInteger(model, input, batch, { mode: 'gate' });
      for (const [name, a] of f.tensors) expect([...g.tensors.get(name)!], `seed ${seed} tensor ${name}`).toEqual([...a]);
      expect(g.events).toEqual(f.events);
    }), { seed: 63, numRuns: 60 });
  });
});
