import type { Netlist } from '../ir.js';
import { interpretKernel } from './interp.js';
import { compileKernel, type Kernel, type KernelSpec } from './kernel.js';

/**
 * 'compiled': generated JavaScript (fastest per word, but compiling costs
 * time that grows with circuit size, and V8 needs a while to optimise it);
 * 'interpreted': typed-array program (starts at once); 'auto': compiled when
 * the run is long enough to repay the compilation (at least
 * AUTO_COMPILE_WORDS words, i.e. 2^23 vectors; measured on an 8x8 multiplier,
 * the interpreter still wins end to end at 2^21 vectors).
 */
export type SimEngine = 'auto' | 'compiled' | 'interpreted';

export const AUTO_COMPILE_WORDS = 1 << 18;

/**
 * A new kernel for `spec` with the chosen engine (a spec with a sink always
 * compiles). Nothing is cached: a kernel reflects the netlist as it is when
 * made, and whoever runs a circuit repeatedly keeps its kernel (simulate.ts,
 * compileSimulator).
 */
export function makeKernel(net: Netlist, spec: KernelSpec, totalWords: number, engine: SimEngine = 'auto'): Kernel {
  const compiled = spec.sink !== undefined || engine === 'compiled' || (engine === 'auto' && totalWords >= AUTO_COMPILE_WORDS);
  return compiled ? compileKernel(net, spec) : interpretKernel(net, spec);
}
