import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { hostAccumulation } from '../../../../src/sim/importers/ort-host.js';
import { runAffineReference } from '../../../../src/sim/reference/run.js';
import { compareAffineSchemes } from '../../../../src/sim/verify/affine-compare.js';
import { rng, runOrt } from './build.js';
import { qopCnn, qopMlp, type TestModel } from './models.js';
import { qdqCnn } from './models-qdq.js';

/*
 * verify --accumulation: the reference's pair-saturating accumulation
 * (reference/affine/pairsat.ts, written from PMADDUBSW's definition) against
 * onnxruntime-node on this CPU, and the engine against that reference.
 * With the reference's float32 arithmetic (onnxruntime's requantization) and
 * the accumulation of this CPU, the reference must give onnxruntime's codes;
 * the other accumulation must not (full-range weights saturate pairs).
 */

const HOST = hostAccumulation();
const OTHER = HOST === 'exact' ? 'ort-u8s8-pairsat' : 'exact';

function input(t: TestModel, seed: number, batch: number): Float32Array {
  const r = rng(seed);
  const per = t.inputShape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: batch * per }, () => r.float(t.inputRange[0], t.inputRange[1]));
}

const MODELS: [string, TestModel][] = [
  ['QOperator MLP', qopMlp({ act: 'uint8', perChannel: true, seed: 3, fullRange: true })],
  ['QOperator CNN', qopCnn({ act: 'uint8', perChannel: false, seed: 4, fullRange: true })],
  ['QDQ CNN', qdqCnn({ act: 'uint8', perChannel: true, seed: 5, fullRange: true })],
];

describe(`reference with the accumulation of this CPU (${HOST}) against onnxruntime-node`, () => {
  for (const [name, t] of MODELS) {
    it(name, async () => {
      const batch = 8,
        x = input(t, name.length, batch);
      const want = await runOrt(t.bytes, { x: { data: x, dims: [batch, ...t.inputShape] } });
      const m = importQuantizedOnnx(t.bytes, 'p.onnx');
      const codes = (accumulation: typeof HOST) =>
        Array.from(runAffineReference(m, x, batch, { arithmetic: 'float32', accumulation }).codes.get(m.outputs[0]!)!);
      expect(codes(HOST)).toEqual(want);
      if (HOST !== OTHER) expect(codes(OTHER).filter((v, i) => v !== want[i]).length).toBeGreaterThan(0);
      // what verify reports: the onnxruntime scheme equals the reference in this accumulation
      const r = compareAffineSchemes(m, x, batch, { reference: 'float32', accumulation: 'ort-u8s8-pairsat', schemes: ['onnxruntime'] });
      expect(r.schemes[0]!.differing).toBe(0);
    });
  }
});

describe('engine against the reference, both pair-saturating, onnxruntime and oneDNN pairing (property)', () => {
  it('random full-range models and inputs: every code of every tensor equal (onnxruntime scheme, float32 reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.boolean(), fc.boolean(), fc.boolean(), (seed, perChannel, cnn, onednn) => {
        const t = (cnn ? qopCnn : qopMlp)({ act: 'uint8', perChannel, seed, fullRange: true });
        const m = importQuantizedOnnx(t.bytes, 'p.onnx');
        const r = compareAffineSchemes(m, input(t, seed, 3), 3, {
          reference: 'float32',
          accumulation: onednn ? 'onednn-u8s8-pairsat' : 'ort-u8s8-pairsat',
          schemes: ['onnxruntime'],
        });
        return r.schemes[0]!.differing === 0;
      }),
      { numRuns: 12 },
    );
  });
});
