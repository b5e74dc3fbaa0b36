import { OnnxBuilder, rng } from './build.js';

/*
 * Quantized test networks written node by node, in the two layouts
 * onnxruntime's quantization tool produces: QOperator (QLinear* kernels) and
 * QDQ (QuantizeLinear/DequantizeLinear around float ops). Weights are int8 in
 * [-64, 63] unless fullRange (onnxruntime's x86 u8s8 kernels without VNNI
 * saturate pair sums to int16 then: pairsat.test.ts).
 */

export interface Options {
  act: 'uint8' | 'int8';
  perChannel: boolean;
  seed: number;
  /** Weights over the full int8 range [-128, 127] instead of [-64, 63] (pair saturation possible). */
  fullRange?: boolean;
}

export interface TestModel {
  bytes: Uint8Array;
  inputShape: number[];
  outputShape: number[];
  /** Input scale: random inputs are drawn over the quantized input range. */
  inputRange: [number, number];
}

type R = ReturnType<typeof rng>;

export const f32 = Math.fround;

export function actZp(r: R, act: 'uint8' | 'int8'): number {
  return act === 'uint8' ? r.int(100, 156) : r.int(-28, 28);
}

/** Standard deviation (in codes) the test networks aim at for every tensor. */
export const SD = 40;

/**
 * Output scale of K products w*x (w uniform in [-64, 63], sd 37; x with sd
 * `sdx` codes at scale sx) giving outputs a spread of about SD codes.
 */
export function outScale(r: R, sx: number, sw: number, k: number, sdx = SD): number {
  return f32(((Math.sqrt(k) * 37 * sw * sdx * sx) / SD) * r.float(0.8, 1.25));
}

export function weights(r: R, n: number, fullRange = false): number[] {
  return Array.from({ length: n }, () => (fullRange ? r.int(-128, 127) : r.int(-64, 63)));
}

/** Scales for `channels` output channels (one shared scale unless per-channel). */
export function wScales(r: R, channels: number, perChannel: boolean): number[] {
  const base = r.float(0.002, 0.02);
  return perChannel ? Array.from({ length: channels }, () => f32(base * r.float(0.5, 2))) : [f32(base)];
}

export class Net {
  readonly b = new OnnxBuilder();
  readonly r: R;
  n = 0;
  constructor(readonly o: Options) {
    this.r = rng(o.seed);
  }
  name(p: string): string {
    return `${p}_${this.n++}`;
  }
  qparams(scale: number, zp: number): [string, string] {
    return [this.b.scalar('float', scale), this.b.scalar(this.o.act, zp)];
  }
  wparams(s: number[], dims: number): [string, string] {
    const shape = s.length === 1 ? [] : [s.length];
    void dims;
    return [
      this.b.init(this.name('ws'), 'float', shape, s),
      this.b.init(
        this.name('wz'),
        'int8',
        shape,
        s.map(() => 0),
      ),
    ];
  }
}

function quantizeInput(net: Net, sx: number, zx: number): string {
  const [s, z] = net.qparams(sx, zx);
  net.b.node('QuantizeLinear', ['x', s, z], ['xq']);
  return 'xq';
}

/** QOperator MLP: QuantizeLinear -> QGemm (bias) -> QLinearMatMul -> QLinearAdd (bias constant) -> QLinearMatMul. */
export function qopMlp(o: Options): TestModel {
  const net = new Net(o);
  const { b, r } = net;
  const dims = [16, 24, 12, 10];
  let sx = f32(r.float(0.02, 0.05)),
    zx = actZp(r, o.act);
  const inputRange: [number, number] = o.act === 'uint8' ? [-zx * sx, (255 - zx) * sx] : [(-128 - zx) * sx, (127 - zx) * sx];
  let x = quantizeInput(net, sx, zx);
  const [xs0, xz0] = net.qparams(sx, zx);
  for (let l = 0; l < 3; l++) {
    const [k, n] = [dims[l]!, dims[l + 1]!];
    const ws = wScales(r, n, o.perChannel);
    const sy = outScale(r, sx, ws[0]!, k, l === 0 ? 74 : SD),
      zy = actZp(r, o.act);
    const [xs, xz] = l === 0 ? [xs0, xz0] : net.qparams(sx, zx);
    const [ys, yz] = net.qparams(sy, zy);
    const y = net.name('y');
    if (l === 0) {
      const W = b.init(net.name('W'), 'int8', [n, k], weights(r, n * k, net.o.fullRange));
      const bias = b.init(
        net.name('B'),
        'int32',
        [n],
        Array.from({ length: n }, () => r.int(-3000, 3000)),
      );
      const [wsn, wzn] = net.wparams(ws, 2);
      b.node('QGemm', [x, xs, xz, W, wsn, wzn, bias, ys, yz], [y], { transB: 1 }, 'com.microsoft');
    } else {
      const W = b.init(net.name('W'), 'int8', [k, n], weights(r, n * k, net.o.fullRange));
      const [wsn, wzn] = net.wparams(ws, 2);
      const mm = l === 1 ? net.name('mm') : y;
      const [ms, mz] = l === 1 ? net.qparams(f32(sy * 0.9), zy) : [ys, yz];
      b.node('QLinearMatMul', [x, xs, xz, W, wsn, wzn, ms, mz], [mm]);
      if (l === 1) {
        const c = b.init(
          net.name('bc'),
          o.act,
          [n],
          Array.from({ length: n }, () => (o.act === 'uint8' ? r.int(0, 255) : r.int(-128, 127))),
        );
        const [cs, cz] = net.qparams(f32(sy * 0.5), actZp(r, o.act));
        b.node('QLinearAdd', [mm, ms, mz, c, cs, cz, ys, yz], [y], {}, 'com.microsoft');
      }
    }
    x = y;
    sx = sy;
    zx = zy;
  }
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, 16] }, { name: x, type: o.act, shape: [1, 10] }),
    inputShape: [16],
    outputShape: [10],
    inputRange,
  };
}

/** A quantized tensor of a test network: name, scale, zero point, per-sample shape, code spread. */
export interface QT {
  name: string;
  s: number;
  z: number;
  shape: number[];
  sd: number;
}

function qconv(
  net: Net,
  x: QT,
  m: number,
  k: number,
  attrs: { pads?: number[]; strides?: number[]; group?: number; dilations?: number[] },
): QT {
  const { b, r, o } = net;
  const [c, h, w] = x.shape as [number, number, number];
  const g = attrs.group ?? 1;
  const ws = wScales(r, m, o.perChannel);
  const sy = outScale(r, x.s, ws[0]!, (c / g) * k * k, x.sd),
    zy = actZp(r, o.act);
  const W = b.init(net.name('W'), 'int8', [m, c / g, k, k], weights(r, m * (c / g) * k * k, net.o.fullRange));
  const B = b.init(
    net.name('B'),
    'int32',
    [m],
    Array.from({ length: m }, () => r.int(-2000, 2000)),
  );
  const [wsn, wzn] = net.wparams(ws, 4);
  const y = net.name('conv');
  const pads = attrs.pads ?? [0, 0, 0, 0];
  const st = attrs.strides ?? [1, 1];
  const d = attrs.dilations ?? [1, 1];
  b.node('QLinearConv', [x.name, ...net.qparams(x.s, x.z), W, wsn, wzn, ...net.qparams(sy, zy), B], [y], {
    kernel_shape: [k, k],
    pads,
    strides: st,
    group: g,
    dilations: d,
  });
  const oh = Math.floor((h + pads[0]! + pads[2]! - d[0]! * (k - 1) - 1) / st[0]!) + 1;
  const ow = Math.floor((w + pads[1]! + pads[3]! - d[1]! * (k - 1) - 1) / st[1]!) + 1;
  return { name: y, s: sy, z: zy, shape: [m, oh, ow], sd: SD };
}

export function inputOf(net: Net, shape: number[]): { x: QT; range: [number, number] } {
  const sx = f32(net.r.float(0.02, 0.05)),
    zx = actZp(net.r, net.o.act);
  const range: [number, number] = net.o.act === 'uint8' ? [-zx * sx, (255 - zx) * sx] : [(-128 - zx) * sx, (127 - zx) * sx];
  return { x: { name: quantizeInput(net, sx, zx), s: sx, z: zx, shape, sd: 74 }, range };
}

/**
 * QOperator CNN on [1, 12, 12]: QLinearConv (pad 1) -> MaxPool -> QLinearConv
 * (depthwise, dilated) and QLinearConv (1x1) -> QLinearAdd (residual) ->
 * QLinearConcat -> QLinearAveragePool -> QLinearConv (stride 2) ->
 * QLinearGlobalAveragePool -> Flatten -> QLinearMatMul.
 */
export function qopCnn(o: Options): TestModel {
  const net = new Net(o);
  const { b, r } = net;
  const { x, range } = inputOf(net, [1, 12, 12]);
  const c1 = qconv(net, x, 6, 3, { pads: [1, 1, 1, 1] });
  const mp = { ...c1, name: net.name('mp'), shape: [6, 6, 6] };
  b.node('MaxPool', [c1.name], [mp.name], { kernel_shape: [2, 2], strides: [2, 2] });
  const dw = qconv(net, mp, 6, 3, { pads: [2, 2, 2, 2], group: 6, dilations: [2, 2] });
  const pw = qconv(net, mp, 6, 1, {});
  const sum = { name: net.name('add'), s: f32(Math.hypot(dw.s, pw.s)), z: actZp(r, o.act), shape: [6, 6, 6], sd: SD };
  b.node(
    'QLinearAdd',
    [dw.name, ...net.qparams(dw.s, dw.z), pw.name, ...net.qparams(pw.s, pw.z), ...net.qparams(sum.s, sum.z)],
    [sum.name],
    {},
    'com.microsoft',
  );
  const cat = { name: net.name('cat'), s: f32(Math.max(sum.s, mp.s) * 1.1), z: actZp(r, o.act), shape: [12, 6, 6], sd: SD };
  b.node(
    'QLinearConcat',
    [...net.qparams(cat.s, cat.z), sum.name, ...net.qparams(sum.s, sum.z), mp.name, ...net.qparams(mp.s, mp.z)],
    [cat.name],
    { axis: 1 },
    'com.microsoft',
  );
  const ap = { name: net.name('ap'), s: f32(cat.s / 2.5), z: actZp(r, o.act), shape: [12, 5, 5], sd: SD };
  b.node(
    'QLinearAveragePool',
    [cat.name, ...net.qparams(cat.s, cat.z), ...net.qparams(ap.s, ap.z)],
    [ap.name],
    { kernel_shape: [3, 3], strides: [1, 1], pads: [0, 0, 1, 1], count_include_pad: 0 },
    'com.microsoft',
  );
  const c3 = qconv(net, ap, 8, 3, { strides: [2, 2] });
  const gap = { name: net.name('gap'), s: f32(c3.s / 1.5), z: actZp(r, o.act), shape: [8, 1, 1], sd: SD };
  b.node(
    'QLinearGlobalAveragePool',
    [c3.name, ...net.qparams(c3.s, c3.z), ...net.qparams(gap.s, gap.z)],
    [gap.name],
    { channels_last: 0 },
    'com.microsoft',
  );
  const flat = net.name('flat');
  b.node('Flatten', [gap.name], [flat], { axis: 1 });
  const ws = wScales(r, 10, o.perChannel);
  const sy = outScale(r, gap.s, ws[0]!, 8, 90),
    zy = actZp(r, o.act); // channel means spread the pooled codes
  const W = b.init(net.name('W'), 'int8', [8, 10], weights(r, 80, net.o.fullRange));
  const [wsn, wzn] = net.wparams(ws, 2);
  b.node('QLinearMatMul', [flat, ...net.qparams(gap.s, gap.z), W, wsn, wzn, ...net.qparams(sy, zy)], ['y']);
  return {
    bytes: b.build({ name: 'x', type: 'float', shape: [1, 1, 12, 12] }, { name: 'y', type: o.act, shape: [1, 10] }),
    inputShape: [1, 12, 12],
    outputShape: [10],
    inputRange: range,
  };
}
