import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../../src/models/datasets/index.js';
import { runAffine } from '../../../../src/sim/engine/run.js';
import { importQuantizedOnnx } from '../../../../src/sim/importers/quantized-onnx/import.js';
import type { IntModel } from '../../../../src/sim/quantize/model.js';

/*
 * Where PyTorch's onednn engine and helu-sim's 'pytorch' scheme (in accumulation
 * 'onednn-u8s8-pairsat', with PyTorch's kernel biases) still differ, counted
 * cause by cause. The four PyTorch fixtures are evaluated here from their
 * parameters as PyTorch holds them (torch-onednn-params.json, written by
 * make_onednn.py) by an oracle written from the kernels' definitions, with
 * each arithmetic choice switchable between what onednn does and what the
 * 'pytorch' scheme (qnnpack's arithmetic) does:
 * - bias: oneDNN adds the float32 bias scaled into the accumulator domain,
 *   float32(b * float32(float32(1/s_in) * float32(1/s_w))), not rounded to an
 *   integer; qnnpack adds the int32 kernel bias (torch-codes.json);
 * - multiplier: oneDNN's output scale is formed from the reciprocal scales
 *   PyTorch hands it, float32(float32(1/s_out) / float32(float32(1/s_in) *
 *   float32(1/s_w))); ATen's is float32(float32(s_in * s_w) / s_out);
 * - zero point: oneDNN adds the output zero point in float32 before rounding
 *   (round(float32(v + zp))); qnnpack rounds, then adds it;
 * - pool: PyTorch's generic quantized avg_pool2d (used outside qnnpack)
 *   rounds the mean of the raw codes, that is the zero point is added before
 *   rounding; qnnpack rounds the centred mean, then adds it;
 * - add: PyTorch's generic quantized add (used outside qnnpack) dequantizes
 *   with a fused multiply-add, fma(q, s, float32(-zp * s)), adds in float32
 *   and quantizes by the float32 inverse scale; qnnpack adds in fixed point.
 * Rounding is half to even throughout (lrintf, vcvtps2dq). Accumulation:
 * vpmaddubsw pairs as in onednn.test.ts.
 */

const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'quantized');
const read = (f: string) => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
interface Layer {
  op: 'Linear' | 'Conv2d';
  inScale: number;
  inZeroPoint: number;
  weightShape: number[];
  weightCodes: number[];
  weightScales: number[];
  weightZeroPoints: number[];
  bias: number[];
  outScale: number;
  outZeroPoint: number;
}
const params = read('torch-onednn-params.json') as {
  models: Record<string, { layers: Layer[]; add: { scale: number; zeroPoint: number } | null }>;
};
const onednn = read('torch-onednn-codes.json') as { models: Record<string, { codes: number[][] }> };
const torch = read('torch-codes.json') as { models: Record<string, { kernelBiases: number[][] }> };
const digits = loadDigits().test;

const f = Math.fround;
/** Round half to even. */
function rne(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
const u8 = (v: number) => Math.min(255, Math.max(0, v));
const sat16 = (v: number) => Math.min(32767, Math.max(-32768, v));

interface Semantics {
  bias: 'float' | 'kernel';
  multiplier: 'reciprocal' | 'aten';
  zeroPoint: 'float' | 'integer';
  pool: 'raw-mean' | 'centred-mean';
  add: 'float' | 'qnnpack';
}
const ONEDNN: Semantics = { bias: 'float', multiplier: 'reciprocal', zeroPoint: 'float', pool: 'raw-mean', add: 'float' };
const QNNPACK: Semantics = { bias: 'kernel', multiplier: 'aten', zeroPoint: 'integer', pool: 'centred-mean', add: 'qnnpack' };

/** The output code of a Linear/Conv2d channel c from its exact (pair-saturated) accumulator. */
function outStage(acc: number, l: Layer, c: number, kernelBias: number, s: Semantics): number {
  const sw = l.weightScales[l.weightScales.length === 1 ? 0 : c]!;
  const rIn = f(1 / l.inScale),
    rW = f(1 / sw);
  const bias = s.bias === 'float' ? f(l.bias[c]! * f(rIn * rW)) : kernelBias;
  const m = s.multiplier === 'reciprocal' ? f(f(1 / l.outScale) / f(rIn * rW)) : f(f(l.inScale * sw) / l.outScale);
  const v = f(f(acc + bias) * m);
  return u8(s.zeroPoint === 'float' ? rne(f(v + l.outZeroPoint)) : rne(v) + l.outZeroPoint);
}

/** vpmaddubsw: sum over (k, k+1) pairs of sat16(x[k] w[k] + x[k+1] w[k+1]), an odd last product alone. */
function pairDot(x: number[], w: number[]): number {
  let s = 0;
  for (let k = 0; k < x.length; k += 2) s += sat16(x[k]! * w[k]! + (k + 1 < x.length ? x[k + 1]! * w[k + 1]! : 0));
  return s;
}

const sum = (a: number[]) => a.reduce((p, v) => p + v, 0);

function linear(x: number[], l: Layer, kb: number[], s: Semantics): number[] {
  const [N, K] = l.weightShape as [number, number];
  const rows = Array.from({ length: N }, (_, n) => l.weightCodes.slice(n * K, (n + 1) * K));
  return rows.map((w, n) => outStage(pairDot(x, w) - l.inZeroPoint * sum(w), l, n, kb[n]!, s));
}

/** 3x3 convolution, padding 1 (padding holds the raw input zero point), [C, H, W] -> [M, H, W]; pairs of channels inside each tap. */
function conv(x: number[], H: number, l: Layer, kb: number[], s: Semantics): number[] {
  const [M, C] = l.weightShape as [number, number];
  const w = l.weightCodes,
    out: number[] = [];
  const xs = new Array<number>(C),
    ws = new Array<number>(C);
  for (let m = 0; m < M; m++) {
    const wsum = sum(w.slice(m * C * 9, (m + 1) * C * 9));
    for (let oy = 0; oy < H; oy++)
      for (let ox = 0; ox < H; ox++) {
        let acc = 0;
        for (let t = 0; t < 9; t++) {
          const y = oy + Math.floor(t / 3) - 1,
            xx = ox + (t % 3) - 1;
          const inside = y >= 0 && y < H && xx >= 0 && xx < H;
          for (let c = 0; c < C; c++) {
            xs[c] = inside ? x[(c * H + y) * H + xx]! : l.inZeroPoint;
            ws[c] = w[(m * C + c) * 9 + t]!;
          }
          acc += pairDot(xs, ws);
        }
        out.push(outStage(acc - l.inZeroPoint * wsum, l, m, kb[m]!, s));
      }
  }
  return out;
}

/** 2x2 average pool, stride 2, on [C, H, W]; the output keeps the input's scale and zero point z. */
function pool(x: number[], C: number, H: number, z: number, s: Semantics): number[] {
  const out: number[] = [],
    h = H / 2;
  for (let c = 0; c < C; c++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < h; xx++) {
        const at = (i: number, j: number) => x[(c * H + 2 * y + i) * H + 2 * xx + j]!;
        const raw = at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1);
        out.push(s.pool === 'raw-mean' ? rne(raw / 4) : z + rne((raw - 4 * z) / 4));
      }
  return out;
}

/** Quantized add of a (sa, za) and b (sb, zb) into (sc, zc). */
function add(a: number[], b: number[], [sa, za]: number[], [sb, zb]: number[], [sc, zc]: number[], s: Semantics): number[] {
  if (s.add === 'float') {
    const deq = (q: number, sq: number, zq: number) => f(q * sq + f(sq * -zq));
    const inv = f(1 / sc);
    return a.map((q, i) => u8(zc + rne(f(f(deq(q, sa!, za!) + deq(b[i]!, sb!, zb!)) * inv))));
  }
  const rA = f(sa! / sc!),
    rB = f(sb! / sc!);
  const shift = 21 - Math.floor(Math.log2(Math.max(rA, rB)));
  const mA = rne(rA * 2 ** shift),
    mB = rne(rB * 2 ** shift);
  return a.map((q, i) => {
    const acc = mA * (q - za!) + mB * (b[i]! - zb!);
    return u8(zc! + Math.sign(acc) * Math.floor(Math.abs(acc) / 2 ** shift + 0.5));
  });
}

/** The output codes of one sample (64 pixel values 0..16) under semantics s. */
function forward(name: string, pixels: number[], s: Semantics): number[] {
  const { layers, add: addQ } = params.models[name]!;
  const kb = torch.models[name]!.kernelBiases;
  const [l0, l1, l2] = layers as [Layer, Layer, Layer | undefined];
  const norm = name.startsWith('mlp') ? (p: number) => f(p / 16) : (p: number) => f(f(p - 8) / 8);
  const x = pixels.map((p) => u8(l0.inZeroPoint + rne(f(norm(p) * f(1 / l0.inScale)))));
  const relu = (v: number[], z: number) => v.map((c) => Math.max(c, z));
  if (!l2) return linear(relu(linear(x, l0, kb[0]!, s), l0.outZeroPoint), l1, kb[1]!, s);
  const p = pool(relu(conv(x, 8, l0, kb[0]!, s), l0.outZeroPoint), 8, 8, l0.outZeroPoint, s);
  const r = relu(conv(p, 4, l1, kb[1]!, s), l1.outZeroPoint);
  const sum = add(p, r, [l0.outScale, l0.outZeroPoint], [l1.outScale, l1.outZeroPoint], [addQ!.scale, addQ!.zeroPoint], s);
  return linear(sum, l2, kb[2]!, s);
}

function codes(name: string, s: Semantics): number[] {
  const out: number[] = [];
  for (let i = 0; i < digits.count; i++) out.push(...forward(name, Array.from(digits.x.subarray(i * 64, (i + 1) * 64)), s));
  return out;
}

const differing = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length;

function heluSim(name: string): number[] {
  const m = importQuantizedOnnx(readFileSync(join(DIR, `${name}_op13.onnx`)), name);
  let k = 0;
  const kb = torch.models[name]!.kernelBiases;
  const mk = { ...m, layers: m.layers.map((l) => (l.op === 'dense' || l.op === 'conv' ? { ...l, bias: kb[k++]! } : l)) } as IntModel;
  const opts = { keep: 'outputs', requant: 'pytorch', accumulation: 'onednn-u8s8-pairsat' } as const;
  return Array.from(runAffine(mk, digits.x, digits.count, opts).tensors.get(mk.outputs[0]!)!);
}

/** Codes differing from onednn's when one choice alone is qnnpack's, and helu-sim's total, measured. */
const EXPECTED: Record<string, Record<keyof Semantics | 'all', number>> = {
  mlp_eager: { bias: 8, multiplier: 0, zeroPoint: 0, pool: 0, add: 0, all: 8 },
  mlp_fx: { bias: 1, multiplier: 0, zeroPoint: 0, pool: 0, add: 0, all: 1 },
  cnn_eager: { bias: 14, multiplier: 0, zeroPoint: 0, pool: 0, add: 3, all: 17 },
  cnn_fx: { bias: 12, multiplier: 0, zeroPoint: 0, pool: 0, add: 0, all: 12 },
};

describe("PyTorch's onednn engine: every code that differs from helu-sim's pytorch scheme, by cause", () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: the oracle gives onednn's codes with onednn's choices and helu-sim's with qnnpack's`, () => {
      const want = onednn.models[name]!.codes.flat();
      expect(differing(codes(name, ONEDNN), want)).toBe(0);
      const helu = heluSim(name);
      expect(differing(codes(name, QNNPACK), helu)).toBe(0);
      const got: Record<string, number> = { all: differing(helu, want) };
      for (const k of Object.keys(ONEDNN) as (keyof Semantics)[]) got[k] = differing(codes(name, { ...ONEDNN, [k]: QNNPACK[k] }), want);
      expect(got).toEqual(expected);
      // the bias and the add alone make every difference: with those two qnnpack's, the codes are helu-sim's
      expect(differing(codes(name, { ...ONEDNN, bias: 'kernel', add: 'qnnpack' }), helu)).toBe(0);
    });
  }
});
