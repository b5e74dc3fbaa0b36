import { UserError } from '../../errors.js';
import type { DataSplit, Dataset } from './types.js';
import { maxAbs } from './types.js';
import { readMaybeGzip } from './files.js';
import { classLabels, MAX_CLASSES } from './labels.js';

export interface CsvOptions {
  /** Label column index; negative counts from the end. Default -1 (last). */
  labelColumn?: number;
  /** Training samples: the first `trainCount` rows train, the rest test. Default floor(0.8 * rows). */
  trainCount?: number;
  /** Per-sample shape; default [features]. */
  inputShape?: readonly number[];
  name?: string;
}

interface Parsed {
  rows: number[][];
  labels: string[];
  header: boolean;
}

function parse(text: string, path: string, labelColumn: number): Parsed {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new UserError(`CSV '${path}' is empty`);
  const cells = (l: string) => l.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const width = cells(lines[0]!).length;
  const col = labelColumn < 0 ? width + labelColumn : labelColumn;
  if (width < 2 || col < 0 || col >= width)
    throw new UserError(`CSV '${path}': label column ${labelColumn} out of range for ${width} columns`);
  const isNum = (c: string) => c !== '' && Number.isFinite(Number(c));
  const header = cells(lines[0]!).some((c, i) => i !== col && !isNum(c));
  const rows: number[][] = [];
  const labels: string[] = [];
  lines.slice(header ? 1 : 0).forEach((l, k) => {
    const c = cells(l);
    const line = k + (header ? 2 : 1);
    if (c.length !== width) throw new UserError(`CSV '${path}' line ${line}: ${c.length} columns, expected ${width}`);
    const feats = c.filter((_, i) => i !== col);
    const bad = feats.find((v) => !isNum(v));
    if (bad !== undefined) throw new UserError(`CSV '${path}' line ${line}: '${bad}' is not a number`);
    rows.push(feats.map(Number));
    labels.push(c[col]!);
  });
  if (rows.length < 2) throw new UserError(`CSV '${path}' needs at least 2 samples`);
  return { rows, labels, header };
}

/** Labels that are all non-negative integers are class indices (labels.ts); otherwise sorted distinct strings are numbered. */
function encodeLabels(labels: string[], path: string): { y: Int32Array; names: string[] } {
  if (labels.every((l) => /^[0-9]+$/.test(l))) {
    const { y, numClasses } = classLabels(labels.map(Number), `CSV '${path}'`);
    return { y, names: Array.from({ length: numClasses }, (_, i) => String(i)) };
  }
  const names = [...new Set(labels)].sort();
  if (names.length > MAX_CLASSES)
    throw new UserError(`CSV '${path}': ${names.length} distinct labels, more than the ${MAX_CLASSES} classes accepted`);
  const index = new Map(names.map((n, i) => [n, i]));
  return { y: Int32Array.from(labels, (l) => index.get(l)!), names };
}

function split(rows: number[][], y: Int32Array, from: number, to: number): DataSplit {
  const f = rows[0]!.length;
  const x = new Float64Array((to - from) * f);
  for (let i = from; i < to; i++) x.set(rows[i]!, (i - from) * f);
  return { x, y: y.slice(from, to), count: to - from };
}

/**
 * A CSV file (optionally gzipped) of numeric features and a label column;
 * comma, semicolon or tab separated; a header line is detected when a feature
 * cell is not a number.
 */
export function loadCsv(path: string, opts: CsvOptions = {}): Dataset {
  const { rows, labels } = parse(readMaybeGzip(path).toString('utf8'), path, opts.labelColumn ?? -1);
  const { y, names } = encodeLabels(labels, path);
  const n = rows.length;
  const trainCount = opts.trainCount ?? Math.floor(0.8 * n);
  if (!(trainCount >= 1 && trainCount < n)) throw new UserError(`CSV '${path}': cannot split ${n} rows with ${trainCount} for training`);
  const features = rows[0]!.length;
  const inputShape = opts.inputShape ?? [features];
  if (inputShape.reduce((a, b) => a * b, 1) !== features)
    throw new Error(`internal: input shape [${inputShape}] does not hold ${features} features`);
  const train = split(rows, y, 0, trainCount);
  return {
    name: opts.name ?? path,
    source: path,
    inputShape,
    numClasses: names.length,
    classNames: names,
    inputScale: maxAbs(train.x) || 1,
    train,
    test: split(rows, y, trainCount, n),
  };
}
