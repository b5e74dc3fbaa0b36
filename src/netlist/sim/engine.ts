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
 * Kernels are cached per netlist (keyed by their spec), so repeated runs of
 * the same circuit reuse code V8 has already optimised. A netlist changed
 * since (cells, nets or ports added) gets new kernels.
 */
const cache = new WeakMap<Netlist, Map<string, { signature: string; kernel: Kernel }>>();

function signature(net: Netlist): string {
  return `${net.cells.length}:${net.nextNet}:${net.ports.length}`;
}

/**
 * A kernel for `spec` with the chosen engine. A spec with a sink always
 * compiles and must pass `sinkKey`, a string that identifies the sink's code.
 */
export function makeKernel(net: Netlist, spec: KernelSpec, totalWords: number, engine: SimEngine = 'auto', sinkKey = ''): Kernel {
  const compiled = spec.sink !== undefined || engine === 'compiled' || (engine === 'auto' && totalWords >= AUTO_COMPILE_WORDS);
  const key = [compiled ? 'c' : 'i', spec.mode, spec.maxWords, spec.chunkCells ?? '', sinkKey,
    spec.inputs.join(','), spec.outputs.join(','), (spec.counterBits ?? []).join(',')].join('|');
  let perNet = cache.get(net);
  if (!perNet) cache.set(net, (perNet = new Map()));
  const hit = perNet.get(key);
  const sig = signature(net);
  if (hit && hit.signature === sig) return hit.kernel;
  const kernel = compiled ? compileKernel(net, spec) : interpretKernel(net, spec);
  perNet.set(key, { signature: sig, kernel });
  return kernel;
}
