import { describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { runAffine } from '../../../../src/sim/engine/run.js';
import type { AccumulationMode } from '../../../../src/sim/engine/scheme.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import { hostAccumulation } from '../../../../src/sim/importers/ort-host.js';
import { OnnxBuilder, rng, runOrt } from './build.js';
import { qopCnn, qopMlp, type Options, type TestModel } from './models.js';
import { qdqCnn, qdqMlp } from './models-qdq.js';

/*
 * Weights over the full int8 range against onnxruntime-node: with uint8
 * activations onnxruntime's x86 u8 x s8 kernels without VNNI saturate pairs
 * of products to int16 (engine/affine/pairsat.ts). helu-sim in the
 * accumulation that matches this CPU (/proc/cpuinfo) must give onnxruntime's
 * codes exactly; on a CPU where the modes differ, the other mode must not
 * (the comparison can tell them apart).
 */

const HOST = hostAccumulation();
const OTHER: AccumulationMode = HOST === 'exact' ? 'ort-u8s8-pairsat' : 'exact';
const INT8_QDQ: ort.InferenceSession.SessionOptions = { extra: { session: { qdqisint8allowed: '1' } } };

async function mismatches(
  t: TestModel,
  seed: number,
  opts: ort.InferenceSession.SessionOptions = {},
  batch = 48,
): Promise<Record<AccumulationMode, number>> {
  const r = rng(seed);
  const per = t.inputShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: batch * per }, () => r.float(t.inputRange[0], t.inputRange[1]));
  const want = await runOrt(t.bytes, { x: { data: x, dims: [batch, ...t.inputShape] } }, opts);
  const m = importQuantizedOnnx(t.bytes, 'test.onnx');
  const count = (accumulation: AccumulationMode): number => {
    const got = runAffine(m, x, batch, { requant: 'onnxruntime', accumulation, keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
    expect(got.length).toBe(want.length);
    return want.filter((w, i) => got[i] !== w).length;
  };
  expect(new Set(want).size).toBeGreaterThan(20);
  return { exact: count('exact'), 'ort-u8s8-pairsat': count('ort-u8s8-pairsat') };
}

/** One QLinearConv (uint8 x int8, weights over [-128, 127]) after a QuantizeLinear whose codes cover 0..255. */
function oneConv(c: number, m: number, k: number, pad: number, group: number, perChannel: boolean, seed: number): TestModel {
  const r = rng(seed);
  const b = new OnnxBuilder();
  const H = 7,
    cg = c / group,
    oh = H + 2 * pad - k + 1;
  b.node('QuantizeLinear', ['x', b.scalar('float', 1), b.scalar('uint8', 17)], ['xq']);
  const W = b.init(
    'W',
    'int8',
    [m, cg, k, k],
    Array.from({ length: m * cg * k * k }, () => r.int(-128, 127)),
  );
  const ws = perChannel
    ? b.init(
        'ws',
        'float',
        [m],
        Array.from({ length: m }, () => 1),
      )
    : b.scalar('float', 1);
  const wz = perChannel
    ? b.init(
        'wz',
        'int8',
        [m],
        Array.from({ length: m }, () => 0),
      )
    : b.scalar('int8', 0);
  const B = b.init(
    'B',
    'int32',
    [m],
    Array.from({ length: m }, () => r.int(-5000, 5000)),
  );
  const sy = (Math.sqrt(cg * k * k) * 128 * 74) / 50;
  b.node(
    'QLinearConv',
    ['xq', b.scalar('float', 1), b.scalar('uint8', 17), W, ws, wz, b.scalar('float', Math.fround(sy)), b.scalar('uint8', 128), B],
    ['y'],
    { kernel_shape: [k, k], pads: [pad, pad, pad, pad], group },
  );
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, c, H, H] }, { name: 'y', type: 'uint8', shape: [1, m, oh, oh] }),
    inputShape: [c, H, H],
    outputShape: [m, oh, oh],
    inputRange: [-17, 238],
  };
}

function expectHostExact(res: Record<AccumulationMode, number>, exposed: boolean): void {
  expect(res[HOST], `${HOST} (this CPU's accumulation)`).toBe(0);
  if (exposed && HOST !== OTHER) expect(res[OTHER], `${OTHER} must differ somewhere`).toBeGreaterThan(0);
}

describe(`QLinearConv pairing order against onnxruntime (this CPU: ${HOST})`, () => {
  const cases: [string, number, number, number, number, number, boolean][] = [
    ['1 channel, pad 1', 1, 4, 3, 1, 1, false],
    ['3 channels (pairs cross taps), pad 1', 3, 5, 3, 1, 1, false],
    ['5 channels, per-channel, pad 2', 5, 4, 3, 2, 1, true],
    ['8 channels, 1x1', 8, 6, 1, 0, 1, false],
    ['groups of 3 channels', 6, 4, 3, 1, 2, false],
    ['channel multiplier 2 (group = C, 2 outputs per group)', 4, 8, 3, 1, 4, false],
  ];
  for (const [name, c, m, k, pad, group, pc] of cases) {
    it(name, async () => expectHostExact(await mismatches(oneConv(c, m, k, pad, group, pc, c * 31 + m), c + m, {}, 6), true));
  }
  it('depthwise (one channel per group) is exact in onnxruntime: both modes agree with it', async () => {
    const res = await mismatches(oneConv(6, 6, 3, 1, 6, false, 5), 9, {}, 6);
    expect(res).toEqual({ exact: 0, 'ort-u8s8-pairsat': 0 });
  });
});

const VARIANTS: Options[] = [];
for (const act of ['uint8', 'int8'] as const)
  for (const perChannel of [false, true]) VARIANTS.push({ act, perChannel, seed: 101 + VARIANTS.length, fullRange: true });

describe(`full-range int8 weights against onnxruntime, accumulation of this CPU (${HOST})`, () => {
  for (const o of VARIANTS) {
    const tag = `${o.act}, ${o.perChannel ? 'per-channel' : 'per-tensor'}`;
    const opts = o.act === 'int8' ? INT8_QDQ : {};
    // int8 x int8 never saturates: both modes give onnxruntime's codes
    const exposed = o.act === 'uint8';
    it(`QOperator MLP, ${tag}`, async () => expectHostExact(await mismatches(qopMlp(o), o.seed * 7), exposed));
    it(`QOperator CNN (padding, depthwise, pools, residual QLinearAdd), ${tag}`, async () =>
      expectHostExact(await mismatches(qopCnn(o), o.seed * 13), exposed));
    it(`QDQ MLP, ${tag}`, async () => expectHostExact(await mismatches(qdqMlp(o), o.seed * 17, opts), exposed));
    it(`QDQ CNN (padding, pools, residual Add, GlobalAveragePool, Gemm), ${tag}`, async () =>
      expectHostExact(await mismatches(qdqCnn(o), o.seed * 19, opts), exposed));
  }
});
