import type { ConvLayer, DenseLayer, IntLayer, PoolLayer } from '../../quantize/model.js';
import type { ResidentScheme, ResidentStep } from '../resident.js';
import { quantizeAt } from '../wasm/kernels.js';
import type { ReferenceMemory } from '../wasm/resident.js';
import { exactInF32 } from './exact-f32.js';
import { convStepF32, denseStepF32 } from './resident-f32.js';
import { activationTable, referenceActivation } from './activation.js';
import { linearReal, type LinearReal } from './linear.js';
import { poolWindows } from './other.js';
import { countEvents, divideReal, overflowReal, type RealFormat } from './real.js';

/*
 * The pow2 reference's layers on tensors resident in its memory, each the
 * same definition as its RefKernel (linear.ts, activation.ts, other.ts) run
 * by the reference's WebAssembly steps: dense and conv without checked
 * filters (bias, products in the order of kernels.ts, then quantizeReal),
 * tabulated activations, pools and add. Other layers (checked filters,
 * activations of wider inputs, mul, transpose, concat) keep their RefKernel.
 */

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);

/**
 * A linear step followed by the quantization into `out` (n outputs per
 * sample). The closure keeps only what it reads: the layer's float64
 * weights (LinearReal) are garbage once placed in the memory.
 */
function quantizedStep(mem: ReferenceMemory, run: (x: number, y: number, batch: number) => void, out: RealFormat, n: number): ResidentStep {
  return ([x], y, batch, ev) => {
    run(x!, y, batch);
    countEvents(ev, out, quantizeAt(y, batch * n, out, mem.k));
  };
}

/** Dense y = b + x * w^T in float64 (matmul_f64's order). */
function denseStepF64(mem: ReferenceMemory, l: DenseLayer, p: LinearReal) {
  const [N, K] = l.weights.shape as [number, number];
  const wt = new Float64Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wt[k * N + n] = p.w[n * K + k]!;
  const wAt = mem.put(wt),
    bAt = mem.put(p.b),
    rowsPer = size(l.shape) / N;
  return (x: number, y: number, batch: number) => {
    mem.k.fill_rows_f64(y, batch * rowsPer, bAt, N);
    mem.k.matmul_f64(x, K, wAt, N, y, N, batch * rowsPer, K, N);
  };
}

function dense(mem: ReferenceMemory, l: DenseLayer, inF: RealFormat, chunk: number): ResidentStep | undefined {
  const p = linearReal(l, inF);
  if (p.checked.includes(true)) return undefined;
  const run = exactInF32(p, inF) ? denseStepF32(mem, l, p, chunk) : denseStepF64(mem, l, p);
  return quantizedStep(mem, run, p.out, size(l.shape));
}

/**
 * The geometry block conv_f64 reads (assembly/steps.ts): sizes, the
 * zero-padded plane (the input plane at (top, left), large enough for every
 * read), and the padded-plane offset each (kernel tap, output row) starts at.
 */
export function convGeometry(l: ConvGeometry, inShape: readonly number[]): Int32Array {
  const [C, H, W] = inShape as [number, number, number];
  const [M, OH, OW] = l.shape as [number, number, number];
  const [kh, kw] = l.kernel,
    [s0, s1] = l.strides,
    [d0, d1] = l.dilations,
    [top, left] = l.pads;
  const PH = Math.max(top + H, (OH - 1) * s0 + (kh - 1) * d0 + 1),
    PW = Math.max(left + W, (OW - 1) * s1 + (kw - 1) * d1 + 1);
  const starts: number[] = [];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let oh = 0; oh < OH; oh++) starts.push((oh * s0 + i * d0) * PW + j * d1);
  return Int32Array.from([C, H, W, M, l.group, OH, OW, kh * kw, PH, PW, top, left, s1, ...starts]);
}

/** What a convolution's geometry is made of (a ConvLayer has it). */
export type ConvGeometry = Pick<ConvLayer, 'shape' | 'kernel' | 'strides' | 'dilations' | 'pads' | 'group'>;

/**
 * The resident convolution without quantization: (x, y, batch) writes
 * y = bias + w * x for `batch` samples (conv_f64's order), its constants
 * (weights, biases, geometry, padded plane) placed in mem, its tap matrix
 * in mem's shared scratch (run it after mem.seal()).
 */
export function convStep(mem: ReferenceMemory, l: ConvGeometry, inShape: readonly number[], w: Float64Array, b: Float64Array) {
  const geo = convGeometry(l, inShape);
  const [C, , , , group, OH, OW, KK, PH, PW] = Array.from(geo) as number[];
  const geoAt = mem.put(geo),
    wAt = mem.put(w),
    bAt = mem.put(b),
    padAt = mem.put(new Float64Array(PH! * PW!));
  mem.needScratch((C! / group!) * KK! * OH! * OW! * 8);
  return (x: number, y: number, batch: number) => mem.k.conv_f64(x, batch, geoAt, wAt, bAt, padAt, mem.scratch, y);
}

function conv(mem: ReferenceMemory, l: ConvLayer, inF: RealFormat, inShape: readonly number[]): ResidentStep | undefined {
  const p = linearReal(l, inF);
  if (p.checked.includes(true)) return undefined;
  const run = exactInF32(p, inF) ? convStepF32(mem, l, p, inShape) : convStep(mem, l, inShape, p.w, p.b);
  return quantizedStep(mem, run, p.out, size(l.shape));
}

function activation(mem: ReferenceMemory, text: string, inF: RealFormat, outF: RealFormat, n: number): ResidentStep | undefined {
  const act = referenceActivation(text, inF, outF);
  const t = activationTable(act, inF);
  if (!t) return undefined;
  const tableAt = mem.put(t.value),
    flagsAt = t.flags.some((f) => f !== 0) ? mem.put(t.flags) : 0,
    evAt = mem.alloc(8);
  return ([x], y, batch, ev) => {
    if (mem.k.lookup_f64(x!, y, n * batch, t.scale, t.first, t.value.length, tableAt, flagsAt, evAt) === 0) {
      const e = mem.i32(evAt, 2);
      ev.saturations += e[0]!;
      ev.wraps += e[1]!;
    } else {
      const into = mem.f64(y, n * batch),
        from = mem.f64(x!, n * batch);
      for (let i = 0; i < into.length; i++) into[i] = act(from[i]!, ev);
    }
  };
}

/** Max and average pools (global average: one window of the whole plane); averages divided on the output grid in JavaScript. */
function pool(mem: ReferenceMemory, l: PoolLayer | undefined, inShape: readonly number[], outF: RealFormat): ResidentStep {
  const [C, H, W] = inShape as [number, number, number];
  const w = l
    ? poolWindows(l, H, W)
    : { offsets: Int32Array.from({ length: H * W }, (_, i) => i), start: Int32Array.of(0, H * W), divisor: Float64Array.of(H * W) };
  const Q = w.divisor.length,
    isMax = l?.op === 'maxpool';
  const offAt = mem.put(w.offsets),
    startAt = mem.put(w.start);
  return ([x], y, batch, ev) => {
    mem.k.pool_f64(x!, batch * C, H * W, offAt, startAt, Q, y, isMax ? 1 : 0);
    if (isMax) return;
    const out = mem.f64(y, batch * C * Q);
    for (let i = 0; i < out.length; i++) out[i] = overflowReal(divideReal(out[i]!, w.divisor[i % Q]!, outF), outF, ev);
  };
}

function add(mem: ReferenceMemory, outF: RealFormat, n: number, sameShape: boolean): ResidentStep | undefined {
  if (!sameShape) return undefined;
  return ([a, b], y, batch, ev) => {
    mem.k.add_f64(a!, b!, y, n * batch);
    countEvents(ev, outF, quantizeAt(y, n * batch, outF, mem.k));
  };
}

/** The pow2 reference's resident scheme over the model's tensor formats (by tensor name). */
export function pow2Resident(formats: ReadonlyMap<string, RealFormat>, inF: RealFormat): ResidentScheme {
  return {
    input: (mem, at, n, ev) => countEvents(ev, inF, quantizeAt(at, n, inF, mem.k)),
    layer(mem, l: IntLayer, shapes, chunk) {
      const ins = l.inputs.map((n) => formats.get(n)!),
        out = formats.get(l.output)!;
      switch (l.op) {
        case 'dense':
          return dense(mem, l, ins[0]!, chunk);
        case 'conv':
          return conv(mem, l, ins[0]!, shapes[0]!);
        case 'maxpool':
        case 'avgpool':
          return pool(mem, l, shapes[0]!, out);
        case 'globalavgpool':
          return pool(mem, undefined, shapes[0]!, out);
        case 'activation':
          return activation(mem, l.activation, ins[0]!, out, size(l.shape));
        case 'add':
          return add(
            mem,
            out,
            size(l.shape),
            shapes.every((s) => size(s) === size(l.shape)),
          );
        default:
          return undefined;
      }
    },
  };
}
