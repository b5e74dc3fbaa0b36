/**
 * Dead units of one layer's activation outputs over a set of samples: a unit
 * (a neuron of a [units] tensor, a channel of a [C,H,W] tensor) is dead when
 * its output is exactly 0 for every sample (and every position). `values` is
 * batched NCHW as the float engine returns intermediates. Returns the fraction
 * of dead units.
 */
export function deadFraction(values: ArrayLike<number>, batch: number, shape: readonly number[]): number {
  const units = shape[0]!;
  const plane = shape.slice(1).reduce((a, b) => a * b, 1);
  const alive = new Uint8Array(units);
  for (let s = 0; s < batch; s++) {
    for (let u = 0; u < units; u++) {
      if (alive[u]) continue;
      const o = (s * units + u) * plane;
      for (let p = 0; p < plane; p++)
        if (values[o + p] !== 0) {
          alive[u] = 1;
          break;
        }
    }
  }
  let dead = 0;
  for (const a of alive) if (!a) dead++;
  return units ? dead / units : 0;
}
