import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { Dataset, DataSplit } from './types.js';
import { loadCsv } from './csv.js';
import { loadIdxDir } from './idx.js';
import { packageRoot } from './root.js';

export * from './types.js';
export { loadCsv, type CsvOptions } from './csv.js';
export { readIdx, loadIdxDir } from './idx.js';

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
  /** Keep at most this many samples of each split (the first ones). */
  limit?: number;
  /** CSV label column (negative from the end); default the last. */
  labelColumn?: number;
}

export function limitSplit(s: DataSplit, perSample: number, limit: number | undefined): DataSplit {
  if (limit === undefined || limit >= s.count) return s;
  return { x: s.x.slice(0, limit * perSample), y: s.y.slice(0, limit), count: limit };
}

export const DATASET_HELP = "'digits' (bundled), 'fashion-mnist', a directory of IDX files, or a CSV file with a label column";

/**
 * Loads a data set by name or path: 'digits'; 'fashion-mnist' (from
 * /usr/share/datasets/fashion-mnist); a directory holding IDX files (gzipped
 * or not); a CSV file. UserError for anything else.
 */
export function loadDataset(spec: string, opts: DatasetOptions = {}): Dataset {
  let ds: Dataset;
  if (spec === 'digits') ds = loadDigits();
  else if (spec === 'fashion-mnist') {
    if (!existsSync(FASHION_MNIST_DIR)) throw new UserError(`fashion-mnist not found in ${FASHION_MNIST_DIR} (install the Debian package dataset-fashion-mnist, or pass the directory holding the IDX files)`);
    return loadIdxDir(FASHION_MNIST_DIR, 'fashion-mnist', opts.limit);
  } else if (existsSync(spec) && statSync(spec).isDirectory()) return loadIdxDir(spec, spec, opts.limit);
  else if (existsSync(spec)) ds = loadCsv(spec, { labelColumn: opts.labelColumn });
  else throw new UserError(`unknown dataset '${spec}'; accepted: ${DATASET_HELP}`);
  const per = ds.inputShape.reduce((a, b) => a * b, 1);
  return { ...ds, train: limitSplit(ds.train, per, opts.limit), test: limitSplit(ds.test, per, opts.limit) };
}
