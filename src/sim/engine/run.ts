import type { RequantScheme } from '../../fixedpoint/requant.js';
import type { IntModel } from '../quantize/model.js';
import { compile, type IntegerRunResult, type RunOptions } from './compile.js';
import type { KernelChoice } from './kernels.js';
import type { AccumulationMode, ActivationMode } from './scheme.js';

export interface RunIntegerOptions extends RunOptions {
  /** How activation layers run: the functional model (default) or the gate-level circuit. */
  mode?: ActivationMode;
  /** affine models: the requantization scheme (default: the model's own, else onnxruntime). */
  requant?: RequantScheme;
  /** affine models: 'exact' (default) or onnxruntime's pair-saturated u8 x s8 accumulation (affine/pairsat.ts). */
  accumulation?: AccumulationMode;
  /** Exact dense/conv layers on the WebAssembly kernels (default) or the JavaScript GEMM (engine/kernels.ts). */
  kernels?: KernelChoice;
}

/**
 * Compiles the model as it is now and runs `batch` samples (raw values,
 * batch-major) through it. Callers running many batches compile once
 * (compile.ts) and call run on the compiled model.
 */
export function runInteger(m: IntModel, input: ArrayLike<number>, batch: number, opts: RunIntegerOptions = {}): IntegerRunResult {
  return compile(m, opts).run(input, batch, opts);
}

/** Affine models: codes of every tensor (or the outputs) as Int32Arrays. */
export interface AffineRunResult {
  tensors: Map<string, Int32Array>;
  events: IntegerRunResult['events'];
}
export type AffineRunOptions = Omit<RunIntegerOptions, 'float64Codes'>;

export function runAffine(m: IntModel, input: ArrayLike<number>, batch: number, opts: AffineRunOptions = {}): AffineRunResult {
  return compile(m, opts).run(input, batch, opts) as AffineRunResult;
}

/** As runAffine, with the input given as codes of the input tensor (int8/uint8, checked). */
export function runAffineCodes(m: IntModel, codes: ArrayLike<number>, batch: number, opts: AffineRunOptions = {}): AffineRunResult {
  return compile(m, opts).runCodes(codes, batch, opts) as AffineRunResult;
}

export { compile, CompiledModel, type IntegerRunResult, type RunOptions } from './compile.js';
