import { actZp, f32, inputOf, Net, outScale, SD, weights, wScales, type Options, type QT, type TestModel } from './models.js';

/*
 * QDQ test networks (QuantizeLinear/DequantizeLinear around float ops), the
 * MatMulInteger/ConvInteger pattern with its float rescale ops, and pools;
 * the shared helpers and the QOperator networks are in models.ts.
 */

/** QDQ helpers: DequantizeLinear of a runtime tensor, QuantizeLinear of a float result, quantized constants. */
function dq(net: Net, x: QT): string {
  const y = net.name('dq');
  net.b.node('DequantizeLinear', [x.name, ...net.qparams(x.s, x.z)], [y]);
  return y;
}

function q(net: Net, f: string, s: number, z: number, shape: number[], sd = SD): QT {
  const y = net.name('q');
  net.b.node('QuantizeLinear', [f, ...net.qparams(s, z)], [y]);
  return { name: y, s, z, shape, sd };
}

function constDq(net: Net, type: 'int8' | 'int32', shape: number[], codes: number[], scales: number[], axis: number): string {
  const { b } = net;
  const w = b.init(net.name('c'), type, shape, codes);
  const sShape = scales.length === 1 ? [] : [scales.length];
  const s = b.init(net.name('s'), 'float', sShape, scales);
  const z = b.init(
    net.name('z'),
    type,
    sShape,
    scales.map(() => 0),
  );
  const y = net.name('cdq');
  b.node('DequantizeLinear', [w, s, z], [y], scales.length > 1 ? { axis } : {});
  return y;
}

/** QDQ Conv (+ int32 bias) -> QuantizeLinear. */
function qdqConv(net: Net, x: QT, m: number, k: number, pads: number[], xf?: string): QT {
  const { r, o } = net;
  const c = x.shape[0]!;
  const ws = wScales(r, m, o.perChannel);
  const W = constDq(net, 'int8', [m, c, k, k], weights(r, m * c * k * k, net.o.fullRange), ws, 0);
  const B = constDq(
    net,
    'int32',
    [m],
    Array.from({ length: m }, () => r.int(-2000, 2000)),
    ws.map((s) => f32(x.s * s)),
    0,
  );
  const f = net.name('conv');
  net.b.node('Conv', [xf ?? dq(net, x), W, B], [f], { kernel_shape: [k, k], pads });
  const oh = x.shape[1]! + pads[0]! + pads[2]! - k + 1,
    ow = x.shape[2]! + pads[1]! + pads[3]! - k + 1;
  return q(net, f, outScale(r, x.s, ws[0]!, c * k * k, x.sd), actZp(r, o.act), [m, oh, ow]);
}

/** QDQ Gemm (transB = 1, int32 bias) -> QuantizeLinear. */
function qdqGemm(net: Net, x: QT, n: number): QT {
  const { r, o } = net;
  const k = x.shape[0]!;
  const ws = wScales(r, n, o.perChannel);
  const W = constDq(net, 'int8', [n, k], weights(r, n * k, net.o.fullRange), ws, 0);
  const B = constDq(
    net,
    'int32',
    [n],
    Array.from({ length: n }, () => r.int(-2000, 2000)),
    ws.map((s) => f32(x.s * s)),
    0,
  );
  const f = net.name('gemm');
  net.b.node('Gemm', [dq(net, x), W, B], [f], { transB: 1 });
  return q(net, f, outScale(r, x.s, ws[0]!, k, x.sd), actZp(r, o.act), [n]);
}

/** DequantizeLinear -> Relu -> QuantizeLinear (same scale; zero point kept or moved to the type's minimum). */
function qdqRelu(net: Net, x: QT, zpAtMin: boolean): QT {
  const f = net.name('relu');
  net.b.node('Relu', [dq(net, x)], [f]);
  const z = zpAtMin ? (net.o.act === 'uint8' ? 0 : -128) : x.z;
  return q(net, f, zpAtMin ? f32(x.s / 2) : x.s, z, x.shape);
}

/** QDQ MLP: Gemm -> Relu -> MatMul (per-column weights) + Add (quantized constant) -> Relu -> Gemm. */
export function qdqMlp(o: Options): TestModel {
  const net = new Net(o);
  const { r } = net;
  const { x, range } = inputOf(net, [20]);
  const h1 = qdqRelu(net, qdqGemm(net, x, 24), true);
  const ws = wScales(r, 16, o.perChannel);
  const W = constDq(net, 'int8', [24, 16], weights(r, 24 * 16, net.o.fullRange), ws, 1);
  const mm = net.name('mm');
  net.b.node('MatMul', [dq(net, h1), W], [mm]);
  const h2 = q(net, mm, outScale(r, h1.s, ws[0]!, 24, h1.sd), actZp(r, o.act), [16]);
  const c = net.b.init(
    net.name('bc'),
    'int8',
    [16],
    Array.from({ length: 16 }, () => r.int(-100, 100)),
  );
  const cdq = net.name('cdq');
  net.b.node('DequantizeLinear', [c, net.b.scalar('float', f32(h2.s / 3)), net.b.scalar('int8', 0)], [cdq]);
  const sum = net.name('add');
  net.b.node('Add', [dq(net, h2), cdq], [sum]);
  const h3 = qdqRelu(net, q(net, sum, f32(h2.s * 1.05), actZp(r, o.act), [16]), false);
  const y = qdqGemm(net, h3, 10);
  return {
    bytes: net.b.build({ name: 'x', type: 'float', shape: [1, 20] }, { name: y.name, type: o.act, shape: [1, 10] }),
    inputShape: [20],
    outputShape: [10],
    inputRange: range,
  };
}

/** QDQ CNN: Conv -> MaxPool -> Conv -> Relu -> AveragePool -> Conv (1x1) + Add (residual) -> GlobalAveragePool -> Flatten -> Gemm. */
export function qdqCnn(o: Options, probe: number[] = []): TestModel {
  const net = new Net(o);
  const { b, r } = net;
  const { x, range } = inputOf(net, [2, 10, 10]);
  const c1 = qdqConv(net, x, 6, 3, [1, 1, 1, 1]);
  const mpf = net.name('mp');
  b.node('MaxPool', [dq(net, c1)], [mpf], { kernel_shape: [2, 2], strides: [2, 2] });
  const mp = q(net, mpf, c1.s, c1.z, [6, 5, 5]);
  const c2 = qdqRelu(net, qdqConv(net, mp, 8, 3, [1, 1, 1, 1]), false);
  const apf = net.name('ap');
  b.node('AveragePool', [dq(net, c2)], [apf], { kernel_shape: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], count_include_pad: 1 });
  const ap = q(net, apf, f32(c2.s / 1.8), actZp(r, o.act), [8, 5, 5]);
  // one DequantizeLinear feeds both the 1x1 conv and the residual add (the quantization tool's layout)
  const apf32 = dq(net, ap);
  const c3 = qdqConv(net, ap, 8, 1, [0, 0, 0, 0], apf32);
  const addf = net.name('add');
  b.node('Add', [dq(net, c3), apf32], [addf]);
  const sum = q(net, addf, f32(Math.hypot(c3.s, ap.s)), actZp(r, o.act), [8, 5, 5]);
  const gf = net.name('gap');
  b.node('GlobalAveragePool', [dq(net, sum)], [gf]);
  const gap = q(net, gf, f32(sum.s / 2), actZp(r, o.act), [8, 1, 1]);
  const ff = net.name('flat');
  b.node('Flatten', [dq(net, gap)], [ff], { axis: 1 });
  const flat = q(net, ff, gap.s, gap.z, [8]);
  const y = qdqGemm(net, flat, 10);
  const probes = probe
    .map((i) => [c1, mp, c2, ap, c3, sum, gap, flat][i]!)
    .map((t) => ({ name: t.name, type: o.act, shape: [1, ...t.shape] }));
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, 2, 10, 10] }, [{ name: y.name, type: o.act, shape: [1, 10] }, ...probes]),
    inputShape: [2, 10, 10],
    outputShape: [10],
    inputRange: range,
  };
}

/** MatMulInteger / ConvInteger with the float rescale ops after them: Cast, Mul (scale), Add (float bias), Relu, QuantizeLinear. */
function rescale(
  net: Net,
  acc: string,
  channels: number,
  shape: number[],
  scale: number[],
  bias: number[] | null,
  relu: boolean,
  out: { s: number; z: number },
): QT {
  const { b } = net;
  const cast = net.name('cast');
  b.node('Cast', [acc], [cast], { to: 1 });
  const cshape = (n: number) => (n === 1 ? [] : shape.length === 1 ? [n] : [n, 1, 1]);
  const mul = net.name('mul');
  b.node('Mul', [cast, b.init(net.name('scale'), 'float', cshape(scale.length), scale)], [mul]);
  let f = mul;
  if (bias) {
    f = net.name('bias');
    b.node('Add', [mul, b.init(net.name('b'), 'float', cshape(channels), bias)], [f]);
  }
  if (relu) {
    const r = net.name('relu');
    b.node('Relu', [f], [r]);
    f = r;
  }
  return q(net, f, out.s, out.z, shape);
}

/**
 * ConvInteger -> rescale -> QLinearAdd (per-channel constant, first operand)
 * -> Flatten -> MatMulInteger -> rescale, on [1, 8, 8].
 */
export function integerOps(o: Options): TestModel {
  const net = new Net(o);
  const { b, r } = net;
  const { x, range } = inputOf(net, [1, 8, 8]);
  const ws = wScales(r, 4, o.perChannel);
  const W = b.init(net.name('W'), 'int8', [4, 1, 3, 3], weights(r, 36, net.o.fullRange));
  const acc1 = net.name('acc');
  b.node('ConvInteger', [x.name, W, b.scalar(o.act, x.z)], [acc1], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const s1 = ws.map((s) => f32(s * x.s));
  const y1s = outScale(r, x.s, ws[0]!, 9, x.sd);
  const c1 = rescale(
    net,
    acc1,
    4,
    [4, 8, 8],
    s1,
    Array.from({ length: 4 }, () => f32(r.float(-0.5, 0.5) * y1s * 20)),
    true,
    { s: y1s, z: o.act === 'uint8' ? 0 : -128 },
  );
  const k = b.init(
    net.name('k'),
    o.act,
    [4, 1, 1],
    Array.from({ length: 4 }, () => (o.act === 'uint8' ? r.int(0, 255) : r.int(-128, 127))),
  );
  const sum = { name: net.name('add'), s: f32(c1.s * 1.3), z: actZp(r, o.act), shape: [4, 8, 8], sd: SD };
  b.node(
    'QLinearAdd',
    [k, ...net.qparams(f32(c1.s / 2), actZp(r, o.act)), c1.name, ...net.qparams(c1.s, c1.z), ...net.qparams(sum.s, sum.z)],
    [sum.name],
    {},
    'com.microsoft',
  );
  const flat = { ...sum, name: net.name('flat'), shape: [256] };
  b.node('Flatten', [sum.name], [flat.name], { axis: 1 });
  const ws2 = wScales(r, 10, o.perChannel);
  const W2 = b.init(net.name('W'), 'int8', [256, 10], weights(r, 2560, net.o.fullRange));
  const acc2 = net.name('acc');
  b.node('MatMulInteger', [flat.name, W2, b.scalar(o.act, flat.z)], [acc2]);
  const y = rescale(
    net,
    acc2,
    10,
    [10],
    ws2.map((s) => f32(s * flat.s)),
    null,
    false,
    { s: outScale(r, flat.s, ws2[0]!, 256), z: actZp(r, o.act) },
  );
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, 1, 8, 8] }, { name: y.name, type: o.act, shape: [1, 10] }),
    inputShape: [1, 8, 8],
    outputShape: [10],
    inputRange: range,
  };
}

/** Pools: MaxPool (ceil_mode, padding) -> QLinearAveragePool (ceil_mode, count_include_pad) -> QLinearAveragePool over the whole plane. */
export function pools(o: Options): TestModel {
  const net = new Net(o);
  const { b, r } = net;
  const { x, range } = inputOf(net, [3, 9, 9]);
  const mp = net.name('mp');
  b.node('MaxPool', [x.name], [mp], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 });
  const a1 = { name: net.name('ap'), s: f32(x.s * r.float(0.5, 0.9)), z: actZp(r, o.act) };
  b.node(
    'QLinearAveragePool',
    [mp, ...net.qparams(x.s, x.z), ...net.qparams(a1.s, a1.z)],
    [a1.name],
    { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 },
    'com.microsoft',
  );
  const a2 = { name: net.name('ap'), s: f32(a1.s * r.float(0.3, 0.6)), z: actZp(r, o.act) };
  b.node(
    'QLinearAveragePool',
    [a1.name, ...net.qparams(a1.s, a1.z), ...net.qparams(a2.s, a2.z)],
    [a2.name],
    { kernel_shape: [3, 3] },
    'com.microsoft',
  );
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, 3, 9, 9] }, [
      { name: a1.name, type: o.act, shape: [1, 3, 3, 3] },
      { name: a2.name, type: o.act, shape: [1, 3, 1, 1] },
    ]),
    inputShape: [3, 9, 9],
    outputShape: [27],
    inputRange: range,
  };
}
