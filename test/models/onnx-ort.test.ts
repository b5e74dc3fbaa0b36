// helu-sim's float engine against onnxruntime-node on models built here with
// onnx-proto: every supported op, agreement to float32 rounding (1e-5 of the
// output's scale) in both float32 and float64 modes.
import { describe, expect, it } from 'vitest';
import { importOnnx, runFloat } from '../../src/models/index.js';
import { F, OnnxBuilder, randomInput, relErr, rng, runOrt } from './onnx-helpers.js';

async function compare(
  bytes: Uint8Array,
  inShape: number[],
  batch: number,
  seed: number,
  lo = -1,
  hi = 1,
): Promise<{ e32: number; e64: number }> {
  const g = importOnnx(bytes, 'test.onnx');
  const size = inShape.reduce((a, b) => a * b, 1);
  const x = randomInput(batch * size, rng(seed), lo, hi);
  const want = await runOrt(bytes, x, [batch, ...inShape]);
  const e32 = relErr(runFloat(g, x, batch, { precision: 'float32' }).output, want);
  const e64 = relErr(runFloat(g, x, batch).output, want);
  return { e32, e64 };
}

/** MLP over 16 features with every dense form and elementwise activation op. */
function mlp(act: (b: OnnxBuilder, x: string) => string, opset = 17): Uint8Array {
  const b = new OnnxBuilder(rng(7));
  let t = b.node('Mul', ['x', b.init('scale', [], [0.5])]);
  t = b.node('Sub', [t, b.init('mean', [16], undefined, 0.2)]);
  t = b.node('Gemm', [t, b.init('w1', [24, 16]), b.init('b1', [24])], { transB: 1 });
  t = act(b, t);
  t = b.node('Gemm', [t, b.init('w2', [24, 20]), b.init('b2', [1, 20])], { alpha: F(0.75), beta: F(1.5) });
  t = act(b, t);
  t = b.node('MatMul', [t, b.init('w3', [20, 12])]);
  t = b.node('Add', [b.init('b3', [12]), t]);
  t = act(b, t);
  t = b.node('Div', [t, b.constant([1.25])]);
  t = b.node('Gemm', [t, b.init('w4', [10, 12]), b.init('b4', [10])], { transB: 1 });
  b.node('Softmax', [t], { axis: -1 }, 'y');
  return b.build('x', [16], 'y', opset);
}

const ACTS: Record<string, { f: (b: OnnxBuilder, x: string) => string; opset?: number }> = {
  Relu: { f: (b, x) => b.node('Relu', [x]) },
  WhereGreater: { f: (b, x) => b.node('Where', [b.node('Greater', [x, b.constant([0])]), x, b.constant([0])]) },
  WhereLessEq: { f: (b, x) => b.node('Where', [b.node('LessOrEqual', [x, b.init(`z${b.nodes.length}`, [], [0])]), b.constant([0]), x]) },
  LeakyRelu: { f: (b, x) => b.node('LeakyRelu', [x], { alpha: F(0.1) }) },
  Sigmoid: { f: (b, x) => b.node('Sigmoid', [x]) },
  Tanh: { f: (b, x) => b.node('Tanh', [x]) },
  Elu: { f: (b, x) => b.node('Elu', [x], { alpha: F(0.7) }) },
  HardSigmoidKeras: { f: (b, x) => b.node('HardSigmoid', [x], { alpha: F(0.2), beta: F(0.5) }) },
  HardSigmoidTorch: { f: (b, x) => b.node('HardSigmoid', [x], { alpha: F(1 / 6), beta: F(0.5) }) },
  HardSwish: { f: (b, x) => b.node('HardSwish', [x]) },
  HardSwishPattern: { f: (b, x) => b.node('Mul', [x, b.node('HardSigmoid', [x], { alpha: F(1 / 6), beta: F(0.5) })]) },
  ClipRelu6: { f: (b, x) => b.node('Clip', [x, b.constant([0]), b.constant([6])]) },
  ClipRange: { f: (b, x) => b.node('Clip', [x, b.constant([-0.3]), b.constant([0.4])]) },
  ClipMaxOnly: { f: (b, x) => b.node('Clip', [x, '', b.constant([0.2])]) },
  SiLU: { f: (b, x) => b.node('Mul', [b.node('Sigmoid', [x]), x]) },
  Gelu20: { f: (b, x) => b.node('Gelu', [x]), opset: 20 },
  GeluTorch: {
    f: (b, x) =>
      b.node('Mul', [
        b.node('Mul', [x, b.node('Add', [b.node('Erf', [b.node('Div', [x, b.constant([Math.SQRT2])])]), b.constant([1])])]),
        b.constant([0.5]),
      ]),
  },
  GeluHalfFirst: {
    f: (b, x) =>
      b.node('Mul', [
        b.node('Add', [b.constant([1]), b.node('Erf', [b.node('Mul', [x, b.constant([Math.SQRT1_2])])])]),
        b.node('Mul', [b.constant([0.5]), x]),
      ]),
  },
  GeluHalfOnSum: {
    f: (b, x) =>
      b.node('Mul', [
        x,
        b.node('Mul', [b.node('Add', [b.node('Erf', [b.node('Div', [x, b.constant([Math.SQRT2])])]), b.constant([1])]), b.constant([0.5])]),
      ]),
  },
};

describe('MLP with each activation op vs onnxruntime', () => {
  for (const [name, a] of Object.entries(ACTS)) {
    it(name, async () => {
      const bytes = mlp(a.f, a.opset);
      const g = importOnnx(bytes, 'm.onnx');
      // Patterns collapse to Activation nodes: no Erf/Where/Sigmoid*x left over.
      expect(g.nodes.every((n) => ['Gemm', 'Mul', 'Sub', 'Div', 'Add', 'Activation', 'Softmax'].includes(n.op))).toBe(true);
      const { e32, e64 } = await compare(bytes, [16], 9, 3, -3, 3);
      expect(e32).toBeLessThan(1e-5);
      expect(e64).toBeLessThan(1e-5);
    });
  }

  it('recognizes the GELU forms as gelu and MatMul+Add as Gemm', () => {
    for (const k of ['Gelu20', 'GeluTorch', 'GeluHalfFirst', 'GeluHalfOnSum']) {
      const g = importOnnx(mlp(ACTS[k]!.f, ACTS[k]!.opset), 'm.onnx');
      expect(g.nodes.filter((n) => n.op === 'Activation').map((n) => n.op === 'Activation' && n.attrs.activation.kind)).toEqual([
        'gelu',
        'gelu',
        'gelu',
      ]);
      expect(g.nodes.filter((n) => n.op === 'Gemm')).toHaveLength(4);
    }
  });
});

/** A CNN on [1,8,8] covering Conv (pads, strides, dilation, groups, depthwise), BatchNorm, residual Add, Concat, the pools, shape ops. */
function cnn(opset: number): Uint8Array {
  const b = new OnnxBuilder(rng(11));
  let t = b.node('Div', [b.node('Sub', ['x', b.init('mu', [1, 1, 1, 1], [0.3])]), b.init('sd', [1], [0.9])]);
  t = b.node('Conv', [t, b.init('c1w', [6, 1, 3, 3]), b.init('c1b', [6])], { pads: [1, 1, 1, 1] });
  t = b.node(
    'BatchNormalization',
    [t, b.init('g', [6], undefined, 1), b.init('be', [6]), b.init('m', [6], undefined, 0.1), b.init('v', [6], [0.5, 1, 1.5, 2, 0.8, 1.2])],
    { epsilon: F(1e-3) },
  );
  const r = b.node('Relu', [t]);
  let d = b.node('Conv', [r, b.init('dw', [6, 1, 3, 3]), b.init('dwb', [6])], { group: 6, pads: [2, 2, 2, 2], dilations: [2, 2] });
  d = b.node('Add', [d, r]);
  const gelu = b.node('Gelu', [d]);
  const gc = b.node('Conv', [gelu, b.init('gw', [4, 3, 3, 2])], { group: 2, strides: [2, 1], pads: [0, 1, 1, 0], kernel_shape: [3, 2] });
  const mp = b.node('MaxPool', [gelu], { kernel_shape: [2, 2], strides: [2, 2] });
  const ap = b.node('AveragePool', [b.node('Tanh', [mp])], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 });
  const ap2 = b.node('AveragePool', [mp], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  const cat = b.node('Concat', [ap, ap2], { axis: 1 });
  const up = b.node('Conv', [cat, b.init('pw', [4, 12, 1, 1]), b.init('pwb', [4])]);
  const merged = b.node(
    'Concat',
    [b.node('MaxPool', [gc], { kernel_shape: [2, 2], strides: [1, 2], pads: [0, 0, 1, 0], ceil_mode: 1 }), up],
    { axis: -3 },
  );
  const ceilAvg = b.node('AveragePool', [merged], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
  const gap = b.node('GlobalAveragePool', [b.node('Elu', [merged])]);
  // torch's x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape.
  const shp = b.node('Shape', [gap]);
  const n0 = b.node('Gather', [shp, b.int64('zero', [0])], { axis: 0 });
  const shape = b.node('Concat', [n0, b.int64('minus1', [-1])], { axis: 0 });
  const flat = b.node('Reshape', [gap, shape]);
  const flat2 = b.node('Flatten', [b.node('Transpose', [ceilAvg], { perm: [0, 2, 3, 1] })]);
  const sq = b.node('Squeeze', [b.node('Unsqueeze', [flat2, b.int64('ax', [1])]), b.int64('ax1', [1])]);
  const all = b.node('Concat', [flat, sq], { axis: 1 });
  const h = b.node('Gemm', [all, b.init('fw', [10, 8 + 8 * 2 * 2]), b.init('fb', [10])], { transB: 1 });
  b.node('Softmax', [h], {}, 'y');
  return b.build('x', [1, 8, 8], 'y', opset);
}

describe('CNN with every spatial op vs onnxruntime', () => {
  it('opset 20 (Gelu op)', async () => {
    const bytes = cnn(20);
    const { e32, e64 } = await compare(bytes, [1, 8, 8], 5, 4, 0, 16);
    expect(e32).toBeLessThan(1e-5);
    expect(e64).toBeLessThan(1e-5);
  });

  // ceil_mode windows that would start in the end padding are dropped; the
  // average's divisor with count_include_pad is clipped to the padded extent.
  for (const op of ['MaxPool', 'AveragePool']) {
    for (const cip of [0, 1]) {
      it(`${op} ceil_mode edge windows, count_include_pad ${cip}`, async () => {
        for (const [w, k, pads] of [
          [8, 2, [0, 0, 0, 1]],
          [6, 3, [0, 1, 0, 1]],
          [7, 3, [1, 1, 1, 2]],
        ] as const) {
          const b = new OnnxBuilder(rng(2));
          b.node(
            op,
            ['x'],
            {
              kernel_shape: [k, k],
              strides: [2, 2],
              pads: [...pads],
              ceil_mode: 1,
              ...(op === 'AveragePool' ? { count_include_pad: cip } : {}),
            },
            'y',
          );
          const { e32 } = await compare(b.build('x', [2, w, w], 'y', 19), [2, w, w], 3, 5);
          expect(e32).toBeLessThan(1e-6);
        }
      });
    }
  }

  it('Keras-style channels-last graph: Transpose, Conv, ReduceMean over H,W, MatMul+Add (tf2onnx form)', async () => {
    for (const opset of [13, 18]) {
      const b = new OnnxBuilder(rng(opset));
      const t = b.node('Transpose', ['x'], { perm: [0, 3, 1, 2] });
      const c = b.node('Relu', [
        b.node('Conv', [t, b.init('w', [5, 3, 3, 3]), b.init('cb', [5])], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
      ]);
      const back = b.node('Transpose', [c], { perm: [0, 2, 3, 1] });
      const axes =
        opset >= 18
          ? [b.node('ReduceMean', [back, b.int64(`ax${opset}`, [1, 2])], { keepdims: 0 })]
          : [b.node('ReduceMean', [back], { axes: [1, 2], keepdims: 0 })];
      const k =
        opset >= 18
          ? b.node('ReduceMean', [c, b.int64(`ak${opset}`, [-2, -1])], { keepdims: 1 })
          : b.node('ReduceMean', [c], { axes: [-2, -1], keepdims: 1 });
      const flat = b.node('Reshape', [k, b.int64(`shape${opset}`, [-1, 5])]);
      const cat = b.node('Concat', [axes[0]!, flat], { axis: 1 });
      b.node('Add', [b.node('MatMul', [cat, b.init('mw', [10, 4])]), b.init('mb', [4])], {}, 'y');
      const bytes = b.build('x', [7, 7, 3], 'y', opset);
      expect(importOnnx(bytes, 'k.onnx').nodes.map((n) => n.op)).toContain('GlobalAveragePool');
      const { e32, e64 } = await compare(bytes, [7, 7, 3], 3, 6);
      expect(e32).toBeLessThan(1e-5);
      expect(e64).toBeLessThan(1e-5);
    }
  });

  it('opsets 13 to 21 import', () => {
    for (let v = 13; v <= 21; v++) {
      const b = new OnnxBuilder(rng(v));
      b.node('Relu', [b.node('Gemm', ['x', b.init('w', [3, 4]), b.init('b', [3])], { transB: 1 })], {}, 'y');
      expect(importOnnx(b.build('x', [4], 'y', v), 'm.onnx').nodes.map((n) => n.op)).toEqual(['Gemm', 'Activation']);
    }
  });
});
