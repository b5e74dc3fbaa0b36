import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { DataSplit, Dataset } from './types.js';
import { readMaybeGzip } from './files.js';

/**
 * An IDX file (the MNIST format): magic 0x00 0x00, type 0x08 (unsigned byte),
 * rank; then rank big-endian uint32 dimensions; then the data, row-major.
 */
export function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const b = readMaybeGzip(path);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) throw new UserError(`'${path}' is not an IDX file (bad magic number)`);
  if (b[2] !== 0x08) throw new UserError(`'${path}': IDX data type 0x${b[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const rank = b[3]!;
  const start = 4 + 4 * rank;
  if (b.length < start)
    throw new UserError(`'${path}': IDX header declares ${rank} dimensions but the file ends after ${b.length} bytes (needs ${start})`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(b.readUInt32BE(4 + 4 * i));
  const n = dims.reduce((p, d) => p * d, 1);
  if (b.length !== start + n) throw new UserError(`'${path}': ${b.length - start} data bytes, dimensions [${dims}] need ${n}`);
  return { dims, data: new Uint8Array(b.buffer, b.byteOffset + start, n) };
}

const PATTERN = /^(train|t10k|test)[-_.](images|labels)[-_.]idx([13])[-_.]ubyte(\.gz)?$/;

function findFiles(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const m = PATTERN.exec(f);
    if (!m) continue;
    const key = `${m[1] === 'train' ? 'train' : 'test'}-${m[2]}`;
    if (!found[key] || !f.endsWith('.gz')) found[key] = join(dir, f);
  }
  for (const k of ['train-images', 'train-labels', 'test-images', 'test-labels']) {
    if (!found[k])
      throw new UserError(
        `directory '${dir}' has no ${k} IDX file (expected names like train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])`,
      );
  }
  return found;
}

function loadSplit(images: string, labels: string, limit: number | undefined): { split: DataSplit; shape: number[] } {
  const im = readIdx(images);
  const lb = readIdx(labels);
  if (im.dims.length !== 3 || lb.dims.length !== 1 || im.dims[0] !== lb.dims[0]) {
    throw new UserError(`IDX files '${images}' [${im.dims}] and '${labels}' [${lb.dims}] do not match (expected [n,rows,cols] and [n])`);
  }
  const count = Math.min(im.dims[0]!, limit ?? Infinity);
  const per = im.dims[1]! * im.dims[2]!;
  return {
    split: { x: im.data.slice(0, count * per), y: Int32Array.from(lb.data.subarray(0, count)), count },
    shape: [1, im.dims[1]!, im.dims[2]!],
  };
}

/** An IDX directory: train-* files train, t10k-* (or test-*) files test; images [1, rows, cols], raw bytes. */
export function loadIdxDir(dir: string, name: string, limit?: number): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`'${dir}' is not a directory`);
  const f = findFiles(dir);
  const train = loadSplit(f['train-images']!, f['train-labels']!, limit);
  const test = loadSplit(f['test-images']!, f['test-labels']!, limit);
  let k = 0;
  for (const s of [train.split, test.split]) for (const v of s.y) k = Math.max(k, v + 1);
  return {
    name,
    source: dir,
    inputShape: train.shape,
    numClasses: k,
    classNames: Array.from({ length: k }, (_, i) => String(i)),
    inputScale: 255,
    train: train.split,
    test: test.split,
  };
}
