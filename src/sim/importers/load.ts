import { existsSync, readFileSync, statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { UserError } from '../../errors.js';
import { loadModel, type LoadedModel, type ModelLoadOptions } from '../../models/load.js';
import { onnx, type OnnxTypes } from '../../models/onnx/proto.js';
import { loadIntModel } from '../quantize/io.js';
import { INT_MODEL_FORMAT, type IntModel } from '../quantize/model.js';
import { integerModel } from '../model-format.js';
import { importQuantizedOnnx } from './quantized-onnx/import.js';
import { QUANT_OPS } from './quantized-onnx/read.js';
import { importQonnx } from './qonnx/import.js';
import { isQonnxNode } from './qonnx/read.js';

/*
 * The one place that decides what a model file is, by its content (not its
 * name): a helu-sim integer model (JSON), a quantized ONNX file in QDQ or
 * QOperator form, a QONNX file (Brevitas/FINN Quant, BipolarQuant, Trunc), a
 * float ONNX file, or something else. Every command that needs an integer
 * model loads it through loadIntegerModel; `run` and `eval` through
 * loadAnyModel, which also takes float models.
 */

export type ModelFileKind = 'integer-model' | 'qdq' | 'qoperator' | 'qonnx' | 'float-onnx' | 'other';

/** Operators only QOperator files hold (a QDQ file has QuantizeLinear/DequantizeLinear around float ops). */
const QOPERATOR_OPS = new Set([...QUANT_OPS].filter((op) => op !== 'QuantizeLinear' && op !== 'DequantizeLinear'));

function decodeOnnx(bytes: Uint8Array): OnnxTypes.ModelProto | undefined {
  try {
    const m = onnx.ModelProto.decode(bytes);
    return m.graph ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The kind of an ONNX model from its nodes. */
export function onnxKind(model: OnnxTypes.IModelProto): Exclude<ModelFileKind, 'integer-model' | 'other'> {
  const nodes = model.graph?.node ?? [];
  if (nodes.some((n) => isQonnxNode(n.opType ?? '', n.domain ?? ''))) return 'qonnx';
  if (nodes.some((n) => QOPERATOR_OPS.has(n.opType ?? ''))) return 'qoperator';
  if (nodes.some((n) => QUANT_OPS.has(n.opType ?? ''))) return 'qdq';
  return 'float-onnx';
}

/** What a file's bytes hold. */
export function modelKindOf(bytes: Uint8Array): ModelFileKind {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (/^\s*\{/.test(head)) return head.includes(`"${INT_MODEL_FORMAT}"`) ? 'integer-model' : 'other';
  const m = decodeOnnx(bytes);
  return m ? onnxKind(m) : 'other';
}

function readModelFile(path: string, what = 'model'): Uint8Array {
  try {
    if (statSync(path).isDirectory()) return new Uint8Array();
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The kind of the model file at `path`. */
export function modelFileKind(path: string): ModelFileKind {
  return modelKindOf(readModelFile(path));
}

/** An imported quantized file as an integer model. */
function importBytes(bytes: Uint8Array, kind: ModelFileKind, path: string): IntModel {
  return kind === 'qonnx' ? importQonnx(bytes, path) : importQuantizedOnnx(bytes, path);
}

export const INTEGER_MODEL_HELP = 'an integer model (written by quantize), a quantized ONNX file (QDQ or QOperator) or a QONNX file';

/**
 * Loads any integer model: a helu-sim integer model file, or a quantized
 * ONNX / QONNX file imported on the fly. UserError for float models (naming
 * `quantize`) and for anything else.
 */
export function loadIntegerModel(path: string): IntModel {
  const bytes = readModelFile(path, 'integer model');
  const kind = modelKindOf(bytes);
  // any JSON document is read as an integer model file, whose reader names what is wrong with it
  if (kind === 'integer-model' || /^\s*\{/.test(new TextDecoder().decode(bytes.subarray(0, 64)))) return loadIntModel(path);
  switch (kind) {
    case 'qdq':
    case 'qoperator':
    case 'qonnx':
      return importBytes(bytes, kind, path);
    case 'float-onnx':
      throw new UserError(`'${path}' is a float ONNX model; run 'helu-sim quantize' on it first, or give ${INTEGER_MODEL_HELP}`);
    default:
      throw new UserError(`cannot read model '${path}': not ${INTEGER_MODEL_HELP}`);
  }
}

/** True for quantized ONNX and QONNX files (which `quantize` does not take: they are quantized already). */
export function isQuantizedModelFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const kind = modelFileKind(path);
  return kind === 'qdq' || kind === 'qoperator' || kind === 'qonnx';
}

/** Files whose PyTorch note was printed (a command may load a model more than once). */
const noted = new Set<string>();

/** run/eval on a torch.onnx export without --requant: one note on stderr (main thread, once per file) naming the default scheme. */
function notePytorch(m: IntModel, path: string, opts: ModelLoadOptions): void {
  if (m.scheme !== 'affine' || m.requant !== 'pytorch' || opts['requant'] !== undefined || !isMainThread || noted.has(path)) return;
  noted.add(path);
  process.stderr.write(
    `helu-sim: note: '${path}' is a PyTorch export: codes as PyTorch's own kernels compute them (--requant pytorch; --requant onnxruntime for onnxruntime's)\n`,
  );
}

/**
 * Loads any model file `run` and `eval` take: an integer model or a quantized
 * ONNX / QONNX file runs on the integer engine (integerModel; opts.requant
 * picks an affine model's scheme, opts.accumulation its accumulation),
 * anything else is read as a float model (models/load.ts).
 */
export async function loadAnyModel(path: string, opts: ModelLoadOptions = {}): Promise<LoadedModel> {
  if (existsSync(path) && !statSync(path).isDirectory()) {
    const kind = modelFileKind(path);
    if (kind === 'integer-model' || kind === 'qdq' || kind === 'qoperator' || kind === 'qonnx') {
      const m = loadIntegerModel(path);
      notePytorch(m, path, opts);
      return integerModel(m, path, opts);
    }
  }
  return loadModel(path, opts);
}
