/* Timing helpers of the benchmarks: interleaved CPU-time medians, and onnxruntime-node as a peer. */

export const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
export const ROUNDS = Number(process.env.ROUNDS ?? 5);

/** Median CPU seconds per call of each runner over ROUNDS interleaved rounds (after one warm-up call each). */
export async function interleaved(runners: [string, () => unknown][]): Promise<Map<string, number>> {
  const t = new Map<string, number[]>(runners.map(([n]) => [n, []]));
  for (const [, f] of runners) await f();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [n, f] of runners) {
      const c0 = process.cpuUsage();
      await f();
      const c = process.cpuUsage(c0);
      t.get(n)!.push((c.user + c.system) / 1e6);
    }
  }
  return new Map([...t].map(([n, v]) => [n, median(v)]));
}

/** An onnxruntime session (1 thread) on float inputs: returns its run function and its first output. */
export async function ortRunner(bytes: Uint8Array, x: Float64Array, shape: number[]): Promise<[() => Promise<unknown>, ArrayLike<number>]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x), shape) };
  const first = (await session.run(feeds))[session.outputNames[0]!]!.data as ArrayLike<number>;
  return [() => session.run(feeds), first];
}
