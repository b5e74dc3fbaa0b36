import { UserError } from '../../errors.js';
import type { DataSplit, Dataset } from './types.js';
import { maxAbs } from './types.js';
import { classLabels, noLabels } from './labels.js';
import { readNpy, readNpz, type NumpyArray } from './npy.js';

/**
 * A labelled (or unlabelled) split from NumPy arrays: inputs [N, ...sample
 * shape] and labels [N] or [N, 1] of class indices. UserError when the label
 * count differs from N or a label is not a class index.
 */
function splitOf(x: NumpyArray, y: NumpyArray | undefined, what: string): { split: DataSplit; classes: number } {
  if (x.shape.length < 2) throw new UserError(`${what}: inputs must be [samples, ...sample shape], got shape [${x.shape.join(',')}]`);
  const n = x.shape[0]!;
  if (n < 1 || x.shape.slice(1).some((d) => d < 1)) throw new UserError(`${what}: inputs of shape [${x.shape.join(',')}] hold no sample`);
  if (!y) return { split: { x: x.data, y: noLabels(n), count: n }, classes: 0 };
  const flat = y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1);
  if (!flat) throw new UserError(`${what}: labels must be [samples] or [samples, 1] class indices, got shape [${y.shape.join(',')}]`);
  if (y.shape[0] !== n) throw new UserError(`${what}: ${y.shape[0]} labels for ${n} input samples`);
  const { y: labels, numClasses } = classLabels(y.data, `${what} labels`);
  return { split: { x: x.data, y: labels, count: n }, classes: numClasses };
}

function dataset(
  name: string,
  train: { split: DataSplit; classes: number },
  test: { split: DataSplit; classes: number },
  shape: readonly number[],
  labelled: boolean,
): Dataset {
  const k = Math.max(train.classes, test.classes);
  return {
    name,
    source: name,
    inputShape: shape,
    numClasses: k,
    classNames: Array.from({ length: k }, (_, i) => String(i)),
    inputScale: maxAbs(train.split.x) || 1,
    train: train.split,
    test: test.split,
    ...(labelled ? {} : { labelled: false }),
  };
}

/** Keys of an .npz archive: Keras' x_train/y_train/x_test/y_test, or x (and y) for one set serving every split. */
function npzDataset(path: string): Dataset {
  const a = readNpz(path);
  const get = (k: string) => a.get(k);
  if (get('x_train') && get('x_test')) {
    const train = splitOf(get('x_train')!, get('y_train'), `'${path}' x_train`);
    const test = splitOf(get('x_test')!, get('y_test'), `'${path}' x_test`);
    const shape = get('x_train')!.shape.slice(1);
    if (shape.join(',') !== get('x_test')!.shape.slice(1).join(','))
      throw new UserError(
        `'${path}': x_train samples [${shape.join(',')}] and x_test samples [${get('x_test')!.shape.slice(1).join(',')}] differ`,
      );
    if (!!get('y_train') !== !!get('y_test')) throw new UserError(`'${path}': give labels for both splits (y_train and y_test) or neither`);
    return dataset(path, train, test, shape, !!get('y_train'));
  }
  const x = get('x');
  if (!x)
    throw new UserError(
      `'${path}' holds arrays [${[...a.keys()].join(', ')}]; expected x_train, y_train, x_test, y_test (Keras) or x and optionally y`,
    );
  const one = splitOf(x, get('y'), `'${path}'`);
  return dataset(path, one, one, x.shape.slice(1), !!get('y'));
}

/**
 * NumPy data: 'data.npz' (see npzDataset), 'inputs.npy' (unlabelled), or
 * 'inputs.npy,labels.npy'. A single set is every split at once (train and
 * test are the same samples; 'all' does not repeat them).
 */
export function loadNumpyDataset(spec: string): Dataset {
  if (spec.endsWith('.npz')) return npzDataset(spec);
  const [xp, yp, extra] = spec.split(',');
  if (extra !== undefined || !xp!.endsWith('.npy') || (yp !== undefined && !yp.endsWith('.npy'))) {
    throw new UserError(`NumPy data set '${spec}': expected 'inputs.npy', 'inputs.npy,labels.npy' or 'data.npz'`);
  }
  const x = readNpy(xp!);
  const one = splitOf(x, yp !== undefined ? readNpy(yp) : undefined, `'${spec}'`);
  return dataset(spec, one, one, x.shape.slice(1), yp !== undefined);
}
