// Small PyTorch models exported at opsets 7 to 17 (version adapters, Pad folding, LogSoftmax,
// Softplus, Mish, ZeroPad2d, PReLU, nearest Upsample, tanh-GELU, SiLU and squeeze-and-excitation
// Muls, 1-D Conv and pools, a StandardScaler MLP): helu-sim's float engine against PyTorch's own
// outputs, to 1e-4 relative.
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../../src/models/onnx/import.js';
import { runFloat } from '../../src/models/infer.js';
import { relativeError, torchFixtures } from './torch-fixtures.js';

const fx = torchFixtures('small');

describe('PyTorch exports, float', () => {
  for (const [name, m] of Object.entries(fx.models)) {
    for (const opset of m.opsets) {
      it(`${name} at opset ${opset} equals PyTorch to 1e-4 relative`, () => {
        const g = loadOnnx(fx.onnx(name, opset));
        const y = runFloat(g, fx.input(name), m.batch, { precision: 'float32' }).output;
        const want = fx.output(name);
        // Relative to the output's scale: values near 0 (log-probabilities, probabilities) compare against 1e-3 of the largest.
        const scale = want.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
        expect(relativeError(y, want, 1e-3 * scale)).toBeLessThan(1e-4);
      });
    }
  }

  it('a padded AvgPool/MaxPool export folds its Pad into the pool', () => {
    const g = loadOnnx(fx.onnx('cnn_pads', 11));
    expect(g.nodes.some((n) => n.op === 'Pad')).toBe(false);
  });
});
