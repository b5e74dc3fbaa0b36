import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFormat } from '../../../src/fixedpoint/format.js';
import type { FixedFormat } from '../../../src/fixedpoint/types.js';
import { runInteger } from '../../../src/sim/engine/run.js';
import { oracleLayer, type OracleEvents } from '../oracle.js';
import { randomModel } from '../random-model.js';

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** Every non-activation layer of a random model: the engine's output codes and events equal the bigint oracle's on the engine's inputs. */
function checkAgainstOracle(seed: number, narrowAcc: number): void {
  const { model, input, batch } = randomModel(seed, { narrowAcc });
  const run = runInteger(model, input, batch);
  const formats = new Map<string, FixedFormat>([[model.input.name, parseFormat((model.input.quant as { format: string }).format)]]);
  const shapes = new Map<string, readonly number[]>([[model.input.name, model.input.shape]]);
  for (const l of model.layers) {
    const ev: OracleEvents = { saturations: 0, wraps: 0 };
    const inShapes = l.inputs.map((n) => shapes.get(n)!);
    let compared = false;
    for (let n = 0; n < batch; n++) {
      const ins = l.inputs.map((name, k) => {
        const per = size(inShapes[k]!);
        return Array.from(run.tensors.get(name)!.subarray(n * per, (n + 1) * per), (v) => BigInt(v));
      });
      const want = oracleLayer(
        l,
        ins,
        l.inputs.map((name) => formats.get(name)!),
        inShapes,
        ev,
      );
      if (!want) break;
      compared = true;
      const per = size(l.shape);
      const got = Array.from(run.tensors.get(l.output)!.subarray(n * per, (n + 1) * per), (v) => BigInt(v));
      expect(got, `seed ${seed} layer ${l.name} sample ${n}`).toEqual(want);
    }
    if (compared) expect(run.events.get(l.name), `seed ${seed} events of ${l.name}`).toEqual(ev);
    formats.set(l.output, parseFormat((l.out as { format: string }).format));
    shapes.set(l.output, l.shape);
  }
}

describe('integer engine == bigint oracle, layer by layer', () => {
  it('exact accumulators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (s) => checkAgainstOracle(s, 0)),
      { seed: 71, numRuns: 120 },
    );
  });
  it('narrowed accumulators (every rounding and overflow mode)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (s) => checkAgainstOracle(s, 1)),
      { seed: 72, numRuns: 120 },
    );
  });
});
