import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUANT_SCHEMES, type RequantScheme } from '../../../src/fixedpoint/requant.js';
import { runAffineCodes } from '../../../src/sim/engine/run.js';
import { runAffineReference } from '../../../src/sim/reference/run.js';
import { checkAffineLayer } from '../../../src/sim/quantize/affine/validate.js';
import { arbSpec, buildModel, inputCodes, type Op } from '../affine-random-layer.js';

/*
 * Random one-op affine models, inputs given as codes (so every scheme sees the
 * same input): the engine against the reference of the ONNX definitions.
 * Exact equalities: engine 'onnxruntime' = reference 'float32' on every value
 * and on the saturation/wrap counts; functional = gate mode. Reported: for
 * each scheme, how many outputs differ from the exact ('real') reference and
 * by how many LSBs (every scheme stays within 1 LSB of it on one op).
 */

const BATCH = 3;
const stats = new Map<string, { values: number; differing: number; maxLsb: number }>();
let overflowRuns = 0;

function record(scheme: RequantScheme, op: Op, a: Int32Array, b: Int32Array): number {
  let maxLsb = 0,
    differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d) differing++;
    maxLsb = Math.max(maxLsb, d);
  }
  for (const key of [`${scheme} (all ops)`, `${scheme} ${op}`]) {
    const s = stats.get(key) ?? { values: 0, differing: 0, maxLsb: 0 };
    stats.set(key, { values: s.values + a.length, differing: s.differing + differing, maxLsb: Math.max(s.maxLsb, maxLsb) });
  }
  return maxLsb;
}

describe('affine engine vs the ONNX-definition reference, random one-op models', () => {
  it('models are valid', () => {
    fc.assert(
      fc.property(arbSpec, (sp) => {
        const m = buildModel(sp);
        const infos = new Map([[m.input.name, { shape: m.input.shape, quant: m.input.quant as unknown }]]);
        m.layers.forEach((l, i) => {
          checkAffineLayer(
            l,
            l.inputs.map((n) => infos.get(n)!),
            `layers[${i}]`,
            m,
          );
          infos.set(l.output, { shape: l.shape, quant: l.out });
        });
      }),
      { seed: 101, numRuns: 100 },
    );
  });

  it("engine 'onnxruntime' equals the float32 reference exactly (codes and events)", () => {
    fc.assert(
      fc.property(arbSpec, (sp) => {
        const m = buildModel(sp);
        const x = inputCodes(m, sp.seed, BATCH);
        const eng = runAffineCodes(m, x, BATCH, { requant: 'onnxruntime' });
        const ref = runAffineReference(m, x, BATCH, { arithmetic: 'float32', inputCodes: true });
        const ev = ref.events.get('L')!;
        if ((sp.op === 'dense' || sp.op === 'conv') && sp.accBits < 32 && ev.wraps + ev.saturations > 0) overflowRuns++;
        for (const l of m.layers) {
          expect(Array.from(eng.tensors.get(l.output)!), l.output).toEqual(Array.from(ref.codes.get(l.output)!));
          expect(eng.events.get(l.name), l.name).toEqual(ref.events.get(l.name));
        }
      }),
      { seed: 202, numRuns: 250 },
    );
  });

  it('every scheme lands within 1 LSB of the exact reference on one op; accumulator events match', () => {
    fc.assert(
      fc.property(arbSpec, (sp) => {
        const m = buildModel(sp);
        const x = inputCodes(m, sp.seed, BATCH);
        const ref = runAffineReference(m, x, BATCH, { arithmetic: 'real', inputCodes: true });
        for (const scheme of REQUANT_SCHEMES) {
          const eng = runAffineCodes(m, x, BATCH, { requant: scheme });
          // the op under test reads the same codes in both paths (copy layers use this scheme too)
          const ins = m.layers.at(-1)!.inputs;
          const sameInputs = ins.every((i) => eng.tensors.get(i)!.every((v, k) => v === ref.codes.get(i)![k]));
          if (!sameInputs) continue;
          const maxLsb = record(scheme, sp.op, eng.tensors.get('y')!, ref.codes.get('y')!);
          expect(maxLsb, scheme).toBeLessThanOrEqual(1);
          expect(eng.events.get('L')!.wraps, scheme).toBe(ref.events.get('L')!.wraps);
        }
      }),
      { seed: 303, numRuns: 250 },
    );
  });

  it('functional and gate mode give the same codes', () => {
    fc.assert(
      fc.property(
        arbSpec.filter((s) => s.op === 'activation'),
        (sp) => {
          const m = buildModel(sp);
          const x = inputCodes(m, sp.seed, BATCH);
          for (const requant of ['onnxruntime', 'gemmlowp'] as const) {
            const f = runAffineCodes(m, x, BATCH, { requant, mode: 'functional' }).tensors.get('y')!;
            const g = runAffineCodes(m, x, BATCH, { requant, mode: 'gate' }).tensors.get('y')!;
            expect(Array.from(g)).toEqual(Array.from(f));
          }
        },
      ),
      { seed: 404, numRuns: 25 },
    );
  });

  afterAll(() => {
    const lines = [...stats]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, s]) => `${k}: ${s.differing} of ${s.values} outputs differ from the exact reference, max ${s.maxLsb} LSB`);
    console.log(lines.join('\n'));
    console.log(`narrowed accumulators that overflowed (events equal in both paths): ${overflowRuns} runs`);
    expect(overflowRuns).toBeGreaterThan(0);
  });
});
