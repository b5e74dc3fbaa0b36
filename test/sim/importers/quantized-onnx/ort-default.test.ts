import { describe, expect, it } from 'vitest';
import { runAffine } from '../../../../src/sim/engine/run.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { ORT_S8_TO_U8, sessionModel, type SessionAccumulation } from '../../../../src/sim/importers/ort-default.js';
import { hostAccumulation, hostDefaultSession } from '../../../../src/sim/importers/ort-host.js';
import { rng, runOrt } from './build.js';
import type { TestModel } from './models.js';
import { qdqCnn, qdqMlp } from './models-qdq.js';

/*
 * onnxruntime-node under DEFAULT session options on int8 QDQ models: on x86
 * it rewrites single-use int8 QuantizeLinear/DequantizeLinear pairs to uint8
 * (importers/ort-default.ts) and then pair-saturates u8 x s8 products on
 * AVX2 without VNNI. helu-sim in this CPU's default-session mode must give
 * its codes; the mode that ignores the rewrite must not (full-range weights).
 */

const MODE = hostDefaultSession();

async function compare(t: TestModel, seed: number, batch = 32): Promise<{ differing: number; maxLsb: number; ignoringRewrite: number }> {
  const r = rng(seed),
    per = t.inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * per }, () => r.float(t.inputRange[0], t.inputRange[1]));
  const want = await runOrt(t.bytes, { x: { data: x, dims: [batch, ...t.inputShape] } });
  const file = importQuantizedOnnx(t.bytes, 't.onnx');
  const codes = (mode: SessionAccumulation) => {
    const { model, accumulation } = sessionModel(file, mode);
    return runAffine(model, x, batch, { requant: 'onnxruntime', accumulation, keep: 'outputs' }).tensors.get(model.outputs[0]!)!;
  };
  const got = codes(MODE);
  const d = want.map((w, i) => Math.abs(w - got[i]!));
  const plain = codes(hostAccumulation());
  return {
    differing: d.filter((v) => v > 0).length,
    maxLsb: Math.max(...d),
    ignoringRewrite: want.filter((w, i) => w !== plain[i]).length,
  };
}

describe(`int8 QDQ models against onnxruntime-node with default session options (this CPU: ${MODE})`, () => {
  for (const fullRange of [false, true])
    for (const perChannel of [false, true]) {
      const tag = `${perChannel ? 'per-channel' : 'per-tensor'}, weights ${fullRange ? 'over [-128, 127]' : 'in [-64, 63]'}`;
      it(`QDQ MLP (Gemm, MatMul, Add of a constant, Relu), ${tag}: equal`, async () => {
        const r = await compare(qdqMlp({ act: 'int8', perChannel, seed: 7, fullRange }), 3);
        expect(r.differing).toBe(0);
        if (fullRange && MODE === 'ort-s8u8-pairsat') expect(r.ignoringRewrite).toBeGreaterThan(0);
      });
    }
  it('QDQ CNN, per-tensor, full-range weights: equal (the residual branch stays int8 and runs in float32)', async () => {
    const t = qdqCnn({ act: 'int8', perChannel: false, seed: 7, fullRange: true });
    const r = await compare(t, 3);
    expect(r.differing).toBe(0);
    if (MODE === 'ort-s8u8-pairsat') expect(r.ignoringRewrite).toBeGreaterThan(0);
    // the average pool's output feeds a Conv and the residual Add: it keeps int8
    const shifted = importQuantizedOnnx(t.bytes, 't.onnx').metadata![ORT_S8_TO_U8]!.split(',');
    expect(shifted).toContain('x');
    expect(shifted.length).toBe(9);
  });
  it('QDQ CNN, per-channel: the unfused float32 residual Conv differs in a few codes by at most 2 LSB (documented)', async () => {
    const r = await compare(qdqCnn({ act: 'int8', perChannel: true, seed: 7, fullRange: true }), 3);
    expect(r.maxLsb).toBeLessThanOrEqual(2);
    expect(r.differing).toBeLessThan(320 / 8);
  });
});
