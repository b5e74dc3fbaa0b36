// nn.GELU(approximate='tanh') as PyTorch 1.13 exports it (x*x*x, 0.044715, sqrt(2/pi), Tanh,
// +1, *x, *0.5): float import computes it as written; quantize runs it as the gelu unit and the
// integer model verifies with 0 mismatches.
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/models/onnx/import.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { Rng } from '../../src/random.js';
import { OnnxBuilder, rng } from './onnx-helpers.js';

function tanhGelu(b: OnnxBuilder, x: string, cubeAsPow: boolean): string {
  const cube = cubeAsPow ? b.node('Pow', [x, b.constant([3])]) : b.node('Mul', [x, b.node('Mul', [x, x])]);
  const inner = b.node('Mul', [b.node('Add', [x, b.node('Mul', [b.constant([0.044715]), cube])]), b.constant([Math.sqrt(2 / Math.PI)])]);
  const t = b.node('Tanh', [inner]);
  return b.node('Mul', [b.node('Mul', [x, b.node('Add', [t, b.constant([1])])]), b.constant([0.5])]);
}

function model(cubeAsPow: boolean): Uint8Array {
  const b = new OnnxBuilder(rng(5));
  const c1 = b.node('Conv', ['x', b.init('w1', [4, 1, 3, 3])], { pads: [1, 1, 1, 1] });
  const g1 = tanhGelu(b, c1, cubeAsPow);
  const f = b.node('Flatten', [g1], { axis: 1 });
  b.node('Gemm', [f, b.init('w2', [3, 4 * 6 * 6]), b.init('b2', [3])], { transB: 1 }, 'y');
  return b.build('x', [1, 6, 6], 'y');
}

describe('tanh-approximated GELU', () => {
  for (const pow of [false, true]) {
    it(`quantizes as the gelu unit and verifies with 0 mismatches (x^3 as ${pow ? 'Pow' : 'Mul'})`, () => {
      const g = importOnnx(model(pow), 'm.onnx');
      expect(g.nodes.some((n) => n.op === 'Activation' && n.attrs.activation.kind === 'gelu')).toBe(false);
      const r = new Rng(2);
      const x = Float64Array.from({ length: 32 * 36 }, () => r.uniform(2));
      const m = quantizeModel(g, { x, count: 32 });
      expect(m.layers.filter((l) => l.op === 'activation').map((l) => (l as { activation: string }).activation)).toEqual(['gelu']);
      expect(m.metadata['tanhGelu']).toMatch(/runs as the gelu unit/);
      const v = verifyModel(m, { x, count: 32 }, { float: g });
      expect(v.mismatches).toBe(0);
      expect(v.layers.at(-1)!.sqnrDb!).toBeGreaterThan(20);
    });
  }
});
