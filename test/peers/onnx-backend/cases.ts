/**
 * The ONNX project's own backend node tests as a peer: each case is a one-node model
 * (`model.onnx`) with inputs and the outputs ONNX's reference implementation computed
 * (`test_data_set_N/input_K.pb`, `output_K.pb`, serialized TensorProtos).
 *
 * The data is generated once per machine by Debian's python3-onnx (generate.py beside this
 * file) into a cache folder; `ensureBackendData` runs in the vitest global setup, so test
 * files only read. The TensorProto decoding here is written for the tests, independent of
 * helu-sim's own ONNX reader, so a reader bug cannot hide on both sides of a comparison.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { onnx as O } from 'onnx-proto';

const onnx = onnxProto.onnx;
const root = join(import.meta.dirname, '..', '..', '..');
const PYTHON = '/usr/bin/python3';

/** Where the generated data lives: one folder per installed ONNX version. */
export function backendDataDir(): string {
  const v = spawnSync(PYTHON, ['-c', 'import onnx; print(onnx.__version__)'], { encoding: 'utf8' });
  if (v.status !== 0) throw new Error('python3-onnx is required for the ONNX backend tests (apt-get install python3-onnx python3-numpy)');
  return join(root, 'node_modules', '.cache', 'helu-sim', `onnx-backend-${v.stdout.trim()}`);
}

/** Generates the backend test data unless it is there already (written to a temporary folder, then renamed). */
export function ensureBackendData(): string {
  const dir = backendDataDir();
  if (existsSync(join(dir, 'node'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const r = spawnSync(PYTHON, [join(import.meta.dirname, 'generate.py'), tmp], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generating the ONNX backend test data failed:\n${r.stderr}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** A decoded tensor: exact for every integer type up to 2^53, float16/float32 widened exactly. */
export interface PbTensor {
  readonly name: string;
  readonly dims: number[];
  /** ONNX TensorProto.DataType code. */
  readonly dataType: number;
  readonly values: Float64Array;
}

export interface BackendCase {
  /** The case's folder name, e.g. `test_qlinearmatmul_2D`. */
  readonly name: string;
  readonly modelPath: string;
  /** The decoded model (read on first use). */
  readonly model: O.ModelProto;
  /** The data sets, decoded on first use (a case with a type the reader does not decode throws then). */
  readonly sets: { inputs: PbTensor[]; outputs: PbTensor[] }[];
}

function int(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0) return sign * man * 2 ** -24;
  if (exp === 31) return man ? NaN : sign * Infinity;
  return sign * (1024 + man) * 2 ** (exp - 25);
}

/** Element readers of raw little-endian data by TensorProto.DataType: [bytes, read]. */
const RAW: ReadonlyMap<number, [number, (d: DataView, o: number) => number]> = new Map([
  [1, [4, (d, o) => d.getFloat32(o, true)]],
  [2, [1, (d, o) => d.getUint8(o)]],
  [3, [1, (d, o) => d.getInt8(o)]],
  [4, [2, (d, o) => d.getUint16(o, true)]],
  [5, [2, (d, o) => d.getInt16(o, true)]],
  [6, [4, (d, o) => d.getInt32(o, true)]],
  [7, [8, (d, o) => Number(d.getBigInt64(o, true))]],
  [9, [1, (d, o) => d.getUint8(o)]],
  [10, [2, (d, o) => half(d.getUint16(o, true))]],
  [11, [8, (d, o) => d.getFloat64(o, true)]],
  [12, [4, (d, o) => d.getUint32(o, true)]],
  [13, [8, (d, o) => Number(d.getBigUint64(o, true))]],
]);

/** Decodes a TensorProto's values (raw_data or the typed repeated fields). */
export function decodeTensor(t: O.ITensorProto): PbTensor {
  const dims = (t.dims ?? []).map(int);
  const dataType = t.dataType ?? 0;
  const count = dims.reduce((a, b) => a * b, 1);
  let values: Float64Array;
  if (t.rawData && t.rawData.length > 0) {
    const reader = RAW.get(dataType);
    if (!reader) throw new Error(`tensor '${t.name}': raw data type ${dataType} not decoded by the test reader`);
    const [bytes, read] = reader;
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    values = new Float64Array(t.rawData.length / bytes);
    for (let i = 0; i < values.length; i++) values[i] = read(view, i * bytes);
  } else if (dataType === 1) values = Float64Array.from(t.floatData ?? []);
  else if (dataType === 11) values = Float64Array.from(t.doubleData ?? []);
  else if (dataType === 7) values = Float64Array.from((t.int64Data ?? []).map(int));
  else if (dataType === 13 || dataType === 12) values = Float64Array.from((t.uint64Data ?? []).map(int));
  else if (dataType === 10) values = Float64Array.from((t.int32Data ?? []).map(half));
  else values = Float64Array.from(t.int32Data ?? []);
  if (values.length !== count) throw new Error(`tensor '${t.name}': ${values.length} values for dims [${dims.join(',')}]`);
  return { name: t.name ?? '', dims, dataType, values };
}

function readPb(path: string): PbTensor {
  return decodeTensor(onnx.TensorProto.decode(readFileSync(path)));
}

function readSet(dir: string): { inputs: PbTensor[]; outputs: PbTensor[] } {
  const files = readdirSync(dir);
  const numbered = (prefix: string): PbTensor[] =>
    files
      .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
      .map((f) => ({ f, k: Number(f.slice(prefix.length, -3)) }))
      .sort((a, b) => a.k - b.k)
      .map(({ f }) => readPb(join(dir, f)));
  return { inputs: numbered('input_'), outputs: numbered('output_') };
}

/** Every node test case whose name passes `filter` (all by default), sorted by name. */
export function backendNodeCases(filter: (name: string) => boolean = () => true): BackendCase[] {
  const nodeDir = join(backendDataDir(), 'node');
  if (!existsSync(nodeDir)) throw new Error(`no ONNX backend test data in ${nodeDir}: the vitest global setup generates it`);
  return readdirSync(nodeDir)
    .filter(filter)
    .sort()
    .map((name) => {
      const dir = join(nodeDir, name);
      const modelPath = join(dir, 'model.onnx');
      let model: O.ModelProto | undefined;
      let sets: { inputs: PbTensor[]; outputs: PbTensor[] }[] | undefined;
      return {
        name,
        modelPath,
        get model() {
          return (model ??= onnx.ModelProto.decode(readFileSync(modelPath)));
        },
        get sets() {
          return (sets ??= readdirSync(dir)
            .filter((d) => d.startsWith('test_data_set_'))
            .sort()
            .map((d) => readSet(join(dir, d))));
        },
      };
    });
}

/** A raw little-endian TensorProto for `t` (float32, double, int8, uint8, int32 and int64 data). */
function encodeTensor(t: PbTensor): O.ITensorProto {
  const reader = RAW.get(t.dataType);
  if (!reader || t.dataType === 10) throw new Error(`tensor '${t.name}': data type ${t.dataType} not encoded by the test writer`);
  const bytes = reader[0];
  const raw = new Uint8Array(bytes * t.values.length);
  const d = new DataView(raw.buffer);
  t.values.forEach((v, i) => {
    const o = i * bytes;
    switch (t.dataType) {
      case 1:
        d.setFloat32(o, v, true);
        break;
      case 11:
        d.setFloat64(o, v, true);
        break;
      case 2:
      case 9:
        d.setUint8(o, v);
        break;
      case 3:
        d.setInt8(o, v);
        break;
      case 4:
        d.setUint16(o, v, true);
        break;
      case 5:
        d.setInt16(o, v, true);
        break;
      case 6:
        d.setInt32(o, v, true);
        break;
      case 12:
        d.setUint32(o, v, true);
        break;
      case 7:
        d.setBigInt64(o, BigInt(v), true);
        break;
      case 13:
        d.setBigUint64(o, BigInt(v), true);
        break;
    }
  });
  return { name: t.name, dims: t.dims, dataType: t.dataType, rawData: raw };
}

/**
 * The case's model with the graph inputs at `indices` turned into initializers holding
 * `set`'s values for them: the model a user would have, with weights inside the file.
 * Returns the serialized model.
 */
export function inputsAsInitializers(c: BackendCase, set: { inputs: PbTensor[] }, indices: readonly number[]): Uint8Array {
  const model = onnx.ModelProto.decode(onnx.ModelProto.encode(c.model).finish());
  const graph = model.graph!;
  const graphInputs = graph.input ?? [];
  const inits = indices.map((k) => {
    const name = graphInputs[k]?.name;
    const value = set.inputs[k];
    if (name === undefined || value === undefined) throw new Error(`${c.name}: no graph input ${k}`);
    return encodeTensor({ ...value, name });
  });
  const moved = new Set(indices.map((k) => graphInputs[k]!.name));
  graph.input = graphInputs.filter((i) => !moved.has(i.name));
  graph.initializer = [...(graph.initializer ?? []), ...inits.map((t) => onnx.TensorProto.create(t))];
  return onnx.ModelProto.encode(model).finish();
}

/** numpy.testing.assert_allclose's rule: |actual - expected| <= atol + rtol * |expected| (NaN equals NaN). */
export function allClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-3,
  atol = 1e-7,
): { ok: boolean; worst: number; index: number } {
  if (actual.length !== expected.length) return { ok: false, worst: Infinity, index: -1 };
  let worst = 0;
  let index = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (index < 0 || excess > worst || Number.isNaN(excess))) {
      worst = excess;
      index = i;
    }
  }
  return { ok: index < 0, worst, index };
}
