import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A dependency loaded on first use, synchronously through its CommonJS entry:
 * only code that calls it pays its load time (onnx-proto ~0.1 s, yaml,
 * @stdlib, image decoders), so importing helu-sim for fixed-point work stays
 * fast. ESM-only dependencies (Vega, TF.js, Yosys) are imported with
 * `await import()` where they are used instead.
 */
export function lazyRequire<T>(id: string): () => T {
  let m: T | undefined;
  return () => (m ??= require(id) as T);
}
