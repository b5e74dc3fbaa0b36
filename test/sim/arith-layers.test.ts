// The arithmetic layers of two computed tensors (src/sim/quantize/model-arith.ts): the pow2
// engine kernels against a bigint oracle written here from the stated semantics (exact products
// summed through the accumulator's overflow mode, operands aligned by exact shifts, the output
// narrowing), and the pow2 float reference against the same oracle; affine comparisons and
// min / max against exact rational arithmetic; the affine matmul's onnxruntime scheme equals
// the float32 QLinearMatMul reference and the exact reference equals a bigint oracle.
// fast-check reports the seed and the shrunk case of any failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToString } from '../../src/fixedpoint/format.js';
import type { FixedFormat, Overflow, Rounding } from '../../src/fixedpoint/types.js';
import { pow2ArithKernel } from '../../src/sim/engine/pow2/arith.js';
import { affineArithKernel } from '../../src/sim/engine/affine/arith.js';
import { arithReal } from '../../src/sim/reference/pow2/arith.js';
import { referenceArith } from '../../src/sim/reference/affine/arith.js';
import { realFormat } from '../../src/sim/reference/pow2/real.js';
import { FormatTable } from '../../src/sim/quantize/quant.js';
import type { ArithLayer, ElementFn } from '../../src/sim/quantize/model-arith.js';
import { ELEMENT_FNS } from '../../src/sim/quantize/model-arith.js';
import type { AffineParams } from '../../src/sim/quantize/affine/types.js';
import { validateIntModel } from '../../src/sim/quantize/validate.js';
import { narrow, overflow, type OracleEvents } from './oracle.js';

const ROUNDINGS: Rounding[] = ['TRN', 'RND', 'RND_CONV', 'RND_INF', 'TRN_ZERO'];
const OVERFLOWS: Overflow[] = ['SAT', 'WRAP'];
const F = (f: FixedFormat) => f.width - f.intBits;
const P = (f: FixedFormat) => ({ kind: 'pow2' as const, format: formatToString(f) });

const arbFormat = (maxW: number) =>
  fc
    .record({
      width: fc.integer({ min: 2, max: maxW }),
      intBits: fc.integer({ min: -3, max: 8 }),
      signed: fc.boolean(),
      rounding: fc.constantFrom(...ROUNDINGS),
      overflow: fc.constantFrom(...OVERFLOWS),
    })
    .map((r): FixedFormat => ({ ...r, intBits: Math.min(r.intBits, r.width) }));

/** Codes of f from a seed, its extremes included. */
function codes(f: FixedFormat, n: number, seed: number): Float64Array {
  const lo = f.signed ? -(2 ** (f.width - 1)) : 0,
    hi = f.signed ? 2 ** (f.width - 1) - 1 : 2 ** f.width - 1;
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return i % 5 === 0 ? lo : i % 5 === 1 ? hi : lo + (s % (hi - lo + 1));
  });
}

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
const events = (): OracleEvents => ({ saturations: 0, wraps: 0 });

/** Flat index into an operand of shape `s` broadcast to `out` for output index i (numpy, equal ranks). */
function srcIndex(i: number, out: readonly number[], s: readonly number[]): number {
  let idx = 0,
    stride = 1;
  for (let d = out.length - 1; d >= 0; d--) {
    const c = i % out[d]!;
    i = Math.floor(i / out[d]!);
    if (s[d] !== 1) idx += c * stride;
    stride *= s[d]!;
  }
  return idx;
}

describe('pow2 matmul of two computed tensors', () => {
  const arb = fc.record({
    fa: arbFormat(12),
    fb: arbFormat(12),
    fo: arbFormat(20),
    accW: fc.integer({ min: 2, max: 30 }),
    accOvf: fc.constantFrom(...OVERFLOWS),
    mats: fc.integer({ min: 1, max: 2 }),
    M: fc.integer({ min: 1, max: 3 }),
    K: fc.integer({ min: 1, max: 5 }),
    N: fc.integer({ min: 1, max: 3 }),
    batch: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  it('engine and float reference equal the bigint oracle (codes, values and events)', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const Fp = F(c.fa) + F(c.fb);
        const acc: FixedFormat = { signed: true, width: c.accW, intBits: c.accW - Fp, rounding: 'RND_CONV', overflow: c.accOvf };
        const [sa, sb] = [
          [c.mats, c.M, c.K],
          [c.mats, c.K, c.N],
        ];
        const l: ArithLayer = {
          op: 'matmul',
          name: 'mm',
          inputs: ['a', 'b'],
          output: 'y',
          shape: [c.mats, c.M, c.N],
          out: P(c.fo),
          acc: { kind: 'pow2', formats: [formatToString(acc)], bound: 0 },
        };
        const a = codes(c.fa, c.batch * size(sa), c.seed),
          b = codes(c.fb, c.batch * size(sb), c.seed + 7);
        const ev = events();
        const y = pow2ArithKernel(l, [sa, sb], [P(c.fa), P(c.fb)], new FormatTable(), 'mm')([a, b], c.batch, ev);
        const want: number[] = [];
        const oev = events();
        for (let t = 0; t < c.batch * c.mats; t++)
          for (let m = 0; m < c.M; m++)
            for (let j = 0; j < c.N; j++) {
              let s = 0n;
              for (let k = 0; k < c.K; k++)
                s = overflow(s + BigInt(a[t * c.M * c.K + m * c.K + k]!) * BigInt(b[t * c.K * c.N + k * c.N + j]!), acc, oev);
              want.push(Number(narrow(s, Fp, c.fo, oev)));
            }
        expect(Array.from(y, (v) => v + 0)).toEqual(want);
        expect(ev).toEqual(oev);
        const rev = events();
        const ra = Array.from(a, (v) => v * 2 ** -F(c.fa)),
          rb = Array.from(b, (v) => v * 2 ** -F(c.fb));
        const r = arithReal(l, [sa, sb], realFormat(formatToString(c.fo)))([Float64Array.from(ra), Float64Array.from(rb)], c.batch, rev);
        expect(Array.from(r, (v) => v + 0)).toEqual(want.map((v) => v * 2 ** -F(c.fo) + 0));
        expect(rev).toEqual(oev);
      }),
      { seed: 1213, numRuns: 300 },
    );
  });
});

/** The oracle of an elementwise fn on aligned bigint operands: the result and its fraction bits. */
function oracleFn(fn: ElementFn, a: bigint, b: bigint, Fab: number): [bigint, number] {
  const cmp = a < b ? -1 : a > b ? 1 : 0;
  const bool = (x: boolean): [bigint, number] => [x ? 1n : 0n, 0];
  switch (fn) {
    case 'min':
      return [cmp <= 0 ? a : b, Fab];
    case 'max':
      return [cmp >= 0 ? a : b, Fab];
    case 'sub':
      return [a - b, Fab];
    case 'equal':
      return bool(cmp === 0);
    case 'greater':
      return bool(cmp > 0);
    case 'less':
      return bool(cmp < 0);
    case 'greaterorequal':
      return bool(cmp >= 0);
    case 'lessorequal':
      return bool(cmp <= 0);
  }
}

describe('pow2 elementwise fns and Where of computed tensors', () => {
  const arb = fc.record({
    fn: fc.constantFrom(...ELEMENT_FNS),
    fa: arbFormat(16),
    fb: arbFormat(16),
    fo: arbFormat(20),
    shape: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })),
    ones: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
    batch: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  it('min, max, sub and comparisons: operands aligned exactly, then the output narrowing (engine and reference)', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const out = [...c.shape];
        const sa = out.map((d, i) => (c.ones[i] ? 1 : d)),
          sb = out.map((d, i) => (c.ones[i + 2] ? 1 : d));
        const l: ArithLayer = { op: 'binary', fn: c.fn, name: 'f', inputs: ['a', 'b'], output: 'y', shape: out, out: P(c.fo) };
        const a = codes(c.fa, c.batch * size(sa), c.seed),
          b = codes(c.fb, c.batch * size(sb), c.seed + 3);
        const ev = events();
        const y = pow2ArithKernel(l, [sa, sb], [P(c.fa), P(c.fb)], new FormatTable(), 'f')([a, b], c.batch, ev);
        const Fab = Math.max(F(c.fa), F(c.fb));
        const oev = events();
        const want: number[] = [];
        for (let s = 0; s < c.batch; s++)
          for (let i = 0; i < size(out); i++) {
            const x = BigInt(a[s * size(sa) + srcIndex(i, out, sa)]!) << BigInt(Fab - F(c.fa));
            const z = BigInt(b[s * size(sb) + srcIndex(i, out, sb)]!) << BigInt(Fab - F(c.fb));
            const [v, from] = oracleFn(c.fn, x, z, Fab);
            want.push(Number(narrow(v, from, c.fo, oev)));
          }
        expect(Array.from(y, (v) => v + 0)).toEqual(want);
        expect(ev).toEqual(oev);
        const rev = events();
        const r = arithReal(l, [sa, sb], realFormat(formatToString(c.fo)))(
          [Float64Array.from(a, (v) => v * 2 ** -F(c.fa)), Float64Array.from(b, (v) => v * 2 ** -F(c.fb))],
          c.batch,
          rev,
        );
        expect(Array.from(r, (v) => v + 0)).toEqual(want.map((v) => v * 2 ** -F(c.fo) + 0));
        expect(rev).toEqual(oev);
      }),
      { seed: 1214, numRuns: 400 },
    );
  });
  it('Where narrows the chosen operand from its own format', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const out = [...c.shape];
        const fc0: FixedFormat = { signed: false, width: 1, intBits: 1, rounding: 'TRN', overflow: 'SAT' };
        const l: ArithLayer = { op: 'where', name: 'w', inputs: ['c', 'a', 'b'], output: 'y', shape: out, out: P(c.fo) };
        const n = size(out) * c.batch;
        const [k, a, b] = [codes(fc0, n, c.seed), codes(c.fa, n, c.seed + 1), codes(c.fb, n, c.seed + 2)];
        const ev = events();
        const y = pow2ArithKernel(l, [out, out, out], [P(fc0), P(c.fa), P(c.fb)], new FormatTable(), 'w')([k, a, b], c.batch, ev);
        const oev = events();
        const want = Array.from(k, (cv, i) =>
          Number(cv !== 0 ? narrow(BigInt(a[i]!), F(c.fa), c.fo, oev) : narrow(BigInt(b[i]!), F(c.fb), c.fo, oev)),
        );
        expect(Array.from(y)).toEqual(want);
        expect(ev).toEqual(oev);
      }),
      { seed: 1215, numRuns: 200 },
    );
  });
});

/** Exact rational (q - z) * s as [numerator, denominator] with s a float32. */
function exactReal(q: number, p: AffineParams): [bigint, bigint] {
  let k = 0,
    s = p.scale;
  while (!Number.isInteger(s)) {
    s *= 2;
    k++;
  }
  return [BigInt(q - p.zeroPoint) * BigInt(s), 1n << BigInt(k)];
}

const arbParams = fc
  .record({
    type: fc.constantFrom('int8' as const, 'uint8' as const),
    scale: fc.double({ min: 1e-4, max: 2, noNaN: true }),
    z: fc.integer({ min: 0, max: 255 }),
  })
  .map(({ type, scale, z }): AffineParams => {
    const [qmin, qmax] = type === 'int8' ? [-128, 127] : [0, 255];
    return { type, scale: Math.fround(scale), zeroPoint: type === 'int8' ? z - 128 : z, qmin, qmax };
  });

/** n / d (d > 0) rounded half to even, or half away from zero (TFLite's std::round), exactly. */
function roundDiv(n: bigint, d: bigint, away = false): bigint {
  let q = n / d;
  if (n % d !== 0n && n < 0n) q -= 1n;
  const twice = 2n * (n - q * d);
  return twice > d || (twice === d && (away ? q >= 0n : (q & 1n) === 1n)) ? q + 1n : q;
}

/** The exact QuantizeLinear of the real n / d into pc (saturated); `away`: ties away from zero. */
function quantizeExact(n: bigint, d: bigint, pc: AffineParams, away = false): number {
  const [ns, ds] = exactReal(pc.zeroPoint + 1, pc); // scale as a rational
  const code = Number(roundDiv(n * ds, d * ns, away)) + pc.zeroPoint;
  return Math.min(pc.qmax, Math.max(pc.qmin, code));
}

const f8 = (p: AffineParams): FixedFormat => ({ signed: p.type === 'int8', width: 8, intBits: 8, rounding: 'TRN', overflow: 'SAT' });

describe('affine elementwise fns of computed tensors', () => {
  const arb = fc.record({
    fn: fc.constantFrom(...ELEMENT_FNS),
    pa: arbParams,
    pb: arbParams,
    pc: arbParams,
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  it('the exact reference equals the bigint oracle; exact schemes compare exactly; onnxruntime equals the float32 QDQ reference', () => {
    fc.assert(
      fc.property(arb, ({ fn, pa, pb, pc, seed }) => {
        const l: ArithLayer = { op: 'binary', fn, name: 'f', inputs: ['a', 'b'], output: 'y', shape: [64], out: null as never };
        const a = codes(f8(pa), 64, seed),
          b = codes(f8(pb), 64, seed + 5);
        const ref = referenceArith(l, [[64], [64]], [pa, pb], pc, 'real')([a, b], 1, events());
        const ref32 = referenceArith(l, [[64], [64]], [pa, pb], pc, 'float32')([a, b], 1, events());
        const exactEngine = affineArithKernel(l, [[64], [64]], [pa, pb], pc, 'single-rounding', 'f')([a, b], 1, events());
        const ort = affineArithKernel(l, [[64], [64]], [pa, pb], pc, 'onnxruntime', 'f')([a, b], 1, events());
        expect(Array.from(ort)).toEqual(Array.from(ref32));
        for (let i = 0; i < 64; i++) {
          const [na, da] = exactReal(a[i]!, pa),
            [nb, db] = exactReal(b[i]!, pb);
          const d = na * db - nb * da;
          const rel = { equal: d === 0n, greater: d > 0n, less: d < 0n, greaterorequal: d >= 0n, lessorequal: d <= 0n }[fn as 'equal'];
          const want =
            rel !== undefined
              ? quantizeExact(rel ? 1n : 0n, 1n, pc)
              : fn === 'sub'
                ? quantizeExact(d, da * db, pc)
                : (fn === 'min') === d <= 0n
                  ? quantizeExact(na, da, pc)
                  : quantizeExact(nb, db, pc);
          expect(ref[i], `${fn} codes ${a[i]} ${b[i]}`).toBe(want);
          if (rel !== undefined) expect(exactEngine[i], `${fn} codes ${a[i]} ${b[i]}`).toBe(quantizeExact(rel ? 1n : 0n, 1n, pc, true));
        }
      }),
      { seed: 1216, numRuns: 300 },
    );
  });
});

describe('affine matmul of two computed tensors', () => {
  const arb = fc.record({
    pa: arbParams,
    pb: arbParams,
    pc: arbParams,
    M: fc.integer({ min: 1, max: 3 }),
    K: fc.integer({ min: 1, max: 6 }),
    N: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  });
  it('the exact reference equals the bigint oracle of QLinearMatMul; onnxruntime equals the float32 reference', () => {
    fc.assert(
      fc.property(arb, ({ pa, pb, pc, M, K, N, seed }) => {
        const l: ArithLayer = {
          op: 'matmul',
          name: 'mm',
          inputs: ['a', 'b'],
          output: 'y',
          shape: [M, N],
          out: null as never,
          acc: { kind: 'int', bits: 32, overflow: 'WRAP' },
        };
        const a = codes(f8(pa), M * K, seed),
          b = codes(f8(pb), K * N, seed + 9);
        const ref = referenceArith(
          l,
          [
            [M, K],
            [K, N],
          ],
          [pa, pb],
          pc,
          'real',
        )([a, b], 1, events());
        const ref32 = referenceArith(
          l,
          [
            [M, K],
            [K, N],
          ],
          [pa, pb],
          pc,
          'float32',
        )([a, b], 1, events());
        const ort = affineArithKernel(
          l,
          [
            [M, K],
            [K, N],
          ],
          [pa, pb],
          pc,
          'onnxruntime',
          'mm',
        )([a, b], 1, events());
        expect(Array.from(ort)).toEqual(Array.from(ref32));
        const [, da] = exactReal(pa.zeroPoint + 1, pa),
          [, db] = exactReal(pb.zeroPoint + 1, pb);
        const [sa, sb] = [exactReal(pa.zeroPoint + 1, pa)[0], exactReal(pb.zeroPoint + 1, pb)[0]];
        for (let m = 0; m < M; m++)
          for (let j = 0; j < N; j++) {
            let acc = 0n;
            for (let k = 0; k < K; k++) acc += BigInt(a[m * K + k]! - pa.zeroPoint) * BigInt(b[k * N + j]! - pb.zeroPoint);
            expect(ref[m * N + j]).toBe(quantizeExact(acc * sa * sb, da * db, pc));
          }
      }),
      { seed: 1217, numRuns: 300 },
    );
  });
});

describe('model files with arithmetic layers', () => {
  const f8 = 'fixed<8,3,RND_CONV,SAT>';
  const doc = (layer: Record<string, unknown>) => ({
    format: 'helu-sim/integer-model',
    schemaVersion: 2,
    name: 'arith',
    scheme: 'pow2',
    input: { name: 'x', shape: [2, 3], quant: { kind: 'pow2', format: f8 } },
    layers: [{ name: 'L', inputs: ['x', 'x'], output: 'y', out: { kind: 'pow2', format: f8 }, ...layer }],
    outputs: ['y'],
    metadata: {},
  });
  const acc = (f: string) => ({ kind: 'pow2', formats: [f], bound: 0 });
  it('a bad fn, an accumulator at the wrong LSB, or shapes that do not fit name the field', () => {
    expect(() => validateIntModel(doc({ op: 'binary', fn: 'pow', shape: [2, 3] }))).toThrow(
      /'layers\[0\]\.fn' must be one of min, max, sub/,
    );
    expect(() => validateIntModel(doc({ op: 'matmul', shape: [2, 3], acc: acc('fixed<20,8,RND_CONV,SAT>') }))).toThrow(
      /'layers\[0\]\.inputs' \[2,3\] times \[2,3\] is not a batched matrix product/,
    );
    const sq = {
      ...doc({ op: 'matmul', shape: [3, 3], acc: acc('fixed<20,8,RND_CONV,SAT>') }),
      input: { name: 'x', shape: [3, 3], quant: { kind: 'pow2', format: f8 } },
    };
    expect(() => validateIntModel(sq)).toThrow(/'layers\[0\]\.acc' must have F_a \+ F_b = 10 fraction bits, got 12/);
    expect(() => validateIntModel(doc({ op: 'where', shape: [2, 3] }))).toThrow(
      /'layers\[0\]\.inputs' has 2 entries, wrong for op 'where'/,
    );
  });
  it('a valid matmul file is read back', () => {
    const sq = {
      ...doc({ op: 'matmul', shape: [3, 3], acc: acc('fixed<20,10,RND_CONV,SAT>') }),
      input: { name: 'x', shape: [3, 3], quant: { kind: 'pow2', format: f8 } },
    };
    expect(validateIntModel(sq).layers[0]!.op).toBe('matmul');
  });
});
