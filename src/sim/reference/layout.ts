import type { LayerEvents } from '../quantize/model.js';
import type { RefKernel } from './kernel.js';

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/** Output index -> input index by mixed-radix digits: output digit i is input digit perm[i]. */
export function transposeRef(inShape: readonly number[], perm: readonly number[]): RefKernel {
  const n = size(inShape);
  const outShape = perm.map((a) => inShape[a]!);
  return (ins, batch) => {
    const x = ins[0]!;
    const y = new Float64Array(batch * n);
    const digits = new Array<number>(inShape.length);
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < n; o++) {
        let rest = o;
        for (let a = outShape.length - 1; a >= 0; a--) {
          digits[perm[a]!] = rest % outShape[a]!;
          rest = Math.floor(rest / outShape[a]!);
        }
        let src = 0;
        for (let a = 0; a < inShape.length; a++) src = src * inShape[a]! + digits[a]!;
        y[b * n + o] = x[b * n + src]!;
      }
    }
    return y;
  };
}

/** ONNX Concat: for each sample and each index before `axis`, the inputs' blocks in order, each element through into(k, v) (the output's quantization). */
export function concatRef(
  inShapes: readonly (readonly number[])[],
  axis: number,
  into: (k: number, v: number, ev: LayerEvents) => number,
): RefKernel {
  const outer = size(inShapes[0]!.slice(0, axis));
  const blocks = inShapes.map((s) => size(s.slice(axis)));
  return (ins, batch, ev) => {
    const out: number[] = [];
    for (let b = 0; b < batch * outer; b++) {
      ins.forEach((x, k) => {
        for (let i = 0; i < blocks[k]!; i++) out.push(into(k, x[b * blocks[k]! + i]!, ev));
      });
    }
    return Float64Array.from(out);
  };
}
