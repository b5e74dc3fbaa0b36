import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { Graph } from './graph.js';
import { graphInput, shapeOf } from './graph.js';
import { runFloat, type Precision } from './infer.js';
import { loadOnnx } from './onnx/import.js';
import { exportOnnx } from './onnx/export.js';
import { loadTfjsModel } from './formats/tfjs.js';
import { graphFromJson, graphToJson, NATIVE_FORMAT } from './formats/native.js';

/** Options a model loader may read (float loaders ignore them; other formats define their own keys, e.g. requant). */
export type ModelLoadOptions = Readonly<Record<string, unknown>>;

export interface ModelRunResult {
  /** batch x size(outputShape) real values, row-major. */
  outputs: Float64Array;
  /** Further per-sample results a format provides (e.g. integer output codes), each batch x size(outputShape). */
  extra?: Record<string, Float64Array>;
}

/** A model ready to run, whatever file it came from. */
export interface LoadedModel {
  /** 'onnx', 'tfjs-layers', 'helu-sim-graph', or the integer model format (sim/importers/load.ts, loadAnyModel). */
  readonly format: string;
  readonly path: string;
  /** Per-sample input shape (the data set's values, raw). */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The float graph, for float models. */
  readonly graph?: Graph;
  run(input: Float64Array, batch: number): ModelRunResult;
}

/** A model file format: `detect` sees the path and the file's first 4 KiB (empty for a directory). */
export interface ModelFormat {
  readonly name: string;
  detect(path: string, head: Uint8Array): boolean;
  load(path: string, opts: ModelLoadOptions): LoadedModel | Promise<LoadedModel>;
}

/** A float graph as a LoadedModel (float64 engine unless opts.precision is 'float32'). */
export function floatModel(format: string, path: string, g: Graph, opts: ModelLoadOptions = {}): LoadedModel {
  const precision: Precision = opts['precision'] === 'float32' ? 'float32' : 'float64';
  return {
    format,
    path,
    graph: g,
    inputShape: graphInput(g).shape,
    outputShape: shapeOf(g, g.outputs[0]!),
    run: (x, batch) => ({ outputs: Float64Array.from(runFloat(g, x, batch, { precision }).output) }),
  };
}

const text = (head: Uint8Array): string => new TextDecoder().decode(head);

const FORMATS: readonly ModelFormat[] = [
  { name: 'onnx', detect: (p) => extname(p).toLowerCase() === '.onnx', load: (p, o) => floatModel('onnx', p, loadOnnx(p), o) },
  {
    name: NATIVE_FORMAT,
    detect: (_p, h) => text(h).includes(`"${NATIVE_FORMAT}"`),
    load: (p, o) => floatModel(NATIVE_FORMAT, p, graphFromJson(readFileSync(p, 'utf8'), p), o),
  },
  {
    name: 'tfjs-layers',
    detect: (p, h) => extname(p).toLowerCase() === '.json' && /"modelTopology"|"layers-model"/.test(text(h)),
    load: (p, o) => floatModel('tfjs-layers', p, loadTfjsModel(p), o),
  },
];

export const MODEL_FORMATS_HELP =
  'an ONNX file (.onnx), a TensorFlow.js layers model (model.json, or its directory), or a helu-sim graph (.json)';

function head(path: string): Uint8Array {
  if (statSync(path).isDirectory()) return new Uint8Array();
  const fd = openSync(path, 'r');
  try {
    const b = new Uint8Array(4096);
    return b.subarray(0, readSync(fd, b, 0, 4096, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a float model file, choosing the format by content and
 * extension (a directory means its model.json). UserError naming the accepted
 * formats otherwise.
 */
export async function loadModel(path: string, opts: ModelLoadOptions = {}): Promise<LoadedModel> {
  if (!existsSync(path)) throw new UserError(`model '${path}' not found`);
  const file = statSync(path).isDirectory() && existsSync(join(path, 'model.json')) ? join(path, 'model.json') : path;
  const h = head(file);
  const f = FORMATS.find((x) => x.detect(file, h));
  if (!f) throw new UserError(`cannot read model '${path}': not ${MODEL_FORMATS_HELP}`);
  return f.load(file, opts);
}

/** Loads a float model's graph (ONNX, TensorFlow.js layers, native JSON); UserError for other formats. */
export async function loadGraph(path: string): Promise<Graph> {
  const m = await loadModel(path);
  if (!m.graph) throw new UserError(`model '${path}' (${m.format}) is not a float model`);
  return m.graph;
}

/** Writes a graph atomically: ONNX for .onnx, the native JSON graph for .json. UserError for other extensions. */
export function saveGraph(g: Graph, path: string): void {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') writeFileAtomic(path, exportOnnx(g));
  else if (ext === '.json') writeFileAtomic(path, graphToJson(g));
  else throw new UserError(`cannot write model '${path}': use a .onnx (ONNX) or .json (helu-sim graph) file name`);
}
