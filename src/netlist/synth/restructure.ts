import { balance, composeImages, type AigOfNetlist } from './aig.js';
import { refactor } from './refactor.js';
import { rewrite } from './rewrite.js';

/**
 * The structures the mapper chooses among: the balanced graph (ABC's plain
 * `strash; balance`), and the graph after ABC's `dc2` order of passes
 * (balance, rewrite, refactor, balance, rewrite, rewrite -z, balance,
 * refactor -z, rewrite -z, balance) stopped after the second rewrite and run
 * to the end. Each carries the image of every source node (aig.ts), from
 * which choices.ts merges them.
 */
const PLANS = ['b', 'b r f b r', 'b r f b r z b y z b'];

const STEPS: Record<string, (g: AigOfNetlist) => AigOfNetlist> = {
  b: balance,
  r: (g) => rewrite(g),
  z: (g) => rewrite(g, true),
  f: (g) => refactor(g),
  y: (g) => refactor(g, true),
};

export function candidateStructures(src: AigOfNetlist): AigOfNetlist[] {
  return PLANS.map((plan) => {
    let g = src;
    let image: Int32Array | undefined;
    for (const step of plan.split(' ')) {
      g = STEPS[step]!(g);
      image = image ? composeImages(image, g.image!) : g.image!;
    }
    return { ...g, image };
  });
}
