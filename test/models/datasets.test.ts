// Data set loaders: the bundled digits (counts and split from its README, read
// independently here), IDX files written here (gzipped or not), CSV, errors.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, loadDataset, readIdx, splitOf } from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('digits', () => {
  const ds = loadDataset('digits');
  const lines = gunzipSync(readFileSync(new URL('../../data/digits/digits.csv.gz', import.meta.url)))
    .toString()
    .trim()
    .split('\n');

  it('has 1,797 samples split 1,437 train / 360 test in file order, [1,8,8], 10 classes', () => {
    expect(lines).toHaveLength(1797);
    expect([ds.train.count, ds.test.count]).toEqual([1437, 360]);
    expect(ds.inputShape).toEqual([1, 8, 8]);
    expect(ds.numClasses).toBe(10);
    expect(ds.inputScale).toBe(16);
    const row = (i: number) => lines[i]!.split(',').map(Number);
    expect([...ds.train.x.subarray(0, 64)]).toEqual(row(0).slice(0, 64));
    expect(ds.train.y[0]).toBe(row(0)[64]);
    expect([...ds.test.x.subarray(359 * 64)]).toEqual(row(1796).slice(0, 64));
    expect(ds.test.y[359]).toBe(row(1796)[64]);
    expect(splitOf(ds, 'all').count).toBe(1797);
  });
});

function idx(dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(0x08, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

describe('IDX directories', () => {
  const images = (n: number) => Array.from({ length: n * 6 }, (_, i) => (i * 37) % 256);
  it('reads train/t10k images and labels, gzipped or not', () => {
    const d = join(dir, 'idx');
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), gzipSync(idx([5, 2, 3], images(5))));
    writeFileSync(join(d, 'train-labels-idx1-ubyte'), idx([5], [0, 1, 2, 1, 0]));
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), idx([2, 2, 3], images(2)));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx([2], [2, 0])));
    const ds = loadDataset(d);
    expect(ds.inputShape).toEqual([1, 2, 3]);
    expect([ds.train.count, ds.test.count, ds.numClasses, ds.inputScale]).toEqual([5, 2, 3, 255]);
    expect([...ds.train.x]).toEqual(images(5));
    expect([...ds.test.y]).toEqual([2, 0]);
    expect(loadDataset(d, { limit: 3 }).train.count).toBe(3);
  });

  it('rejects a truncated file and a directory without the four files', () => {
    const d = join(dir, 'bad');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'x.idx'), idx([5, 2, 3], images(4)));
    expect(() => readIdx(join(d, 'x.idx'))).toThrow(/data bytes/);
    expect(() => loadDataset(d)).toThrow(/no train-images IDX file/);
  });

  it.runIf(existsSync(FASHION_MNIST_DIR))('finds fashion-mnist: 60,000 + 10,000 images of [1,28,28]', () => {
    const ds = loadDataset('fashion-mnist');
    expect([ds.train.count, ds.test.count, ds.numClasses]).toEqual([60000, 10000, 10]);
    expect(ds.inputShape).toEqual([1, 28, 28]);
  });
});

describe('CSV', () => {
  it('label column last by default, header detected, string labels numbered in sorted order', () => {
    const p = join(dir, 'iris.csv');
    const rows = ['a,b,species', ...Array.from({ length: 10 }, (_, i) => `${i},${-i / 2},${i % 2 ? 'virginica' : 'setosa'}`)];
    writeFileSync(p, rows.join('\n'));
    const ds = loadDataset(p);
    expect(ds.inputShape).toEqual([2]);
    expect(ds.classNames).toEqual(['setosa', 'virginica']);
    expect([ds.train.count, ds.test.count]).toEqual([8, 2]);
    expect([...ds.train.x.subarray(2, 4)]).toEqual([1, -0.5]);
    expect([...ds.train.y.subarray(0, 3)]).toEqual([0, 1, 0]);
    const q = join(dir, 'num.csv');
    writeFileSync(q, Array.from({ length: 10 }, (_, i) => `${i % 3};${i};${2 * i}`).join('\n'));
    const first = loadDataset(q, { labelColumn: 0 });
    expect([first.numClasses, first.inputShape[0]]).toEqual([3, 2]);
    expect([...first.train.x.subarray(0, 4)]).toEqual([0, 0, 1, 2]);
  });

  it('UserErrors: unknown dataset, non-numeric feature, ragged row', () => {
    expect(() => loadDataset('cifar-1000')).toThrow(UserError);
    expect(() => loadDataset('cifar-1000')).toThrow(/unknown dataset 'cifar-1000'; accepted: 'digits'/);
    const p = join(dir, 'bad.csv');
    writeFileSync(p, '1,2,0\n3,x,1\n4,5,0\n');
    expect(() => loadDataset(p)).toThrow(/line 2: 'x' is not a number/);
    writeFileSync(p, '1,2,0\n3,1\n4,5,0\n');
    expect(() => loadDataset(p)).toThrow(/line 2: 2 columns, expected 3/);
  });
});
