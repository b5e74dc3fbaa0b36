import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { parseActivation } from '../../src/activations/index.js';
import { formatToString, parseFormat } from '../../src/fixedpoint/index.js';
import {
  decodeImage,
  graphFromJson,
  graphToJson,
  importOnnx,
  loadCsv,
  loadDataset,
  loadTfjsModel,
  parsePreprocess,
  preprocessImage,
  readIdx,
  readNpyBytes,
  runFloat64,
  sizeOf,
  graphInput,
  type Graph,
} from '../../src/models/index.js';
import { importQuantizedOnnx, intModelToJson, loadIntModel, loadQuantConfig, quantizeModel, runInteger } from '../../src/sim/index.js';
import { HOSTILE, hostile, hostileText, mutatedBytes, mutatedJson } from './mutate.js';
import { idxBytes, images, npyBytes, onnxCnn, onnxMlp, onnxQdq, tfjsModel } from './seeds.js';

/*
 * Every loader and parser a user can reach, as fuzz targets: an input
 * generator (fast-check) and a run that either returns or throws. What a
 * run may throw is checked by outcome.ts (a one-line UserError only).
 */

export interface Target<T = unknown> {
  readonly name: string;
  readonly input: fc.Arbitrary<T>;
  /** Runs one input; `dir` is a scratch directory for loaders that read files. */
  run(input: T, dir: string): void;
}

const onnx = onnxProto.onnx;

/** Runs an accepted float graph on one sample, so an importer's output is exercised too. */
function runGraph(g: Graph): void {
  runFloat64(g, new Float64Array(sizeOf(graphInput(g).shape)).fill(0.5), 1);
}

/** An ONNX seed decoded to a plain object, edited structurally, encoded back (the seed when protobuf refuses the edit). */
function structuralOnnx(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const objects = seeds.map((b) => onnx.ModelProto.toObject(onnx.ModelProto.decode(b), { longs: Number, bytes: Array }));
  return mutatedJson(objects).map((text) => {
    try {
      return onnx.ModelProto.encode(onnx.ModelProto.fromObject(JSON.parse(text) as Record<string, unknown>)).finish();
    } catch {
      return seeds[0]!;
    }
  });
}

function onnxInput(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(mutatedBytes(seeds), structuralOnnx(seeds));
}

let seedCache: { graph: Graph; intJson: unknown } | undefined;
function seedModels(): { graph: Graph; intJson: unknown } {
  if (seedCache) return seedCache;
  const graph = importOnnx(onnxMlp(), 'seed.onnx');
  const calib = { x: Float64Array.from({ length: 16 * 8 }, (_, i) => (i * 7) % 17), count: 8 };
  const intJson = JSON.parse(intModelToJson(quantizeModel(graph, calib, { storeFloat: false }))) as unknown;
  return (seedCache = { graph, intJson });
}

const fmtParam = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map(String),
  hostileText,
  fc.constantFrom('RND', 'SAT', 'AP_RND_CONV', 'WRAP', 'rnd', ''),
);

/** A target with its input type checked, stored type-erased in TARGETS. */
function target<T>(t: Target<T>): Target<never> {
  return t as unknown as Target<never>;
}

export const TARGETS: readonly Target<never>[] = [
  target({ name: 'onnx-float', input: onnxInput([onnxMlp(), onnxCnn()]), run: (b: Uint8Array) => runGraph(importOnnx(b, 'fuzz.onnx')) }),
  target({ name: 'onnx-quantized', input: onnxInput([onnxQdq()]), run: (b: Uint8Array) => void importQuantizedOnnx(b, 'fuzz.onnx') }),
  target({
    name: 'integer-model-json',
    input: fc.constant(null).chain(() => mutatedJson([seedModels().intJson])),
    run: (t: string, dir) => {
      writeFileSync(join(dir, 'm.q.json'), t);
      const m = loadIntModel(join(dir, 'm.q.json'));
      runInteger(m, new Float64Array(sizeOf(m.input.shape)).fill(0.5), 1);
    },
  }),
  target({
    name: 'graph-json',
    input: fc.constant(null).chain(() => mutatedJson([JSON.parse(graphToJson(seedModels().graph))])),
    run: (t: string) => runGraph(graphFromJson(t, 'fuzz.json')),
  }),
  target({
    name: 'tfjs-model-json',
    input: fc.tuple(mutatedJson([tfjsModel().json]), fc.oneof(fc.constant(tfjsModel().weights), mutatedBytes([tfjsModel().weights]))),
    run: ([json, weights]: [string, Uint8Array], dir) => {
      writeFileSync(join(dir, 'model.json'), json);
      writeFileSync(join(dir, 'w.bin'), weights);
      runGraph(loadTfjsModel(join(dir, 'model.json')));
    },
  }),
  target({
    name: 'quant-config',
    input: fc.tuple(
      mutatedJson([
        {
          weights: 'fixed<8,1>',
          acts: 'fixed<8,4>',
          acc: 24,
          bits: 8,
          layers: { Gemm_1: { weights: 'fixed<6,1>', out: 'fixed<8,3>', acc: 'fixed<24,10>' } },
        },
      ]),
      fc.boolean(),
    ),
    run: ([t, yaml]: [string, boolean], dir) => {
      const p = join(dir, yaml ? 'c.yaml' : 'c.json');
      writeFileSync(p, t);
      loadQuantConfig(p);
    },
  }),
  target({
    name: 'format-string',
    input: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .tuple(fc.constantFrom('fixed', 'ufixed', 'ap_fixed', 'AP_UFIXED', 'int'), fc.array(fmtParam, { maxLength: 5 }))
        .map(([k, p]) => `${k}<${p.join(',')}>`),
      hostileText,
    ),
    run: (s: string) => {
      const f = parseFormat(s);
      const again = parseFormat(formatToString(f));
      if (JSON.stringify(again) !== JSON.stringify(f)) throw new Error(`format '${s}' does not round-trip`);
    },
  }),
  target({
    name: 'activation-string',
    input: fc.oneof(
      fc.string({ maxLength: 30 }),
      hostileText,
      fc.constantFrom('helu:', 'clamp:1:0', 'leakyrelu:1e400', 'elu:-1', 'constructor:1'),
    ),
    run: (s: string) => void parseActivation(s),
  }),
  target({
    name: 'csv',
    input: fc.tuple(
      fc.array(
        fc.array(
          fc.oneof(
            { arbitrary: fc.integer({ min: 0, max: 5 }).map(String), weight: 30 },
            hostileText,
            fc.constantFrom('"1"', '', '1e5', '0x1', 'cat'),
          ),
          { minLength: 3, maxLength: 3 },
        ),
        { minLength: 0, maxLength: 12 },
      ),
      fc.constantFrom(',', ',', ';', '\t', '\n', '\r\n'),
      fc.integer({ min: -4, max: 4 }),
    ),
    run: ([rows, sep, col]: [string[][], string, number], dir) => {
      writeFileSync(join(dir, 'd.csv'), rows.map((r) => r.join(sep === '\n' ? ',' : sep)).join(sep === '\r\n' ? '\r\n' : '\n'));
      loadCsv(join(dir, 'd.csv'), { labelColumn: col });
    },
  }),
  target({
    name: 'idx',
    input: mutatedBytes([idxBytes([3, 2, 2], [...Array(12).keys()]), idxBytes([3], [1, 0, 2])]),
    run: (b: Uint8Array, dir) => {
      writeFileSync(join(dir, 'f.idx'), b);
      readIdx(join(dir, 'f.idx'));
    },
  }),
  target({
    name: 'npy',
    input: mutatedBytes([
      npyBytes('<f4', [2, 3], [1, 2, 3, 4, 5, 6]),
      npyBytes('|u1', [4], [0, 1, 2, 3]),
      npyBytes('<i8', [3, 1], [2, 0, 1]),
      npyBytes('<f8', [1], [0.5]),
    ]),
    run: (b: Uint8Array) => void readNpyBytes(b, 'fuzz.npy'),
  }),
  target({
    name: 'image',
    input: fc.tuple(
      mutatedBytes(images()),
      fc.record({
        resize: fc.option(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant('3,4'))),
        crop: fc.option(fc.integer({ min: 1, max: 6 })),
        channels: fc.constantFrom('rgb', 'bgr', 'gray'),
        layout: fc.constantFrom('chw', 'hwc'),
      }),
    ),
    run: ([b, spec]: [Uint8Array, Record<string, unknown>]) => {
      const clean = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== null));
      preprocessImage(decodeImage(b, 'fuzz.png'), parsePreprocess(clean), 'fuzz.png');
    },
  }),
  target({
    name: 'preprocess-spec',
    input: fc.dictionary(
      fc.constantFrom('resize', 'crop', 'scale', 'mean', 'std', 'channels', 'layout', 'constructor', 'other'),
      fc.oneof(hostile, fc.constantFrom('1/0', '0/0', '3x', 'x3', '1,2,3')),
    ),
    run: (spec: Record<string, unknown>) => void parsePreprocess(spec),
  }),
  target({
    name: 'dataset-spec',
    input: fc.tuple(
      fc.oneof(
        fc.constantFrom('random:', 'random:0', 'random:3x', 'random:2x2:99999999999', 'random:1,1:0', 'a.npy,', 'x.npz', 'digitz', ''),
        hostileText.map((h) => `random:${h}`),
      ),
      fc.option(fc.constantFrom(...HOSTILE.filter((h) => typeof h === 'number'))),
    ),
    run: ([spec, limit]: [string, number | null]) => void loadDataset(spec, limit === null ? {} : { limit }),
  }),
];

/** Creates the scratch directory of a target's runs. */
export function scratch(root: string, target: string): string {
  const d = join(root, target);
  mkdirSync(d, { recursive: true });
  return d;
}
