import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeActivation } from '../../../src/activations/float.js';
import type { Graph, Tensor } from '../../../src/models/graph.js';
import { buildGraph } from '../../../src/models/shapes.js';
import { overChunks } from '../../../src/sim/parallel/chunks.js';
import { withVerifyRun } from '../../../src/sim/parallel/verify-run.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { reduceVerify, verifiedTensors, verifyModel } from '../../../src/sim/verify/verify.js';
import { arbPow2Model, withInputs } from '../../../src/testing/index.js';

/*
 * A verify run on two threads (this thread and one worker that holds the
 * model for the whole run, the float network's constants in shared memory),
 * streamed in chunks of whole batches, gives the one-thread report of
 * verifyModel over all samples: the same JSON text, SQNR figures included.
 */

function tensor(shape: number[], rand: () => number): Tensor {
  return { shape, data: Float64Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rand() * 2 - 1) };
}

/** 16 -> 12 (HeLU) -> 5, seeded weights. */
function smallGraph(seed: number): Graph {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
  const gemm = (name: string, input: string, n: number, k: number) => ({
    op: 'Gemm' as const,
    name,
    inputs: [input],
    output: name,
    attrs: { transA: 0 as const, transB: 1 as const, alpha: 1, beta: 1 },
    weights: { B: tensor([n, k], rand), C: tensor([n], rand) },
  });
  return buildGraph({
    name: 'small',
    inputs: [{ name: 'input', shape: [1, 4, 4] }],
    outputs: ['fc2'],
    metadata: {},
    nodes: [
      { op: 'Flatten', name: 'flat', inputs: ['input'], output: 'flat' },
      gemm('fc1', 'flat', 12, 16),
      { op: 'Activation', name: 'a1', inputs: ['fc1'], output: 'a1', attrs: { activation: normalizeActivation({ kind: 'helu' }) } },
      gemm('fc2', 'a1', 5, 12),
    ],
  } as Parameters<typeof buildGraph>[0]);
}

async function twoThreads(
  m: Parameters<typeof verifyModel>[0],
  data: { x: Float64Array; y: Int32Array; count: number },
  batch: number,
  float?: Graph,
) {
  const tallies = await withVerifyRun(m, { batch, float }, 2, (run) =>
    overChunks({ from: 0, to: data.count }, batch, 2, (c) => run.slice(data, c)),
  );
  return reduceVerify(verifiedTensors(m), { count: data.count, labelled: true }, tallies, { hasFloat: float !== undefined });
}

describe('verify run on two threads', () => {
  it('== one thread: quantized network with its float network, streamed in chunks', async () => {
    const g = smallGraph(7);
    const count = 61;
    let s = 3;
    const x = Float64Array.from({ length: count * 16 }, () => ((s = (s * 69069 + 1) >>> 0), s / 2 ** 32));
    const y = Int32Array.from({ length: count }, (_, i) => i % 5);
    const m = quantizeModel(g, { x, count });
    const one = verifyModel(m, { x, y, count }, { batch: 4, float: g });
    expect(one.mismatches).toBe(0);
    expect(JSON.stringify(await twoThreads(m, { x, y, count }, 4, g))).toBe(JSON.stringify(one));
  });

  it('== one thread: random pow2 models', async () => {
    await fc.assert(
      fc.asyncProperty(
        withInputs(arbPow2Model({ maxLayers: 4 }), { maxBatch: 9 }),
        fc.integer({ min: 1, max: 3 }),
        async ({ model, input, batch: count }, batch) => {
          const x = Float64Array.from(input),
            y = Int32Array.from({ length: count }, (_, i) => i % 3);
          const one = verifyModel(model, { x, y, count }, { batch });
          expect(JSON.stringify(await twoThreads(model, { x, y, count }, batch))).toBe(JSON.stringify(one));
        },
      ),
      { seed: 1315, numRuns: 4 },
    );
  });
});
