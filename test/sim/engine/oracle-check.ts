import { expect } from 'vitest';
import { parseFormat } from '../../../src/fixedpoint/format.js';
import type { FixedFormat } from '../../../src/fixedpoint/types.js';
import { runInteger } from '../../../src/sim/engine/run.js';
import type { Pow2Model } from '../../../src/sim/quantize/model.js';
import { oracleLayer, type OracleEvents } from '../oracle.js';

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** Layers compared with the oracle, by op: each run must reach the dense, conv and pooling layers. */
export const reached = new Map<string, number>();

/**
 * Every non-activation layer of a random network (helu-sim/testing's
 * shrinkable arbitrary): the engine's output codes and events equal the
 * bigint oracle's on the engine's inputs.
 */
export function checkAgainstOracle(model: Pow2Model, input: number[], batch: number): void {
  const run = runInteger(model, Float64Array.from(input), batch);
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
      reached.set(l.op, (reached.get(l.op) ?? 0) + 1);
      const per = size(l.shape);
      const got = Array.from(run.tensors.get(l.output)!.subarray(n * per, (n + 1) * per), (v) => BigInt(v));
      expect(got, `layer ${l.name} sample ${n}`).toEqual(want);
    }
    if (compared) expect(run.events.get(l.name), `events of ${l.name}`).toEqual(ev);
    formats.set(l.output, parseFormat((l.out as { format: string }).format));
    shapes.set(l.output, l.shape);
  }
}
