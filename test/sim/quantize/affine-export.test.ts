import { describe, expect, it } from 'vitest';
import { runFloat } from '../../../src/models/infer.js';
import { quantizeAffine } from '../../../src/sim/quantize/affine/export.js';
import { compareAffineSchemes } from '../../../src/sim/verify/affine-compare.js';
import { runAffine } from '../../../src/sim/engine/run.js';
import { runAffineReference } from '../../../src/sim/reference/run.js';
import { validateIntModel } from '../../../src/sim/quantize/validate.js';
import type { IntLayer } from '../../../src/sim/quantize/model.js';
import { cnnGraph, digitInputs, mlpGraph } from '../graphs.js';

/*
 * Affine export of float graphs (MLP with input scaling and HeLU; CNN with
 * normalization, BatchNorm, relu, gelu, pools, residual add, relu6, concat):
 * the model validates, its layers follow the conventions (symmetric int8
 * weights, int32 biases, fused relu), the engine under requant 'onnxruntime'
 * equals the float32 reference exactly, and every scheme stays close to the
 * real-arithmetic reference (differences printed; the bounds are loose
 * sanity limits, the figures themselves are the result).
 */

const calib = digitInputs(3, 200);
const test = digitInputs(4, 100);

function argmax(v: ArrayLike<number>, i: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (v[i * n + k]! > v[i * n + best]!) best = k;
  return best;
}

for (const [name, g] of [
  ['MLP', mlpGraph()],
  ['CNN', cnnGraph()],
] as const) {
  describe(`affine export of the test ${name}`, () => {
    for (const variant of [
      { activations: 'uint8', perChannel: false, reduceRange: false },
      { activations: 'int8', perChannel: true, reduceRange: true },
    ] as const) {
      const label = `${variant.activations}, ${variant.perChannel ? 'per-channel' : 'per-tensor'}${variant.reduceRange ? ', reduced range' : ''}`;
      const m = quantizeAffine(g, calib, variant);
      it(`${label}: a valid model with the affine conventions`, () => {
        expect(() => validateIntModel(JSON.parse(JSON.stringify(m)))).not.toThrow();
        expect(m.scheme).toBe('affine');
        expect(m.requant).toBe('onnxruntime');
        for (const l of m.layers as IntLayer[]) {
          expect(l.out.kind).toBe('affine');
          if (l.out.kind === 'affine') expect(l.out.type).toBe(variant.activations);
          if (l.op !== 'dense' && l.op !== 'conv') continue;
          const q = l.weights.quant as { scale: number[]; zeroPoint: number[]; type: string };
          expect(q.type).toBe('int8');
          expect(q.zeroPoint.every((z) => z === 0)).toBe(true);
          expect(q.scale.length).toBe(variant.perChannel ? l.weights.shape[0] : 1);
          const lim = variant.reduceRange ? 63 : 127;
          expect(l.weights.codes.every((c) => c >= -lim && c <= lim)).toBe(true);
        }
        // relu/helu after dense/conv/add are fused: their outputs are >= 0, so zp is the type's minimum
        const fused = m.layers.filter((l) => 'activation' in l && l.op !== 'activation');
        expect(fused.length).toBeGreaterThan(0);
      });
      it(`${label}: engine (onnxruntime) equals the float32 reference; every scheme near the real reference`, () => {
        const eng = runAffine(m, test.x, test.count, { requant: 'onnxruntime' }).tensors;
        const ref = runAffineReference(m, test.x, test.count, { arithmetic: 'float32' }).codes;
        for (const [t, codes] of ref) expect(Array.from(eng.get(t)!), t).toEqual(Array.from(codes));
        const report = compareAffineSchemes(m, test.x, test.count);
        for (const s of report.schemes) {
          console.log(
            `${name} ${label} ${s.scheme}: ${s.differing} of ${s.values} codes differ from the real reference, max ${s.maxLsb} LSB`,
          );
          // gemmlowp's double rounding loses the fraction of small accumulators (pools: sums of a few
          // codes): up to 1 LSB per layer there, growing through later layers; the others round once
          expect(s.differing / s.values).toBeLessThan(s.scheme === 'gemmlowp' ? 0.15 : 0.01);
          expect(s.maxLsb).toBeLessThanOrEqual(s.scheme === 'gemmlowp' ? 6 : 2);
        }
      });
      it(`${label}: activation layers run as their ROM circuits (gate mode) with the same codes`, () => {
        const acts = m.layers.filter((l) => l.op === 'activation');
        for (const l of acts) if (l.op === 'activation') expect(l.circuit.gates).toBeGreaterThan(0);
        const f = runAffine(m, test.x.subarray(0, 20 * 64), 20, {}).tensors;
        const gate = runAffine(m, test.x.subarray(0, 20 * 64), 20, { mode: 'gate' }).tensors;
        for (const [t, codes] of gate) expect(Array.from(codes), t).toEqual(Array.from(f.get(t)!));
      });
      it(`${label}: integer predictions agree with the float network on most samples`, () => {
        const fl = runFloat(g, test.x, test.count).output;
        const out = runAffine(m, test.x, test.count, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
        let agree = 0;
        for (let i = 0; i < test.count; i++) if (argmax(fl, i, 10) === argmax(out, i, 10)) agree++;
        expect(agree).toBeGreaterThanOrEqual(0.85 * test.count);
      });
    }
  });
}
