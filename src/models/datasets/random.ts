import { UserError } from '../../errors.js';
import { checkedElementCount } from '../../limits.js';
import { Rng } from '../../random.js';
import { noLabels } from './labels.js';
import type { Dataset } from './types.js';

/** Samples in a random data set unless --limit says otherwise. */
export const RANDOM_SAMPLES = 64;
export const RANDOM_HELP = "'random:<shape>[:seed]' (e.g. random:3x224x224:7; values uniform in [0, 1), no labels)";

/**
 * 'random:<shape>[:seed]': `count` unlabelled samples of the per-sample shape
 * (dimensions joined by 'x' or ','), values uniform in [0, 1) from the
 * project's seeded generator (seed default 1), the same values for the same
 * seed. For runs that need inputs but no labels (cost, smoke tests, timing).
 */
export function loadRandomDataset(spec: string, count = RANDOM_SAMPLES): Dataset {
  const m = /^random:([0-9x,]+)(?::([0-9]+))?$/.exec(spec);
  if (!m) throw new UserError(`bad random data set '${spec}'; expected ${RANDOM_HELP}`);
  const shape = m[1]!.split(/[x,]/).map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 1))
    throw new UserError(`random data set '${spec}': every dimension must be a positive integer`);
  const seed = m[2] === undefined ? 1 : Number(m[2]);
  if (!(seed <= 0xffffffff)) throw new UserError(`random data set '${spec}': seed must be 0..4294967295`);
  const n = checkedElementCount(`random data set '${spec}'`, [count, ...shape]);
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.next();
  const split = { x, y: noLabels(count), count };
  return {
    name: spec,
    source: spec,
    inputShape: shape,
    numClasses: 0,
    classNames: [],
    inputScale: 1,
    train: split,
    test: split,
    labelled: false,
  };
}
