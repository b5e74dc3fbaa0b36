import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The float reference's own WebAssembly module (assembled by `npm run build`
 * from ./assembly with AssemblyScript into reference.wasm). It is a module of
 * its own, sharing no code with the integer engine's kernels: the reference
 * computes by its own route, which is what makes verify's comparison a proof.
 */

/** The WebAssembly JS API as used here (the ES2022 lib that tsconfig selects does not declare it). */
const WA = (
  globalThis as unknown as {
    WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => { exports: unknown } };
  }
).WebAssembly;

/** The module's exports: functions on byte offsets into `memory`. */
export interface ReferenceExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heap_base(): number;
  matmul_f64(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number): void;
  gather_f64(x: number, cin: number, plane: number, map: number, taps: number, out: number): void;
  lookup_f64(
    x: number,
    y: number,
    n: number,
    scale: number,
    first: number,
    size: number,
    table: number,
    flags: number,
    events: number,
  ): number;
  quantize_f64(
    p: number,
    n: number,
    scale: number,
    lsb: number,
    mode: number,
    lo: number,
    hi: number,
    overflow: number,
    span: number,
    wrapLo: number,
  ): number;
  fill_rows_f64(out: number, rows: number, values: number, n: number): void;
  conv_f64(x: number, batch: number, geo: number, w: number, bias: number, pad: number, seen: number, out: number): void;
  pool_f64(x: number, planes: number, plane: number, offsets: number, start: number, Q: number, out: number, isMax: number): void;
  add_f64(a: number, b: number, out: number, n: number): void;
  first_difference_f64(reals: number, codes: number, n: number, scale: number): number;
  matmul_f32(a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number): void;
  demote_f64(x: number, out: number, n: number): void;
  promote_f32(x: number, out: number, n: number): void;
  dense_f32(x: number, rows: number, k: number, wt: number, bias: number, n: number, work: number, y: number): void;
  conv_f32(x: number, batch: number, geo: number, w: number, bias: number, pad: number, seen: number, out: number): void;
}

const FILE = 'reference.wasm';

/**
 * The built module beside this file in dist/, in the same checkout's dist/
 * (sources run directly, as in tests), or from the bundled package (dist/pkg).
 */
function wasmPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, FILE),
    join(here, '..', '..', '..', '..', 'dist', 'src', 'sim', 'reference', 'wasm', FILE),
    join(here, '..', 'src', 'sim', 'reference', 'wasm', FILE),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`float reference kernels not built (looked for ${candidates.join(', ')}): run npm run build`);
  return found;
}

let compiled: object | undefined;
let instance: ReferenceExports | undefined;

/** A new instance of the module, with a memory of its own (the module is compiled once per thread). */
export function newReferenceInstance(): ReferenceExports {
  compiled ??= new WA.Module(readFileSync(wasmPath()));
  return new WA.Instance(compiled, {}).exports as ReferenceExports;
}

/** This thread's shared instance, for the kernels that copy their operands in and out (module state is per thread). */
export function referenceKernels(): ReferenceExports {
  instance ??= newReferenceInstance();
  return instance;
}

const PAGE = 65536;

/**
 * Scratch space of this thread's module: `bytes` from the first free byte
 * (16-byte aligned), the memory grown by whole pages when needed. Each call
 * reuses the same space (a kernel call lays out its operands there, runs,
 * and copies its result out before the next call); views on the memory must
 * be taken after this call, since growth detaches earlier ones.
 */
export function scratch(bytes: number): number {
  const k = referenceKernels();
  const base = Math.ceil(k.heap_base() / 16) * 16;
  const need = base + bytes - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / PAGE));
  return base;
}

/** A float64 view of the module's memory at byte offset `at` (fresh: growth detaches old views). */
export function f64At(at: number, n: number): Float64Array {
  return new Float64Array(referenceKernels().memory.buffer, at, n);
}

/** An int32 view of the module's memory at byte offset `at`. */
export function i32At(at: number, n: number): Int32Array {
  return new Int32Array(referenceKernels().memory.buffer, at, n);
}
