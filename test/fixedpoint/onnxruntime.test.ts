// quantizeLinear / dequantizeLinear and the 'onnxruntime' requantization
// scheme against onnxruntime-node itself, on one-op models built here with
// onnx-proto, plus the float32 formula oracle.
import fc from 'fast-check';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { dequantizeLinear, quantizeLinear, quantizeLinearArray, requantize } from '../../src/fixedpoint/index.js';
import { ratOfDouble, roundRat } from './oracle.js';

const onnx = onnxProto.onnx;
const FLOAT = 1,
  UINT8 = 2,
  INT8 = 3;

function scalar(name: string, type: number, v: number) {
  return type === FLOAT
    ? onnx.TensorProto.create({ name, dims: [], dataType: FLOAT, floatData: [v] })
    : onnx.TensorProto.create({ name, dims: [], dataType: type, int32Data: [v] });
}

function model(nodes: unknown[], inits: unknown[], input: { name: string; type: number; dims: number[] }, output: string): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: nodes as never,
      initializer: inits as never,
      input: [
        { name: input.name, type: { tensorType: { elemType: input.type, shape: { dim: input.dims.map((d) => ({ dimValue: d })) } } } },
      ],
      output: [{ name: output }],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

async function run(
  bytes: Uint8Array,
  type: 'float32' | 'uint8' | 'int8',
  data: Float32Array | Uint8Array | Int8Array,
  dims: number[],
): Promise<number[]> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor(type, data, dims) });
  return Array.from(out[s.outputNames[0]!]!.data as ArrayLike<number>, Number);
}

/** Deterministic float32 test inputs around the quantization grid: ties, near-ties, saturation. */
function inputs(scale: number, zp: number, n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    const k = (a % 1200) / 4 - 150 - zp; // quarter steps: exact ties at .5
    out[i] = i % 3 === 0 ? k * Math.fround(scale) : (a / 2 ** 32 - 0.5) * 300 * scale;
  }
  out[0] = NaN;
  out[1] = Infinity;
  out[2] = -Infinity;
  return out;
}

describe('ONNX QuantizeLinear / DequantizeLinear', () => {
  it('formula oracle: saturate(rne(float32(x / scale)) + zp)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-4, max: 10, noNaN: true }),
        fc.integer({ min: -128, max: 127 }),
        (x, s, zp) => {
          const q = Math.fround(Math.fround(x) / Math.fround(s));
          const want = Math.min(127, Math.max(-128, Number(roundRat(ratOfDouble(q), 'RND_CONV')) + zp));
          expect(quantizeLinear(x, s, zp, -128, 127)).toBe(want);
        },
      ),
      { numRuns: 1500 },
    );
    expect(quantizeLinear(2.5, 1, 0, -128, 127)).toBe(2);
    expect(quantizeLinear(-2.5, 1, 0, -128, 127)).toBe(-2);
    expect(quantizeLinear(3.5, 1, 0, 0, 255)).toBe(4);
    expect(() => quantizeLinear(1, 0, 0, -128, 127)).toThrow(UserError);
    expect(() => quantizeLinear(1, 1, 300, 0, 255)).toThrow(UserError);
  });

  for (const [label, type, qmin, qmax, zp, scale] of [
    ['uint8', UINT8, 0, 255, 128, 0.037],
    ['int8', INT8, -128, 127, -5, 0.25],
    ['int8 odd scale', INT8, -128, 127, 3, 0.0123],
  ] as const) {
    it(`matches onnxruntime QuantizeLinear and DequantizeLinear (${label})`, async () => {
      const x = inputs(scale, zp, 600, 11);
      const q = model(
        [onnx.NodeProto.create({ opType: 'QuantizeLinear', input: ['x', 's', 'z'], output: ['y'] })],
        [scalar('s', FLOAT, scale), scalar('z', type, zp)],
        { name: 'x', type: FLOAT, dims: [x.length] },
        'y',
      );
      const got = await run(q, 'float32', x, [x.length]);
      const mine = new Float64Array(x.length);
      quantizeLinearArray(x, scale, zp, qmin, qmax, mine);
      expect(Array.from(mine)).toEqual(got);
      const codes = Array.from({ length: qmax - qmin + 1 }, (_, i) => qmin + i);
      const dq = model(
        [onnx.NodeProto.create({ opType: 'DequantizeLinear', input: ['x', 's', 'z'], output: ['y'] })],
        [scalar('s', FLOAT, scale), scalar('z', type, zp)],
        { name: 'x', type, dims: [codes.length] },
        'y',
      );
      const data = type === UINT8 ? Uint8Array.from(codes) : Int8Array.from(codes);
      const back = await run(dq, type === UINT8 ? 'uint8' : 'int8', data, [codes.length]);
      expect(codes.map((c) => dequantizeLinear(c, scale, zp))).toEqual(back);
    });
  }

  it("the 'onnxruntime' requantization matches QLinearMatMul (uint8 x uint8, K = 1)", async () => {
    // acc = a * b exactly; ORT converts it to float32, multiplies by
    // float32(a_scale * b_scale / y_scale), rounds half to even and adds y_zp.
    // The last case tells the float32 scale chain apart from a double-precision
    // scale and from s_in * (s_w / s_out) (found by a search over scales).
    const cases = [
      [0.02, 0.5, 0.01, 7],
      [0.013, 0.27, 0.9, 128],
      [0.5, 0.5, 1, 0],
      [1 / 3, 0.75, 0.61, 100],
      [0.016284925863146782, 0.0036754056345671415, 0.008777020499110222, 9],
    ] as const;
    for (const [sa, sb, sy, zy] of cases) {
      for (const b of [1, 3, 77, 255]) {
        const a = Uint8Array.from({ length: 256 }, (_, i) => i);
        const m = model(
          [onnx.NodeProto.create({ opType: 'QLinearMatMul', input: ['a', 'sa', 'za', 'b', 'sb', 'zb', 'sy', 'zy'], output: ['y'] })],
          [
            scalar('sa', FLOAT, sa),
            scalar('za', UINT8, 0),
            onnx.TensorProto.create({ name: 'b', dims: [1, 1], dataType: UINT8, rawData: Uint8Array.from([b]) }),
            scalar('sb', FLOAT, sb),
            scalar('zb', UINT8, 0),
            scalar('sy', FLOAT, sy),
            scalar('zy', UINT8, zy),
          ],
          { name: 'a', type: UINT8, dims: [256, 1] },
          'y',
        );
        const got = await run(m, 'uint8', a, [256, 1]);
        const p = { scaleIn: sa, scaleW: sb, scaleOut: sy, zeroPointOut: zy, qmin: 0, qmax: 255 };
        expect(
          Array.from(a, (v) => requantize(v * b, p, 'onnxruntime')),
          `${sa} ${sb} ${sy} ${zy} b=${b}`,
        ).toEqual(got);
      }
    }
  });
});
