import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of the WebAssembly JS API used here (the ES2022 lib that tsconfig selects does not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The window every WebAssembly convolution takes first, in its parameter
 * order: the input's byte offset, its channels and size, the kernel size,
 * strides, top/left padding, dilations and the output size.
 */
export type ConvWindow = [
  x: number,
  c: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
  dh: number,
  dw: number,
  oh: number,
  ow: number,
];

/**
 * The im2col + GEMM convolutions' arguments (conv_i16, conv_i64, conv_f64):
 * the window, the padding value, the weights and output offsets, the output
 * channels, the im2col scratch, its block of pixels, the GEMM row block, and
 * whether to add to the output.
 */
export type ConvArgs = [
  ...ConvWindow,
  pad: number,
  wgt: number,
  cout: number,
  out: number,
  col: number,
  block: number,
  mc: number,
  add: number,
];

/** An output format as the kernels take it: rounding and overflow mode numbers, the kept range, width and signedness. */
export type OutFormat = [mode: number, ovf: number, lo: number, hi: number, width: number, signed: number];

/** The kernel module's exports: functions on byte offsets into `memory`. */
export interface KernelExports {
  memory: WasmMemory;
  heap_base(): number;
  f64_to_i16(src: number, dst: number, n: number): void;
  i32_to_f64(src: number, dst: number, n: number): void;
  gemm_i16(
    a: number,
    lda: number,
    m: number,
    kp: number,
    b: number,
    n: number,
    c: number,
    ldc: number,
    mc: number,
    add: number,
    bias: number,
    biasMode: number,
  ): void;
  gemm_i64(a: number, lda: number, m: number, k: number, b: number, n: number, c: number, ldc: number, mc: number, add: number): void;
  i64_to_f64(p: number, n: number): number;
  gemm_f64(a: number, lda: number, m: number, k: number, b: number, n: number, c: number, ldc: number, mc: number, add: number): void;
  im2col_i16(
    x: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    dh: number,
    dw: number,
    ow: number,
    pad: number,
    p0: number,
    p1: number,
    out: number,
  ): void;
  conv_i16(...a: [...ConvArgs, bias: number, biasMode: number]): void;
  conv_f64(...a: ConvArgs): void;
  conv_i64(...a: ConvArgs): void;
  narrow_i32_i16(
    src: number,
    ls: number,
    dst: number,
    ld: number,
    rows: number,
    cols: number,
    shifts: number,
    layout: number,
    mode: number,
    ovf: number,
    lo: number,
    hi: number,
    width: number,
    signed: number,
  ): number;
  dense_i16_narrow(
    a: number,
    m: number,
    k: number,
    kp: number,
    b: number,
    n: number,
    bias: number,
    acc: number,
    mc: number,
    dst: number,
    shifts: number,
    q: number,
  ): number;
  conv_i16_narrow(
    ...a: [
      ...ConvWindow,
      wgt: number,
      cout: number,
      bias: number,
      col: number,
      block: number,
      mc: number,
      acc: number,
      dst: number,
      shifts: number,
      q: number,
    ]
  ): number;
  gather_i16(x: number, n: number, table: number, base: number, y: number): number;
  quantize_f64_i16(
    src: number,
    n: number,
    k: number,
    s: number,
    mode: number,
    ovf: number,
    lo: number,
    hi: number,
    width: number,
    signed: number,
    dst: number,
  ): number;
  mark_i16(x: number, n: number, base: number, marks: number): void;
  convd_i16_narrow(
    xp: number,
    wp: number,
    sh: number,
    oh: number,
    ow: number,
    owp: number,
    pairs: number,
    offs: number,
    wgt: number,
    cout: number,
    bias: number,
    block: number,
    acc: number,
    dst: number,
    shifts: number,
    q: number,
  ): number;
  add_i16_narrow(a: number, b: number, n: number, ua: number, ub: number, acc: number, dst: number, shifts: number, q: number): number;
  gap_i16(x: number, planes: number, plane: number, up: number, den: number, ...rest: [...OutFormat, dst: number]): number;
  pairs_i16(x: number, c: number, h: number, w: number, pt: number, pl: number, pb: number, pr: number, off: number, dst: number): void;
  avgpool_i16(
    x: number,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    geo: number,
    up: number,
    down: number,
    ...rest: [...OutFormat, dst: number]
  ): number;
  /** The inner loop's ceiling (benchmarks only): n steps of 64 multiply-accumulates on registers. */
  dot_limit_i16(n: number, seed: number): number;
  pad_i16(x: number, c: number, h: number, w: number, pt: number, pl: number, pb: number, pr: number, off: number, dst: number): void;
  requant_ort_i16(
    src: number,
    ls: number,
    dst: number,
    ld: number,
    rows: number,
    cols: number,
    ms: number,
    perRow: number,
    zp: number,
    lo: number,
    hi: number,
    satLo: number,
    satHi: number,
  ): number;
  maxpool_i16(
    x: number,
    planes: number,
    h: number,
    w: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    dh: number,
    dw: number,
    y: number,
  ): void;
}

/** Where `npm run build` writes the module (assembled from ./assembly by AssemblyScript). */
const FILE = 'kernels.wasm';

/**
 * The compiled module's bytes: beside this file in dist/, or, when the
 * TypeScript sources run directly (tests), in the build output of the same
 * checkout.
 */
function wasmPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, FILE),
    join(here, '..', '..', '..', '..', 'dist', 'src', 'sim', 'engine', 'wasm', FILE),
    join(here, '..', 'src', 'sim', 'engine', 'wasm', FILE), // the bundled package (dist/pkg)
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`WebAssembly kernels not built (looked for ${candidates.join(', ')}): run npm run build`);
  return found;
}

let compiled: object | undefined;
let instance: KernelExports | undefined;

/**
 * This thread's kernel instance, created on first use, synchronously
 * (WebAssembly.Module/Instance on the file's bytes). Module state is per
 * thread, so each worker_threads worker that imports this file gets its own
 * instance and its own linear memory.
 */
export function kernels(): KernelExports {
  if (instance) return instance;
  compiled ??= new WA.Module(readFileSync(wasmPath()));
  instance = new WA.Instance(compiled, {}).exports as KernelExports;
  return instance;
}
