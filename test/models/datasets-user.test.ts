// Users' own data: NumPy arrays written by NumPy, image folders written by PIL
// with expected inputs computed by PyTorch (test/models/datasets/make_fixtures.py).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, parsePreprocess, readNpy, splitOf } from '../../src/models/datasets/index.js';
import { expectOneLineUserError } from '../helpers/user-error.js';

const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
let dir = '';
const f = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'helu-data-'));
  const r = spawnSync(PY, [join(import.meta.dirname, 'datasets', 'make_fixtures.py'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fixture script failed: ${r.stderr}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NumPy data sets', () => {
  it('reads inputs and labels exactly as NumPy wrote them; one set serves every split', () => {
    const ds = loadDataset(`${f('x.npy')},${f('y.npy')}`);
    expect(ds.inputShape).toEqual([1, 4, 4]);
    expect(ds.numClasses).toBe(3);
    expect([...ds.test.y]).toEqual([0, 2, 1, 2, 0]);
    expect(ds.test.x.length).toBe(80);
    for (let i = 0; i < 80; i++) expect(ds.test.x[i]).toBe(Math.fround(i / 7));
    expect(splitOf(ds, 'all').count).toBe(5);
    expect(loadDataset(`${f('x.npy')},${f('y_col.npy')}`).test.y).toEqual(ds.test.y);
    expect(loadDataset(`${f('x.npy')},${f('y.npy')}`, { limit: 2 }).test.count).toBe(2);
  });

  it('dtypes: uint8, float16, bool', () => {
    expect([...readNpy(f('x_u8.npy')).data]).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect([...readNpy(f('x_f2.npy')).data]).toEqual(Array.from({ length: 15 }, (_, i) => i / 4));
    expect([...readNpy(f('x_bool.npy')).data]).toEqual(Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  });

  it('.npz: Keras x_train/y_train/x_test/y_test, or x and y', () => {
    const k = loadDataset(f('keras.npz'));
    expect([k.train.count, k.test.count]).toEqual([3, 2]);
    expect([...k.test.y]).toEqual([2, 0]);
    expect(k.test.x[0]).toBe(Math.fround(48 / 7));
    const s = loadDataset(f('single.npz'));
    expect(s.train).toBe(s.test);
  });

  it('unlabelled inputs load, and accuracy refuses them', () => {
    const ds = loadDataset(f('x.npy'));
    expect(ds.labelled).toBe(false);
    expect([...ds.test.y]).toEqual([-1, -1, -1, -1, -1]);
  });

  it('malformed arrays and label counts: one clear line', () => {
    expectOneLineUserError(() => loadDataset(`${f('x.npy')},${f('y_short.npy')}`), /4 labels for 5 input samples/);
    expectOneLineUserError(() => loadDataset(`${f('x.npy')},${f('y_bad.npy')}`), /label -1 at index 2 is not a class index/);
    expectOneLineUserError(() => loadDataset(`${f('x.npy')},${f('y_frac.npy')}`), /label 0.5/);
    expectOneLineUserError(() => readNpy(f('x_be.npy')), /big-endian/);
    expectOneLineUserError(() => readNpy(f('x_fortran.npy')), /Fortran-order/);
    expectOneLineUserError(() => readNpy(f('strings.npy')), /dtype|string/);
    expectOneLineUserError(() => readNpy(f('folder_labels.npy') + '.missing'), /cannot read/);
    expectOneLineUserError(() => loadDataset(f('other.npz')), /expected x_train/);
    expectOneLineUserError(() => readNpy(f('keras.npz')), /not a NumPy .npy file/);
    expectOneLineUserError(() => loadDataset(f('x.npy'), { limit: 0 }), /limit must be a positive integer/);
    expectOneLineUserError(() => loadDataset(f('x.npy'), { limit: 1.5 }), /limit/);
    expectOneLineUserError(() => loadDataset(f('x.npy'), { limit: NaN }), /limit/);
  });
});

describe('image folders (torchvision ImageFolder layout)', () => {
  it('PNG images preprocessed as PyTorch computes them (resize, centre crop, scale, mean/std)', () => {
    const pre = parsePreprocess({ resize: 6, crop: 5, mean: '0.5,0.4,0.3', std: [0.2, 0.25, 0.3] });
    const ds = loadDataset(f('folder'), { preprocess: pre });
    const expected = readNpy(f('folder_expected.npy'));
    expect(ds.classNames).toEqual(['ant', 'bee']);
    expect(ds.inputShape).toEqual([3, 5, 5]);
    expect([...ds.test.y]).toEqual([0, 0, 1, 1]);
    let worst = 0;
    for (let i = 0; i < expected.data.length; i++) worst = Math.max(worst, Math.abs(ds.test.x[i]! - expected.data[i]!));
    expect(worst).toBeLessThan(1e-9);
  });

  it('images of different sizes without resize/crop, bad specs: one clear line', () => {
    expectOneLineUserError(() => loadDataset(f('folder')), /use --resize and --crop/);
    expectOneLineUserError(() => parsePreprocess({ channels: 'cmyk' }), /channels: expected one of rgb, bgr, gray/);
    expectOneLineUserError(() => parsePreprocess({ std: '0' }), /divides by zero/);
    expectOneLineUserError(() => parsePreprocess({ mean: '1,2' }), /1 or 3 values/);
    expectOneLineUserError(() => parsePreprocess({ resize: -3 }), /whole number of pixels/);
    expectOneLineUserError(() => parsePreprocess({ constructor: 1 } as never), /unknown key 'constructor'/);
    expectOneLineUserError(() => loadDataset(f('folder'), { preprocess: parsePreprocess({ crop: 50 }) }), /larger than the image/);
  });
});

describe('random data sets', () => {
  it('random:<shape>[:seed]: seeded, unlabelled, any shape', () => {
    const a = loadDataset('random:3x4x5:7');
    const b = loadDataset('random:3,4,5:7', { limit: 64 });
    expect(a.inputShape).toEqual([3, 4, 5]);
    expect(a.test.count).toBe(64);
    expect(a.test.x).toEqual(b.test.x);
    expect(loadDataset('random:3x4x5:8').test.x).not.toEqual(a.test.x);
    expect(loadDataset('random:2', { limit: 3 }).test.count).toBe(3);
    expectOneLineUserError(() => loadDataset('random:0x3'), /positive integer/);
    expectOneLineUserError(() => loadDataset('random:abc'), /expected 'random:<shape>/);
    expectOneLineUserError(() => loadDataset('random:100000x100000x100'), /tensor memory ceiling/);
  });
});
