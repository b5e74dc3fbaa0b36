// torchvision CNNs at 3x224x224 with random weights (ResNet-18, MobileNetV2, MobileNetV3-Small,
// SqueezeNet 1.1, EfficientNet-B0), exported by PyTorch at opsets 11, 13 and 17: helu-sim's
// float engine against PyTorch's outputs on one image; SqueezeNet and MobileNetV3-Small (squeeze-
// and-excitation: a Mul of two runtime tensors; HardSwish) through quantize and verify. The
// full matrix (every network and opset, both schemes) is bench/torchvision-matrix.ts; ResNet-18's
// peak memory over 64 images is bench/resnet18-memory.ts.
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { quantizeModel } from '../../src/sim/quantize/quantize.js';
import { calibrate } from '../../src/sim/quantize/calibrate.js';
import { verifyModel } from '../../src/sim/verify/verify.js';
import { quantizeAffine } from '../../src/sim/quantize/affine/export.js';
import { compareAffineSchemes } from '../../src/sim/verify/affine-compare.js';
import { relativeError, torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('vision');
const PER = 3 * 224 * 224;

/** Largest |y - t| over the largest |t| (1e-4: PyTorch's own float32 rounding is about 1e-6 of the output's scale). */
function scaledError(name: string, y: ArrayLike<number>): number {
  const want = fx.output(name).subarray(0, y.length);
  const scale = want.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  return relativeError(y, want, scale);
}

describe('torchvision CNNs from PyTorch, float', () => {
  // ResNet-18 (the slowest, 1.8 GMAC) runs in bench/resnet18.ts.
  const inTests = Object.keys(fx.models).filter((n) => n !== 'resnet18');
  for (const name of inTests) {
    it(`${name} (opset 17) equals PyTorch on one image to 1e-4 of the output scale`, () => {
      const g = loadOnnx(fx.onnx(name, 17));
      const y = runFloat(g, fx.input(name).subarray(0, PER), 1, { precision: 'float32' }).output;
      expect(scaledError(name, y)).toBeLessThan(1e-4);
    });
  }

  it("opsets 11 and 13 import to the same graph as opset 17; the small nets compute PyTorch's outputs at each", () => {
    for (const name of inTests) {
      const ops = (opset: number): string =>
        loadOnnx(fx.onnx(name, opset))
          .nodes.map((n) => n.op)
          .join(',');
      const at17 = ops(17);
      for (const opset of [11, 13]) expect(ops(opset), `${name} at opset ${opset}`).toBe(at17);
    }
    for (const name of ['squeezenet1_1', 'mobilenet_v3_small']) {
      for (const opset of [11, 13]) {
        const y = runFloat(loadOnnx(fx.onnx(name, opset)), fx.input(name).subarray(0, PER), 1, { precision: 'float32' }).output;
        expect(scaledError(name, y)).toBeLessThan(1e-4);
      }
    }
  });
});

describe('torchvision CNNs from PyTorch, integer', () => {
  const g = loadOnnx(fx.onnx('squeezenet1_1', 11));
  const x = fx.input('squeezenet1_1');
  const calib = { x: x, count: 2 };

  it('SqueezeNet 1.1 quantizes to 8-bit pow2 and verifies with 0 mismatches', () => {
    const m = quantizeModel(g, calib, { bits: 8 });
    const r = verifyModel(m, { x: x.subarray(0, PER), count: 1 });
    expect(r.valuesCompared).toBeGreaterThan(1_000_000);
    expect(r.mismatches).toBe(0);
  });

  // one calibration (two images) serves both schemes
  const gm = loadOnnx(fx.onnx('mobilenet_v3_small', 13));
  const xm = fx.input('mobilenet_v3_small');
  const ranges = calibrate(gm, { x: xm, count: 2 });

  it('MobileNetV3-Small (opset 13) quantizes to 8-bit pow2 and verifies with 0 mismatches; its squeeze-and-excitation Muls are mul layers', () => {
    const m = quantizeModel(gm, { x: xm, count: 2 }, { bits: 8, ranges });
    expect(m.layers.filter((l) => l.op === 'mul')).toHaveLength(9);
    expect(m.layers.filter((l) => l.op === 'activation' && l.activation === 'hardswish').length).toBeGreaterThan(0);
    const r = verifyModel(m, { x: xm.subarray(0, PER), count: 1 }, { float: gm, batch: 1 });
    expect(r.valuesCompared).toBeGreaterThan(3_000_000);
    expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
  });

  it("MobileNetV3-Small (opset 13) quantizes to affine uint8; the engine's onnxruntime scheme equals the float32 QLinear* reference on every code", () => {
    const a = quantizeAffine(gm, { x: xm, count: 2 }, { ranges });
    expect(a.layers.filter((l) => l.op === 'mul')).toHaveLength(9);
    const d = compareAffineSchemes(a, Float64Array.from(xm.subarray(0, PER)), 1, { schemes: ['onnxruntime'], reference: 'float32' })
      .schemes[0]!;
    expect(d.values).toBeGreaterThan(2_000_000);
    expect(d.differing).toBe(0);
  });
});
