import { UserError } from '../../errors.js';
import { windowOutput } from '../window.js';

/**
 * Network architecture grammar of `helu-sim train --arch`:
 *
 *   mlp:H1,H2,...   dense hidden layers of H1, H2, ... units ('mlp' alone: no hidden layer)
 *   cnn:L1,L2,...   layers in order, each one of
 *     FcK[sS][v][b] convolution, F filters of K x K, stride S (default 1),
 *                   'same' zero padding (TensorFlow's rule: out = ceil(in/S))
 *                   unless 'v' (valid: no padding); 'b': then BatchNorm over
 *                   the channels (net-tf.ts); then the activation
 *     pK            max pooling K x K, stride K, no padding (remainder dropped)
 *     aK            average pooling K x K, stride K, no padding
 *     gap           global average pooling
 *     H             dense layer of H units, then the activation (the first
 *                   dense layer flattens its input)
 *
 * Every network ends with a dense layer of one unit per class (the logits).
 * Example: 'cnn:8c3,p2,16c3,p2,32' on digits [1,8,8]: conv 8@8x8, pool 4x4,
 * conv 16@4x4, pool 2x2, flatten 64, dense 32, dense 10.
 */
export type LayerSpec =
  | { type: 'conv'; filters: number; kernel: number; stride: number; same: boolean; batchNorm?: boolean }
  | { type: 'maxpool'; size: number }
  | { type: 'avgpool'; size: number }
  | { type: 'gap' }
  | { type: 'flatten' }
  | { type: 'dense'; units: number; hidden: boolean };

/** A layer with the per-sample shapes around it ([C,H,W] or [features]). */
export interface PlannedLayer {
  spec: LayerSpec;
  inShape: number[];
  outShape: number[];
}

export const ARCH_HELP =
  "'mlp:H1,H2,...' or 'cnn:L1,...' with layers FcK[sS][v][b] (conv, b: BatchNorm), pK (max pool), aK (avg pool), gap, H (dense), e.g. 'cnn:8c3,p2,16c3,p2,32'";

function positive(s: string, arch: string): number {
  const n = Number(s);
  if (!/^[0-9]+$/.test(s) || n < 1)
    throw new UserError(`bad architecture '${arch}': '${s}' is not a positive integer; accepted: ${ARCH_HELP}`);
  return n;
}

function parseLayer(tok: string, arch: string, cnn: boolean): LayerSpec {
  if (/^[0-9]+$/.test(tok)) return { type: 'dense', units: positive(tok, arch), hidden: true };
  if (!cnn) throw new UserError(`bad architecture '${arch}': mlp layers are unit counts, got '${tok}'`);
  const conv = /^([0-9]+)c([0-9]+)(?:s([0-9]+))?(v?)(b?)$/.exec(tok);
  if (conv) {
    const spec: LayerSpec = {
      type: 'conv',
      filters: positive(conv[1]!, arch),
      kernel: positive(conv[2]!, arch),
      stride: conv[3] ? positive(conv[3], arch) : 1,
      same: conv[4] !== 'v',
    };
    return conv[5] === 'b' ? { ...spec, batchNorm: true } : spec;
  }
  const pool = /^([pa])([0-9]+)$/.exec(tok);
  if (pool)
    return pool[1] === 'p' ? { type: 'maxpool', size: positive(pool[2]!, arch) } : { type: 'avgpool', size: positive(pool[2]!, arch) };
  if (tok === 'gap') return { type: 'gap' };
  throw new UserError(`bad architecture '${arch}': unknown layer '${tok}'; accepted: ${ARCH_HELP}`);
}

function plan1(spec: LayerSpec, s: number[], arch: string): number[] {
  const need3 = (what: string) => {
    if (s.length !== 3) throw new UserError(`bad architecture '${arch}': ${what} needs an image input [C,H,W], the data has shape [${s}]`);
  };
  switch (spec.type) {
    case 'conv': {
      need3('a convolution');
      const [h, w] = spec.same
        ? [Math.ceil(s[1]! / spec.stride), Math.ceil(s[2]! / spec.stride)]
        : [windowOutput(s[1]!, spec.kernel, spec.stride, 0, 0, 1, false), windowOutput(s[2]!, spec.kernel, spec.stride, 0, 0, 1, false)];
      if (h < 1 || w < 1)
        throw new UserError(`bad architecture '${arch}': a ${spec.kernel}x${spec.kernel} valid convolution does not fit [${s}]`);
      return [spec.filters, h, w];
    }
    case 'maxpool':
    case 'avgpool': {
      need3('pooling');
      const [h, w] = [Math.floor(s[1]! / spec.size), Math.floor(s[2]! / spec.size)];
      if (h < 1 || w < 1) throw new UserError(`bad architecture '${arch}': pooling ${spec.size}x${spec.size} does not fit [${s}]`);
      return [s[0]!, h, w];
    }
    case 'gap':
      need3('gap');
      return [s[0]!];
    case 'flatten':
      return [s.reduce((a, b) => a * b, 1)];
    case 'dense':
      return [spec.units];
  }
}

/** Parses an architecture and plans it on an input shape and class count (UserError on anything that does not fit). */
export function planArchitecture(arch: string, inputShape: readonly number[], numClasses: number): PlannedLayer[] {
  const m = /^(mlp|cnn)(?::(.*))?$/.exec(arch.trim());
  if (!m) throw new UserError(`bad architecture '${arch}'; accepted: ${ARCH_HELP}`);
  const toks = (m[2] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (m[1] === 'cnn' && toks.length === 0) throw new UserError(`bad architecture '${arch}': cnn needs layers; accepted: ${ARCH_HELP}`);
  const specs = toks.map((t) => parseLayer(t, arch, m[1] === 'cnn'));
  specs.push({ type: 'dense', units: numClasses, hidden: false });
  const out: PlannedLayer[] = [];
  let shape = [...inputShape];
  for (const spec of specs) {
    if (spec.type === 'dense' && shape.length !== 1) {
      out.push({ spec: { type: 'flatten' }, inShape: shape, outShape: [shape.reduce((a, b) => a * b, 1)] });
      shape = out[out.length - 1]!.outShape;
    }
    const next = plan1(spec, shape, arch);
    out.push({ spec, inShape: shape, outShape: next });
    shape = next;
  }
  return out;
}
