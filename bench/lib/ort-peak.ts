// Child process: onnxruntime-node runs N images of 3x224x224 (seeded noise) through an ONNX
// file in batches of B and prints its own peak RSS in MB. Usage: node ort-peak.js MODEL N B
import * as ort from 'onnxruntime-node';
import { Rng } from '../../src/random.js';

const [model, n, b] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const PER = 3 * 224 * 224;
const rng = new Rng(7);
const images = Float32Array.from({ length: n * PER }, () => rng.uniform(2));
const session = await ort.InferenceSession.create(model);
for (let s = 0; s < n; s += b) {
  const k = Math.min(b, n - s);
  await session.run({ input: new ort.Tensor('float32', images.subarray(s * PER, (s + k) * PER), [k, 3, 224, 224]) });
}
console.log((process.resourceUsage().maxRSS / 1024).toFixed(0));
