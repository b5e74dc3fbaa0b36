import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gemmI16, packWeightsI16 } from '../../../../src/sim/engine/wasm/index.js';
import { kernels } from '../../../../src/sim/engine/wasm/module.js';
import { gemmBig, wrap } from './oracle.js';

const built = pathToFileURL(join(import.meta.dirname, '..', '..', '..', '..', 'dist', 'src', 'sim', 'engine', 'wasm', 'index.js')).href;

function seeded(seed: number, n: number): Int16Array {
  let s = seed;
  return Int16Array.from({ length: n }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16);
}

/** Runs gemmI16 in a worker thread (its own module instance) on weights packed here and sent by postMessage. */
function inWorker(a: Int16Array, M: number, K: number, packed: unknown): Promise<Int32Array> {
  const code = `
    const { parentPort, workerData: d } = require('node:worker_threads');
    import(d.url).then((m) => {
      const out = new Int32Array(d.M * d.packed.N);
      m.gemmI16(d.a, d.M, d.K, d.packed, out);
      parentPort.postMessage(out);
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { url: built, a, M, K, packed } });
    w.once('message', (out: Int32Array) => {
      resolve(out);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('kernel module per thread, linear memory growth', () => {
  it('two worker threads compute the same results as this thread and the oracle', async () => {
    const [M, K, N] = [9, 37, 21];
    const a = seeded(1, M * K),
      b = seeded(2, K * N);
    const packed = packWeightsI16(b, K, N);
    const here = new Int32Array(M * N);
    gemmI16(a, M, K, packed, here);
    const [w1, w2] = await Promise.all([inWorker(a, M, K, packed), inWorker(a, M, K, packed)]);
    const want = wrap(gemmBig(a, b, M, K, N), 32);
    expect(Array.from(here, BigInt)).toEqual(want);
    expect(Array.from(w1, BigInt)).toEqual(want);
    expect(Array.from(w2, BigInt)).toEqual(want);
  });

  it('weights uploaded before the memory grows stay valid; repeated calls reuse memory', () => {
    const small = packWeightsI16(seeded(3, 6 * 5), 6, 5);
    const a = seeded(4, 2 * 6);
    const first = new Int32Array(10);
    gemmI16(a, 2, 6, small, first);
    const before = kernels().memory.buffer.byteLength;
    const [M, K, N] = [1500, 700, 3];
    const big = seeded(5, M * K),
      bw = seeded(6, K * N);
    const out = new Int32Array(M * N),
      bigPacked = packWeightsI16(bw, K, N);
    gemmI16(big, M, K, bigPacked, out);
    const grown = kernels().memory.buffer.byteLength;
    expect(grown).toBeGreaterThan(before);
    expect(Array.from(out.subarray(0, 30), BigInt)).toEqual(wrap(gemmBig(big.subarray(0, 10 * K), bw, 10, K, N), 32));
    const again = new Int32Array(10);
    for (let r = 0; r < 20; r++) gemmI16(a, 2, 6, small, again);
    gemmI16(big, M, K, bigPacked, out);
    expect(again).toEqual(first);
    expect(kernels().memory.buffer.byteLength).toBe(grown);
  });
});
