import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { checkTensorSize } from '../../limits.js';
import { decodeImage } from './image-decode.js';
import { preprocessImage } from './image-transform.js';
import type { Preprocess } from './preprocess.js';
import { readFileBytes } from './files.js';
import type { DataSplit, Dataset } from './types.js';
import { maxAbs } from './types.js';

const IMAGE = /\.(png|jpe?g)$/i;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function subdirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => !d.startsWith('.') && statSync(join(dir, d)).isDirectory())
    .sort(byName);
}

/** The images of one ImageFolder root: class folders sorted by name (torchvision's order), files sorted by name. */
function listImages(root: string, classes: readonly string[]): { file: string; label: number }[] {
  const out: { file: string; label: number }[] = [];
  classes.forEach((c, label) => {
    const dir = join(root, c);
    let names: string[] = [];
    try {
      names = readdirSync(dir)
        .filter((f) => IMAGE.test(f))
        .sort(byName);
    } catch {
      names = [];
    }
    for (const f of names) out.push({ file: join(dir, f), label });
  });
  return out;
}

function loadSplit(
  root: string,
  classes: readonly string[],
  pre: Preprocess,
  limit: number | undefined,
): { split: DataSplit; shape: number[] } {
  const items = listImages(root, classes).slice(0, limit);
  if (items.length === 0)
    throw new UserError(`image folder '${root}' has no .png/.jpg/.jpeg files in its class folders (${classes.join(', ') || 'none'})`);
  let shape: number[] | undefined;
  let x: Float64Array | undefined;
  const y = new Int32Array(items.length);
  items.forEach(({ file, label }, i) => {
    const img = preprocessImage(decodeImage(readFileBytes(file), `image '${file}'`), pre, `image '${file}'`);
    if (!shape) {
      shape = img.shape;
      checkTensorSize(`image folder '${root}' (${items.length} images of [${shape.join(',')}])`, items.length * img.values.length);
      x = new Float64Array(items.length * img.values.length);
    } else if (img.shape.join(',') !== shape.join(',')) {
      throw new UserError(
        `image '${file}' gives [${img.shape.join(',')}], the first image gives [${shape.join(',')}]; use --resize and --crop so every image has one size`,
      );
    }
    x!.set(img.values, i * img.values.length);
    y[i] = label;
  });
  return { split: { x: x!, y, count: items.length }, shape: shape! };
}

/**
 * A folder of images in torchvision's ImageFolder layout: one subfolder per
 * class, named by the class. With 'train' and 'val' (or 'test') subfolders,
 * each is such a folder and gives its split (classes from 'train'); otherwise
 * the one folder serves every split. `limit` keeps the first images.
 */
export function loadImageFolder(dir: string, pre: Preprocess, limit?: number): Dataset {
  const top = subdirs(dir);
  const testDir = top.includes('val') ? 'val' : top.includes('test') ? 'test' : undefined;
  const paired = top.includes('train') && testDir !== undefined;
  const classes = subdirs(paired ? join(dir, 'train') : dir);
  if (classes.length === 0) throw new UserError(`'${dir}' has no class folders (expected ImageFolder layout: ${dir}/<class>/<image>.png)`);
  if (paired) {
    const extra = subdirs(join(dir, testDir)).filter((c) => !classes.includes(c));
    if (extra.length > 0) throw new UserError(`'${join(dir, testDir)}' has classes not in '${join(dir, 'train')}': ${extra.join(', ')}`);
  }
  const train = loadSplit(paired ? join(dir, 'train') : dir, classes, pre, limit);
  const test = paired ? loadSplit(join(dir, testDir), classes, pre, limit) : train;
  if (test.shape.join(',') !== train.shape.join(','))
    throw new UserError(`'${dir}': train images give [${train.shape.join(',')}], ${testDir} images [${test.shape.join(',')}]`);
  return {
    name: dir,
    source: dir,
    inputShape: train.shape,
    numClasses: classes.length,
    classNames: classes,
    inputScale: maxAbs(train.split.x) || 1,
    train: train.split,
    test: test.split,
  };
}

/** True when `dir` looks like an ImageFolder (it or its train/ folder has class folders holding images). */
export function isImageFolder(dir: string): boolean {
  const top = subdirs(dir);
  const root = top.includes('train') ? join(dir, 'train') : dir;
  return subdirs(root).some((c) => readdirSync(join(root, c)).some((f) => IMAGE.test(f)));
}
