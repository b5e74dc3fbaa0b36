import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { Dataset, DataSplit } from './types.js';
import { loadCsv } from './csv.js';
import { loadIdxDir } from './idx.js';
import { packageRoot } from './root.js';
import { loadNumpyDataset } from './arrays.js';
import { isImageFolder, loadImageFolder } from './image-folder.js';
import { parsePreprocess, type Preprocess } from './preprocess.js';
import { loadRandomDataset, RANDOM_HELP } from './random.js';

export * from './types.js';
export { loadCsv, type CsvOptions } from './csv.js';
export { readIdx, loadIdxDir } from './idx.js';
export { readNpy, readNpyBytes, readNpz, type NumpyArray } from './npy.js';
export { loadNumpyDataset } from './arrays.js';
export { loadImageFolder } from './image-folder.js';
export { decodeImage } from './image-decode.js';
export { preprocessImage } from './image-transform.js';
export { parsePreprocess, readPreprocessFile, PREPROCESS_KEYS, type Preprocess, type PreprocessInput } from './preprocess.js';
export { loadRandomDataset, RANDOM_HELP } from './random.js';
export { MAX_CLASSES } from './labels.js';

/** Where the Debian package dataset-fashion-mnist installs the IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The bundled digits set (data/digits, 1,797 8x8 images, values 0..16):
 * the first 1,437 lines train, the last 360 test, in file order (its README).
 */
export function loadDigits(): Dataset {
  const path = join(packageRoot(), 'data', 'digits', 'digits.csv.gz');
  return loadCsv(path, { name: 'digits', trainCount: 1437, inputShape: [1, 8, 8] });
}

export interface DatasetOptions {
  /** Keep at most this many samples of each split (the first ones); a positive integer. */
  limit?: number;
  /** CSV label column (negative from the end); default the last. */
  labelColumn?: number;
  /** Image folders: how images become inputs (preprocess.ts); default rgb, 1/255, chw. */
  preprocess?: Preprocess;
}

export function limitSplit(s: DataSplit, perSample: number, limit: number | undefined): DataSplit {
  if (limit === undefined || limit >= s.count) return s;
  return { x: s.x.slice(0, limit * perSample), y: s.y.slice(0, limit), count: limit };
}

export const DATASET_HELP = `'digits' (bundled), 'fashion-mnist', a directory of IDX files, an image folder (one subfolder per class), a CSV file with a label column, NumPy 'x.npy[,y.npy]' or 'data.npz', or ${RANDOM_HELP}`;

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1))
    throw new UserError(`data set limit must be a positive integer, got ${limit}`);
}

function loadDirectory(dir: string, opts: DatasetOptions): Dataset {
  if (isImageFolder(dir)) return loadImageFolder(dir, opts.preprocess ?? parsePreprocess(), opts.limit);
  return loadIdxDir(dir, dir, opts.limit);
}

function loadFile(spec: string, opts: DatasetOptions): Dataset {
  if (/\.np[yz]$/.test(spec) || /\.npy,/.test(spec)) return loadNumpyDataset(spec);
  if (!existsSync(spec)) throw new UserError(`unknown dataset '${spec}'; accepted: ${DATASET_HELP}`);
  return loadCsv(spec, { labelColumn: opts.labelColumn });
}

/**
 * Loads a data set by name or path: 'digits'; 'fashion-mnist' (from
 * /usr/share/datasets/fashion-mnist); 'random:<shape>[:seed]'; a directory
 * holding IDX files (gzipped or not) or images in ImageFolder layout; NumPy
 * arrays; a CSV file. UserError for anything else, and for a set with no
 * sample or a non-positive or fractional limit.
 */
export function loadDataset(spec: string, opts: DatasetOptions = {}): Dataset {
  checkLimit(opts.limit);
  let ds: Dataset;
  if (spec === 'digits') ds = loadDigits();
  else if (spec.startsWith('random:')) return loadRandomDataset(spec, opts.limit);
  else if (spec === 'fashion-mnist') {
    if (!existsSync(FASHION_MNIST_DIR))
      throw new UserError(
        `fashion-mnist not found in ${FASHION_MNIST_DIR} (install the Debian package dataset-fashion-mnist, or pass the directory holding the IDX files)`,
      );
    ds = loadIdxDir(FASHION_MNIST_DIR, 'fashion-mnist', opts.limit);
  } else if (existsSync(spec) && statSync(spec).isDirectory()) ds = loadDirectory(spec, opts);
  else ds = loadFile(spec, opts);
  if (ds.train.count < 1 || ds.test.count < 1)
    throw new UserError(`data set '${spec}' has an empty split (${ds.train.count} train, ${ds.test.count} test samples)`);
  if (ds.labelled !== false && ds.numClasses < 1) throw new UserError(`data set '${spec}' has no classes`);
  const per = ds.inputShape.reduce((a, b) => a * b, 1);
  const train = limitSplit(ds.train, per, opts.limit);
  return { ...ds, train, test: ds.test === ds.train ? train : limitSplit(ds.test, per, opts.limit) };
}
