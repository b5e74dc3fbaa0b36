import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/errors.js';
import { Rng } from '../../../../src/random.js';
import { importQonnx } from '../../../../src/sim/importers/qonnx/import.js';
import type { AffineQuant } from '../../../../src/sim/quantize/model.js';
import { runAffineReference } from '../../../../src/sim/reference/run.js';
import { compareAffineSchemes } from '../../../../src/sim/verify/affine-compare.js';

/*
 * FLOOR and CEIL on affine runtime tensors: Trunc of a quantized tensor (FLOOR
 * by default, and CEIL), and a Quant in FLOOR / CEIL of a tensor whose grid
 * divides its scale; BipolarQuant of runtime tensors. Expected outputs: an oracle written here from the QONNX
 * definitions (docs/qonnx.md) in float64, the scales chosen so that every
 * value below is exact; plus the rounding identity the import relies on,
 * checked on integers in exact rational arithmetic.
 */

const o = onnxProto.onnx;
const DOMAIN = 'qonnx.custom_op.general';
const f = Math.fround;
type Mode = 'ROUND' | 'FLOOR' | 'CEIL' | 'ROUND_TO_ZERO';

function rnd(y: number, mode: Mode): number {
  if (mode === 'FLOOR') return Math.floor(y);
  if (mode === 'CEIL') return Math.ceil(y);
  if (mode === 'ROUND_TO_ZERO') return Math.trunc(y);
  const fl = Math.floor(y),
    d = y - fl;
  return d > 0.5 || (d === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
}
/** QONNX Quant: q = round(clamp(x / s + z, min, max)), y = (q - z) * s. */
function quant(x: number, s: number, z: number, [lo, hi]: [number, number], mode: Mode): number {
  return (rnd(Math.min(hi, Math.max(lo, x / s + z)), mode) - z) * s;
}
/** QONNX Trunc (zeropt 0): y = round(X / scale) / 2^k, clamped, rounded with mode, times out_scale. */
function trunc(x: number, scale: number, k: number, [lo, hi]: [number, number], mode: Mode): number {
  return rnd(Math.min(hi, Math.max(lo, rnd(x / scale, 'ROUND') / 2 ** k)), mode) * scale * 2 ** k;
}

class G {
  nodes: onnxProto.onnx.INodeProto[] = [];
  inits: onnxProto.onnx.ITensorProto[] = [];
  n = 0;
  c(v: number[] | number, dims: number[] = []): string {
    const name = `c${this.n++}`;
    this.inits.push({ name, dims, dataType: 1, floatData: Array.isArray(v) ? v : [v] });
    return name;
  }
  node(op: string, inputs: string[], attrs: Record<string, number | string> = {}, domain = DOMAIN): string {
    const out = `${op}${this.n++}`;
    const attribute = Object.entries(attrs).map(([name, v]) =>
      typeof v === 'string' ? { name, type: 3, s: new TextEncoder().encode(v) } : { name, type: 2, i: v },
    );
    this.nodes.push({ opType: op, domain, name: out, input: inputs, output: [out], attribute });
    return out;
  }
  quant(x: string, s: number, z: number, bits: number, signed: number, narrow: number, mode: Mode): string {
    return this.node('Quant', [x, this.c(s), this.c(z), this.c(bits)], { signed, narrow, rounding_mode: mode });
  }
  bytes(out: string, inSize: number): Uint8Array {
    const graph = {
      name: 'g',
      node: this.nodes,
      initializer: this.inits,
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: inSize }] } } } }],
      output: [{ name: out }],
    };
    const opsetImport = [
      { domain: '', version: 13 },
      { domain: DOMAIN, version: 1 },
    ];
    return o.ModelProto.encode(o.ModelProto.create({ irVersion: 8, opsetImport, graph })).finish();
  }
}

const matmul = (x: number[], w: number[], N: number) =>
  Array.from({ length: N }, (_, n) => x.reduce((a, v, k) => a + v * w[k * N + n]!, 0));

/**
 * x[6] -> 8-bit signed Quant (s0, zp 5) -> Trunc to 6 bits, out_scale 4 s0 (truncMode)
 * -> 8-bit unsigned Quant (s1 = s0 ... ROUND after a Relu) -> Quant to 4 bits unsigned narrow at 3 s1 (quantMode, zp 2)
 * -> MatMul (4-bit weights at 0.5) -> 8-bit Quant (s2, zp -3).
 */
function net(truncMode: Mode, quantMode: Mode) {
  const r = new Rng(17);
  const g = new G();
  const s0 = f(0.3),
    s1 = 0.15625,
    s2 = f(0.7);
  const W = Array.from({ length: 24 }, () => (r.next() - 0.5) * 12);
  const a = g.quant('x', s0, 5, 8, 1, 0, 'ROUND');
  const t = g.node('Trunc', [a, g.c(s0), g.c(0), g.c(8), g.c(s0 * 4), g.c(6)], { rounding_mode: truncMode });
  const b = g.quant(g.node('Relu', [t], {}, ''), s1, 100, 8, 0, 0, 'ROUND');
  const c = g.quant(b, s1 * 3, 2, 4, 0, 1, quantMode);
  const w = g.quant(g.c(W, [6, 4]), 0.5, 0, 4, 1, 0, 'ROUND');
  const y = g.quant(g.node('MatMul', [c, w], {}, ''), s2, -3, 8, 1, 0, 'ROUND');
  const wq = W.map((v) => quant(v, 0.5, 0, [-8, 7], 'ROUND'));
  const oracle = (x: number[]): number[] => {
    const h = x
      .map((v) => quant(v, s0, 5, [-128, 127], 'ROUND'))
      .map((v) => trunc(v, s0, 2, [-32, 31], truncMode))
      .map((v) => quant(Math.max(0, v), s1, 100, [0, 255], 'ROUND'))
      .map((v) => quant(v, s1 * 3, 2, [0, 14], quantMode));
    return matmul(h, wq, 4).map((v) => quant(v, s2, -3, [-128, 127], 'ROUND'));
  };
  return { bytes: g.bytes(y, 6), oracle };
}

describe('affine QONNX: FLOOR and CEIL on runtime tensors', () => {
  for (const [truncMode, quantMode] of [
    ['FLOOR', 'CEIL'],
    ['CEIL', 'FLOOR'],
    ['FLOOR', 'FLOOR'],
  ] as const) {
    it(`Trunc ${truncMode}, Quant ${quantMode}: the reference equals the QONNX oracle on every output; verify per scheme`, () => {
      const { bytes, oracle } = net(truncMode, quantMode);
      const m = importQonnx(bytes, 'rounding.onnx');
      expect(m.scheme).toBe('affine');
      const r = new Rng(3);
      const batch = 500;
      const x = Array.from({ length: batch * 6 }, () => (r.next() - 0.4) * 30);
      const want = Array.from({ length: batch }, (_, b) => oracle(x.slice(b * 6, b * 6 + 6))).flat();
      expect(new Set(want).size).toBeGreaterThan(8);
      const out = m.outputs[0]!;
      expect(Array.from(runAffineReference(m, x, batch).tensors.get(out)!)).toEqual(want);
      // the rounding mode matters here: rounding half to even instead changes outputs
      const round = net('ROUND', 'ROUND').oracle;
      expect(want.some((v, i) => v !== round(x.slice(Math.floor(i / 4) * 6, Math.floor(i / 4) * 6 + 6))[i % 4])).toBe(true);
      const report = compareAffineSchemes(m, x, batch);
      // gemmlowp's fixed-point add is 1 LSB off in a few codes; every float or single-rounding scheme is exact
      for (const s of report.schemes)
        expect([s.scheme, s.differing === 0, s.maxLsb]).toEqual(s.scheme === 'gemmlowp' ? [s.scheme, false, 1] : [s.scheme, true, 0]);
      const q = m.layers.find((l) => l.output === out)!.out as AffineQuant;
      expect([q.scale[0], q.zeroPoint[0]]).toEqual([f(0.7), -3]);
    });
  }

  it('refuses FLOOR / CEIL when the input is not on a grid that divides the scale, and ROUND_TO_ZERO, in one line', () => {
    const cases: [(g: G) => string, RegExp][] = [
      [
        (g) => g.quant(g.quant('x', 0.25 * 3, 1, 8, 1, 0, 'ROUND'), 0.25 * 4, 0, 6, 1, 0, 'FLOOR'),
        /\(Quant\): rounding_mode FLOOR on a runtime tensor needs its input on a grid/,
      ],
      [
        (g) => g.quant(g.quant('x', 0.3, 1, 8, 1, 0, 'ROUND'), 0.6, 0, 6, 1, 0, 'ROUND_TO_ZERO'),
        /\(Quant\): rounding_mode ROUND_TO_ZERO on a runtime tensor/,
      ],
      [
        (g) => g.node('Trunc', [g.quant('x', 0.3, 0, 8, 1, 0, 'ROUND'), g.c(0.6), g.c(0), g.c(8), g.c(2.4), g.c(4)]),
        /\(Trunc\): the input of a runtime Trunc must be a tensor quantized at its scale/,
      ],
    ];
    for (const [make, msg] of cases) {
      const g = new G();
      const bytes = g.bytes(make(g), 6);
      expect(() => importQonnx(bytes, 'bad.onnx')).toThrow(UserError);
      expect(() => importQonnx(bytes, 'bad.onnx')).toThrow(msg);
    }
  });
});

/** Round half to even of the rational p / q (q > 0), in integers. */
/**
 * x[6] -> 8-bit Quant (s0, zp 5) -> BipolarQuant (0.45) -> MatMul (4-bit weights per column)
 * -> BipolarQuant (0.2) of the MatMul output -> MatMul (4-bit weights) -> 8-bit Quant (s2, zp -3).
 */
function bipolarNet() {
  const r = new Rng(23);
  const g = new G();
  const s0 = f(0.3),
    s2 = f(0.7);
  const W1 = Array.from({ length: 30 }, () => (r.next() - 0.5) * 6);
  const W2 = Array.from({ length: 20 }, () => (r.next() - 0.5) * 6);
  const a = g.node('BipolarQuant', [g.quant('x', s0, 5, 8, 1, 0, 'ROUND'), g.c(f(0.45))]);
  const w1 = g.quant(g.c(W1, [6, 5]), 0.5, 0, 4, 1, 0, 'ROUND');
  const b = g.node('BipolarQuant', [g.node('MatMul', [a, w1], {}, ''), g.c(f(0.2))]);
  const w2 = g.quant(g.c(W2, [5, 4]), 0.25, 0, 4, 1, 0, 'ROUND');
  const y = g.quant(g.node('MatMul', [b, w2], {}, ''), s2, -3, 8, 1, 0, 'ROUND');
  const sign = (v: number, s: number) => (v >= 0 ? s : -s);
  const w1q = W1.map((v) => quant(v, 0.5, 0, [-8, 7], 'ROUND')),
    w2q = W2.map((v) => quant(v, 0.25, 0, [-8, 7], 'ROUND'));
  const oracle = (x: number[]): number[] => {
    const h = x.map((v) => sign(quant(v, s0, 5, [-128, 127], 'ROUND'), f(0.45)));
    const k = matmul(h, w1q, 5).map((v) => sign(v, f(0.2)));
    return matmul(k, w2q, 4).map((v) => quant(v, s2, -3, [-128, 127], 'ROUND'));
  };
  return { bytes: g.bytes(y, 6), oracle };
}

describe('affine QONNX: BipolarQuant of runtime tensors', () => {
  it('of a quantized input and of a MatMul output: the reference equals the QONNX oracle; the signs exact in every scheme', () => {
    const { bytes, oracle } = bipolarNet();
    const m = importQonnx(bytes, 'bipolar.onnx');
    expect(m.scheme).toBe('affine');
    const r = new Rng(4);
    const batch = 500;
    // inputs near the quantization's zero (-5 * s0 = -1.5) and MatMul outputs of both signs
    const x = Array.from({ length: batch * 6 }, () => (r.next() - 0.5) * 8 - 1.5);
    const want = Array.from({ length: batch }, (_, b) => oracle(x.slice(b * 6, b * 6 + 6))).flat();
    expect(new Set(want).size).toBeGreaterThan(4);
    expect(Array.from(runAffineReference(m, x, batch).tensors.get(m.outputs[0]!)!)).toEqual(want);
    const report = compareAffineSchemes(m, x, batch);
    // every tensor of the two sign functions is exact in every scheme; the last layer's float32
    // requantizations (onnxruntime, pytorch) meet exact ties of the reference (sums of multiples of 0.05 over 0.7)
    for (const s of report.schemes) {
      const inner = s.tensors.filter((t) => t.tensor !== m.outputs[0]);
      expect([s.scheme, inner.reduce((a, t) => a + t.differing, 0), s.maxLsb <= 1]).toEqual([s.scheme, 0, true]);
    }
  });
});

describe('power-of-two QONNX with a CEIL runtime Quant and a runtime BipolarQuant', () => {
  it('imports through the affine rewrite (8-bit tensors); the reference equals the QONNX oracle', () => {
    const r = new Rng(31);
    const g = new G();
    const W = Array.from({ length: 24 }, () => (r.next() - 0.5) * 4);
    const a = g.quant('x', 0.125, 0, 8, 1, 0, 'ROUND');
    const c = g.quant(a, 0.5, 0, 5, 1, 0, 'CEIL');
    const w = g.quant(g.c(W, [6, 4]), 0.25, 0, 4, 1, 0, 'ROUND');
    const y = g.node('BipolarQuant', [g.node('MatMul', [c, w], {}, ''), g.c(0.5)]);
    const m = importQonnx(g.bytes(y, 6), 'pow2-ceil.onnx');
    expect(m.scheme).toBe('affine');
    const wq = W.map((v) => quant(v, 0.25, 0, [-8, 7], 'ROUND'));
    const batch = 400;
    const x = Array.from({ length: batch * 6 }, () => (r.next() - 0.5) * 12);
    const oracle = (v: number[]) =>
      matmul(
        v.map((e) => quant(quant(e, 0.125, 0, [-128, 127], 'ROUND'), 0.5, 0, [-16, 15], 'CEIL')),
        wq,
        4,
      ).map((e) => (e >= 0 ? 0.5 : -0.5));
    const want = Array.from({ length: batch }, (_, b) => oracle(x.slice(b * 6, b * 6 + 6))).flat();
    expect(want.filter((v) => v > 0).length).toBeGreaterThan(batch);
    expect(want.filter((v) => v < 0).length).toBeGreaterThan(batch);
    expect(Array.from(runAffineReference(m, x, batch).tensors.get(m.outputs[0]!)!)).toEqual(want);
    for (const s of compareAffineSchemes(m, x, batch).schemes) expect([s.scheme, s.differing]).toEqual([s.scheme, 0]);
  });
});

function rneRational(p: bigint, q: bigint): bigint {
  const fl = p >= 0n ? p / q : -((-p + q - 1n) / q);
  const r2 = 2n * (p - fl * q);
  return r2 > q || (r2 === q && fl % 2n !== 0n) ? fl + 1n : fl;
}

describe('the rounding identity behind FLOOR / CEIL of a tensor on a finer grid', () => {
  it('floor(m / n) = rne((m - (n-1)/2) / n) and ceil(m / n) = rne((m + (n-1)/2) / n), n in 1..128, no tie', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: 1, max: 128 }), (m, n) => {
        const M = BigInt(m),
          N = BigInt(n);
        const floor = BigInt(Math.floor(m / n)),
          ceil = BigInt(Math.ceil(m / n));
        // (m -+ (n-1)/2) / n = (2m -+ (n-1)) / 2n
        expect(rneRational(2n * M - (N - 1n), 2n * N)).toBe(floor);
        expect(rneRational(2n * M + (N - 1n), 2n * N)).toBe(ceil);
        // never a tie: (2m -+ (n-1)) / 2n is never an integer plus one half, i.e. 2m -+ (n-1) is never n modulo 2n
        const mod = (a: bigint) => ((a % (2n * N)) + 2n * N) % (2n * N);
        expect(mod(2n * M - (N - 1n))).not.toBe(N);
        expect(mod(2n * M + (N - 1n))).not.toBe(N);
      }),
      { numRuns: 2000 },
    );
  });
});
