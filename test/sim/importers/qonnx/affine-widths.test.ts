import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/errors.js';
import { runAffine, runInteger } from '../../../../src/sim/engine/run.js';
import { verifyModel } from '../../../../src/sim/verify/verify.js';
import { importQonnx } from '../../../../src/sim/importers/qonnx/import.js';
import type { AffineQuant } from '../../../../src/sim/quantize/model.js';
import { runAffineReference } from '../../../../src/sim/reference/run.js';
import { Rng } from '../../../../src/random.js';

/*
 * Affine QONNX beyond 8-bit ROUND: runtime Quant of 2..8 bits (signed,
 * unsigned, narrow), constant Quant in every rounding mode, BipolarQuant
 * weights, Trunc of a constant and of a runtime tensor. The expected outputs
 * come from an oracle written here from the QONNX operator definitions
 * (docs/qonnx.md), in float64 (the scales have few mantissa bits or are
 * applied so that every value below is exact).
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
function range(bits: number, signed: boolean, narrow: boolean): [number, number] {
  return signed ? [-(2 ** (bits - 1)) + (narrow ? 1 : 0), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1 - (narrow ? 1 : 0)];
}
/** QONNX Quant: q = round(clamp(x / s + z, min, max)), y = (q - z) * s. */
function quant(x: number, s: number, z: number, bits: number, signed: boolean, narrow: boolean, mode: Mode): number {
  const [lo, hi] = range(bits, signed, narrow);
  return (rnd(Math.min(hi, Math.max(lo, x / s + z)), mode) - z) * s;
}
function matmul(x: number[], w: number[], K: number, N: number): number[] {
  return Array.from({ length: N }, (_, n) => x.reduce((a, v, k) => a + v * w[k * N + n]!, 0));
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
  quant(
    x: string,
    s: number | number[],
    z: number,
    bits: number,
    signed: number,
    narrow: number,
    mode: Mode,
    sDims: number[] = [],
  ): string {
    return this.node('Quant', [x, this.c(s, sDims), this.c(z), this.c(bits)], { signed, narrow, rounding_mode: mode });
  }
  bytes(out: string, inSize: number): Uint8Array {
    return o.ModelProto.encode(
      o.ModelProto.create({
        irVersion: 8,
        opsetImport: [
          { domain: '', version: 13 },
          { domain: DOMAIN, version: 1 },
        ],
        graph: {
          name: 'g',
          node: this.nodes,
          initializer: this.inits,
          input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: inSize }] } } } }],
          output: [{ name: out }],
        },
      }),
    ).finish();
  }
}

interface Net {
  bytes: Uint8Array;
  oracle: (x: number[]) => number[];
}

/** x[6] -> 5-bit unsigned Quant (zp 3) -> MatMul (4-bit narrow per-column weights, mode wMode) -> Relu -> 3-bit unsigned narrow Quant
 *  -> MatMul (BipolarQuant) -> 6-bit signed narrow Quant (zp -2) -> MatMul (Trunc of a constant) -> 8-bit Quant -> Trunc (ROUND, /4). */
function net(seed: number, wMode: Mode, truncMode: Mode): Net {
  const r = new Rng(seed);
  const g = new G();
  const sx = 0.375,
    ws = [0.625, 0.75, 1.25, 0.875, 0.5625],
    s1 = 1.5,
    sb = 0.75,
    s2 = 0.875,
    s3 = f(0.3);
  const W1 = Array.from({ length: 30 }, () => (r.next() - 0.5) * 12);
  const W2 = Array.from({ length: 20 }, () => r.next() - 0.5);
  const W3 = Array.from({ length: 12 }, () => (r.next() - 0.5) * 9);
  const x1 = g.quant('x', sx, 3, 5, 0, 0, 'ROUND');
  const w1 = g.quant(g.c(W1, [6, 5]), ws, 0, 4, 1, 1, wMode, [1, 5]);
  const h = g.quant(g.node('Relu', [g.node('MatMul', [x1, w1], {}, '')], {}, ''), s1, 0, 3, 0, 1, 'ROUND');
  const w2 = g.node('BipolarQuant', [g.c(W2, [5, 4]), g.c(sb)]);
  const h2 = g.quant(g.node('MatMul', [h, w2], {}, ''), s2, -2, 6, 1, 1, 'ROUND');
  const w3 = g.node('Trunc', [g.c(W3, [4, 3]), g.c(0.125), g.c(0), g.c(8), g.c(0.5), g.c(6)], { rounding_mode: truncMode });
  const h3 = g.quant(g.node('MatMul', [h2, w3], {}, ''), s3, 0, 8, 1, 0, 'ROUND');
  const y = g.node('Trunc', [h3, g.c(s3), g.c(0), g.c(8), g.c(s3 * 4), g.c(4)], { rounding_mode: 'ROUND' });
  const w1q = W1.map((v, i) => quant(v, ws[i % 5]!, 0, 4, true, true, wMode));
  const w2q = W2.map((v) => (v >= 0 ? 1 : -1) * sb);
  // Trunc: y = round(X / scale) / 2^k, clamp to the 6-bit signed range, round (truncMode), times out_scale
  const w3q = W3.map((v) => rnd(Math.min(31, Math.max(-32, rnd(v / 0.125, 'ROUND') / 4)), truncMode) * 0.5);
  const oracle = (x: number[]): number[] => {
    const a = x.map((v) => quant(v, sx, 3, 5, false, false, 'ROUND'));
    const b = matmul(a, w1q, 6, 5).map((v) => quant(Math.max(0, v), s1, 0, 3, false, true, 'ROUND'));
    const c = matmul(b, w2q, 5, 4).map((v) => quant(v, s2, -2, 6, true, true, 'ROUND'));
    const d = matmul(c, w3q, 4, 3).map((v) => quant(v, s3, 0, 8, true, false, 'ROUND'));
    return d.map((v) => rnd(Math.min(7, Math.max(-8, rnd(v / s3, 'ROUND') / 4)), 'ROUND') * s3 * 4);
  };
  return { bytes: g.bytes(y, 6), oracle };
}

describe('affine QONNX: bit widths 2..8, narrow ranges, every rounding mode on constants, BipolarQuant, Trunc', () => {
  for (const [wMode, truncMode] of [
    ['ROUND_TO_ZERO', 'FLOOR'],
    ['CEIL', 'CEIL'],
    ['FLOOR', 'ROUND_TO_ZERO'],
    ['ROUND', 'ROUND'],
  ] as const) {
    it(`weights ${wMode}, Trunc ${truncMode}: the reference equals the QONNX oracle on every output; the engine within 1 LSB`, () => {
      const { bytes, oracle } = net(wMode.length * 7 + truncMode.length, wMode, truncMode);
      const m = importQonnx(bytes, 'affine.onnx');
      expect(m.scheme).toBe('affine');
      const r = new Rng(5);
      const batch = 400;
      const x = Array.from({ length: batch * 6 }, () => (r.next() - 0.3) * 14);
      const want = Array.from({ length: batch }, (_, b) => oracle(x.slice(b * 6, b * 6 + 6))).flat();
      expect(new Set(want).size).toBeGreaterThan(8);
      const out = m.outputs[0]!;
      expect(Array.from(runAffineReference(m, x, batch).tensors.get(out)!)).toEqual(want);
      const q = m.layers.find((l) => l.output === out)!.out as AffineQuant;
      const eng = runAffine(m, x, batch, { keep: 'outputs' }).tensors.get(out)!;
      const codes = want.map((v) => Math.round(v / q.scale[0]!) + q.zeroPoint[0]!);
      expect(codes.filter((c, i) => Math.abs(c - eng[i]!) > 1).length).toBe(0);
      expect(codes.filter((c, i) => c !== eng[i]).length).toBeLessThan(batch * 3 * 0.02);
    });
  }

  it('refuses what 8-bit affine tensors cannot hold, in one line naming the node', () => {
    const cases: [(g: G) => string, RegExp][] = [
      [(g) => g.quant('x', 0.3, 0, 12, 1, 0, 'ROUND'), /\(Quant\): 12-bit runtime tensors with a scale that is not a power of two/],
      [(g) => g.quant('x', 0.3, 0, 6, 1, 0, 'CEIL'), /\(Quant\): rounding_mode CEIL on a runtime tensor/],
      [
        (g) => {
          const q = g.quant('x', 0.3, 0, 8, 1, 0, 'ROUND');
          return g.node('BipolarQuant', [g.node('Add', [q, q], {}, ''), g.c(0.5)]);
        },
        /\(BipolarQuant\): a runtime BipolarQuant needs its input quantized/,
      ],
      [
        (g) =>
          g.node('Trunc', [g.quant('x', 0.3, 0, 8, 1, 0, 'ROUND'), g.c(f(0.3)), g.c(0), g.c(8), g.c(f(0.3) * 4), g.c(4)], {
            rounding_mode: 'ROUND_TO_ZERO',
          }),
        /\(Trunc\): rounding_mode ROUND_TO_ZERO on a runtime tensor/,
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

describe('pow2 QONNX: ROUND_TO_ZERO on runtime tensors (fixed-point TRN_ZERO)', () => {
  it('engine output equals the QONNX oracle; verify-style reference agrees', () => {
    const r = new Rng(9);
    const g = new G();
    const W = Array.from({ length: 24 }, () => (r.next() - 0.5) * 2);
    const x1 = g.quant('x', 0.25, 0, 6, 1, 0, 'ROUND_TO_ZERO');
    const w = g.quant(g.c(W, [6, 4]), 0.125, 0, 4, 1, 0, 'ROUND');
    const y = g.quant(g.node('MatMul', [x1, w], {}, ''), 0.5, 0, 5, 1, 0, 'ROUND_TO_ZERO');
    const m = importQonnx(g.bytes(y, 6), 'rtz.onnx');
    expect(m.scheme).toBe('pow2');
    const wq = W.map((v) => quant(v, 0.125, 0, 4, true, false, 'ROUND'));
    const batch = 300;
    const x = Array.from({ length: batch * 6 }, () => (r.next() - 0.5) * 20);
    const want = Array.from({ length: batch }, (_, b) =>
      matmul(
        x.slice(b * 6, b * 6 + 6).map((v) => quant(v, 0.25, 0, 6, true, false, 'ROUND_TO_ZERO')),
        wq,
        6,
        4,
      ).map((v) => quant(v, 0.5, 0, 5, true, false, 'ROUND_TO_ZERO')),
    ).flat();
    expect(want.some((v) => v < 0) && want.some((v) => v > 0)).toBe(true);
    const codes = runInteger(m, x, batch, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
    // + 0: ROUND_TO_ZERO of a small negative value is -0 in float64
    expect(Array.from(codes, (c) => c * 0.5 + 0)).toEqual(want.map((v) => v + 0));
    expect(verifyModel(m, { x, count: batch }).mismatches).toBe(0);
  });
});
