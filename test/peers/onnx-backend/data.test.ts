// The backend-test reader itself, checked against formulas written here and against
// onnxruntime-node: if it misread a tensor or rebuilt a model wrongly, every suite built on
// it would compare against garbage.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { allClose, backendNodeCases, inputsAsInitializers } from './cases.js';

describe('ONNX backend node test data', () => {
  it('holds the node cases of the installed ONNX release', () => {
    expect(backendNodeCases().length).toBeGreaterThan(500);
  });

  it('decodes float inputs and outputs: test_relu equals max(0, x)', () => {
    const [c] = backendNodeCases((n) => n === 'test_relu');
    const set = c!.sets[0]!;
    expect(set.outputs[0]!.dims).toEqual(set.inputs[0]!.dims);
    const want = set.inputs[0]!.values.map((v) => Math.max(0, v));
    expect(Array.from(set.outputs[0]!.values)).toEqual(Array.from(want));
  });

  it('decodes uint8/int8/int32 data: test_matmulinteger equals the integer product of (a - za) and (b - zb)', () => {
    const [c] = backendNodeCases((n) => n === 'test_matmulinteger');
    const [a, b, za, zb] = c!.sets[0]!.inputs;
    const y = c!.sets[0]!.outputs[0]!;
    const [m, k] = a!.dims as [number, number];
    const n = b!.dims[1]!;
    expect(y.dims).toEqual([m, n]);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += (a!.values[i * k + t]! - za!.values[0]!) * (b!.values[t * n + j]! - zb!.values[0]!);
        expect(y.values[i * n + j]).toBe(s);
      }
  });

  it('turns graph inputs into initializers without changing the model: onnxruntime-node computes the expected conv output', async () => {
    const [c] = backendNodeCases((n) => n === 'test_basic_conv_with_padding');
    const set = c!.sets[0]!;
    const bytes = inputsAsInitializers(c!, set, [1]);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual([c!.model.graph!.input![0]!.name]);
    const x = set.inputs[0]!;
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.values), x.dims) });
    const got = out[session.outputNames[0]!]!.data as Float32Array;
    expect(allClose(got, set.outputs[0]!.values).ok).toBe(true);
  });

  it('allClose follows numpy: atol + rtol·|expected|, NaN equal to NaN', () => {
    expect(allClose([1.0009], [1]).ok).toBe(true);
    expect(allClose([1.0011], [1]).ok).toBe(false);
    expect(allClose([NaN, 0], [NaN, 5e-8]).ok).toBe(true);
    expect(allClose([0], [2e-7]).ok).toBe(false);
    expect(allClose([1, 2], [1]).ok).toBe(false);
  });
});
