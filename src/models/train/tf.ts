import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export type Tf = typeof import('@tensorflow/tfjs');

export interface TfRuntime {
  tf: Tf;
  /** 'wasm' normally; 'cpu' when the WASM backend failed to start (see note). */
  backend: string;
  note?: string;
}

let loading: Promise<TfRuntime> | undefined;

/**
 * Loads TensorFlow.js once, on first use (so commands that do not train never
 * pay for it), with the WASM backend: its binaries are read from the
 * package's dist folder. Falls back to the pure-JS 'cpu' backend, with a note,
 * when WASM cannot start.
 *
 * Determinism: with a fixed seed, helu-sim's own initializers and shuffling
 * are reproducible everywhere; TF.js kernels on one backend are
 * deterministic on one machine (the WASM backend runs single-threaded here,
 * XNNPACK's summation order is fixed for a given shape), so a run repeats bit
 * for bit. Results differ between the 'wasm' and 'cpu' backends (different
 * float32 summation orders) and may differ between CPUs with and without SIMD.
 */
export function loadTf(): Promise<TfRuntime> {
  loading ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    // Production mode: no debug checks, and no console banners from the cpu backend.
    tf.enableProdMode();
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    try {
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { tf, backend: 'wasm' };
      }
      throw new Error('setBackend returned false');
    } catch (e) {
      await tf.setBackend('cpu');
      await tf.ready();
      return { tf, backend: 'cpu', note: `WASM backend unavailable (${(e as Error).message}); training on the slower pure-JS cpu backend` };
    }
  })();
  return loading;
}
