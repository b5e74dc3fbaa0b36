// Training target: `helu-sim train --dataset digits --arch mlp:64,32 --act helu --epochs 30`
// reaches >= 95 % test accuracy in under 30 s. Also a small CNN and ReLU for comparison.
import { loadDataset, train } from '../src/models/index.js';
import { parseActivation } from '../src/activations/float.js';

const ds = loadDataset('digits');
const runs: [string, string, number][] = [
  ['mlp:64,32', 'helu', 30],
  ['mlp:64,32', 'relu', 30],
  ['cnn:8c3,p2,16c3,p2,32', 'helu', 10],
];
for (const [arch, act, epochs] of runs) {
  const t0 = Date.now();
  const r = await train(ds, { arch, activation: parseActivation(act), epochs, seed: 1 });
  const s = (Date.now() - t0) / 1000;
  console.log(`digits ${arch} ${act} ${epochs} epochs: test ${(100 * r.testAccuracy).toFixed(2)} % train ${(100 * r.trainAccuracy).toFixed(2)} %, ` +
    `dead ${r.deadFraction.map((d) => d.toFixed(3)).join('/')}, ${s.toFixed(1)} s (backend ${r.backend})` +
    (arch.startsWith('mlp') && act === 'helu' ? `  target >= 95 % in < 30 s: ${r.testAccuracy >= 0.95 && s < 30 ? 'met' : 'MISSED'}` : ''));
}
