import type { IntLayer, TensorQuant } from '../quantize/model.js';
import type { Kernel } from './kernel.js';
import { linearPath, type KernelChoice, type LinearPath } from './kernels.js';
import { convKernel, denseKernel } from './linear.js';
import { avgPoolKernel, globalAvgPoolKernel, maxPoolKernel } from './pool.js';
import type { ActivationMode, LinearOperands, Scheme } from './scheme.js';
import { concatKernel, transposeKernel } from './tensor-ops.js';
import { dataKernel } from './data-ops.js';

/** One layer of the plan: its kernel and the tensors it reads and writes. */
export interface Step {
  readonly name: string;
  readonly output: string;
  readonly inputs: readonly string[];
  readonly kernel: Kernel;
}

/** Shapes and quantizations of the tensors seen so far, by name. */
export interface PlanContext {
  shapes: Map<string, readonly number[]>;
  quants: Map<string, TensorQuant>;
  /** Kernel choice for exact dense/conv layers, and the path each such layer got (by layer name). */
  kernels: KernelChoice;
  paths: Map<string, LinearPath>;
  /** The operands each dense/conv layer got (by layer name), for the resident pipeline. */
  operands?: Map<string, LinearOperands>;
}

/** The kernel of one layer: shared kernels fed by the scheme's numbers, or the scheme's own elementwise op. */
export function layerKernel(l: IntLayer, s: Scheme, ctx: PlanContext, mode: ActivationMode, path: string): Kernel {
  const shapes = l.inputs.map((n) => ctx.shapes.get(n)!);
  const ins = l.inputs.map((n) => ctx.quants.get(n)!);
  switch (l.op) {
    case 'dense':
    case 'conv': {
      const own = s.linearOverride?.(l, shapes[0]!, ins[0]!, path);
      if (own) return own;
      const ops = s.linear(l, ins[0]!, path);
      const lp = linearPath(ops, ctx.kernels);
      ctx.paths.set(l.name, lp);
      ctx.operands?.set(l.name, ops);
      return l.op === 'dense' ? denseKernel(ops, shapes[0]!, lp) : convKernel(l, ops, shapes[0]!, lp);
    }
    case 'maxpool':
      return maxPoolKernel(l, shapes[0]!, s.convert(ins[0]!, l.out, path));
    case 'avgpool':
      return s.poolOverride?.(l, shapes[0]!, ins[0]!, l.out) ?? avgPoolKernel(l, shapes[0]!, s.averager(ins[0]!, l.out));
    case 'globalavgpool':
      return s.poolOverride?.(l, shapes[0]!, ins[0]!, l.out) ?? globalAvgPoolKernel(shapes[0]!, s.averager(ins[0]!, l.out));
    case 'flatten':
    case 'reshape':
      return (xs) => xs[0]!;
    case 'transpose':
      return transposeKernel(shapes[0]!, l.perm);
    case 'add':
      return s.add(l, shapes, ins, path);
    case 'mul':
      return s.mul(l, shapes, ins, path);
    case 'concat':
      return concatKernel(
        shapes,
        l.axis,
        ins.map((q, k) => s.convert(q, l.out, `${path}.inputs[${k}]`)),
      );
    case 'activation':
      return s.activation(l, ins[0]!, l.out, mode);
    case 'gather':
    case 'reduce':
    case 'constant':
    case 'pad':
      return dataKernel(l, s, shapes, ins, path);
    case 'matmul':
    case 'binary':
    case 'where':
      return s.arith(l, shapes, ins, path);
  }
}
