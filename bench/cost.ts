/*
 * cost's own speed: CPU time of costNetwork on the demo model (reports/demo/
 * model.q.json), the first call (every distinct circuit structure mapped) and
 * a second one in the same process (structures already mapped for the
 * technology, hardware/network/circuit.ts); and the memory model of a 3 x 3
 * stride-1 convolution (56 x 56 x 64 -> 64, 16 x 16, 8 B/cycle, 64 KB SRAMs)
 * with the ifmap looked up by address (overlapping windows, as SCALE-Sim does)
 * against by stream position, per dataflow, with the stall cycles of both.
 * SCALE-Sim itself is a Python package outside this project's registries, so
 * no peer runs here (docs/memory-model.md).
 * Usage: node dist/bench/cost.js
 */
import { costNetwork, convShape, dramTraffic, systolicCycles, DATAFLOWS } from '../src/hardware/index.js';
import { loadIntegerModel } from '../src/sim/importers/load.js';

function cpu<T>(f: () => T): [T, number] {
  const t0 = process.cpuUsage();
  const r = f();
  const t = process.cpuUsage(t0);
  return [r, (t.user + t.system) / 1e6];
}

const model = loadIntegerModel('reports/demo/model.q.json');
const [, first] = cpu(() => costNetwork(model));
const [, second] = cpu(() => costNetwork(model));
console.log(`cost of the demo model: first call ${first.toFixed(2)} CPU s, second call ${second.toFixed(2)} CPU s`);

const w8 = { weightBits: 8, inputBits: 8, outputBits: 8, accBits: 32 };
const im2col = { H: 58, W: 58, strides: [1, 1] as const, dilations: [1, 1] as const };
const shape = convShape('conv3x3', { Fh: 3, Fw: 3, Cin: 64, filters: 64, outputPixels: 56 * 56, im2col });
const A = { rows: 16, cols: 16 };
const mem = { bytesPerCycle: 8, sramKb: { ifmap: 64, filter: 64, ofmap: 64 } };
console.log('| dataflow | stall cycles by address | CPU s | stall cycles by position | CPU s | time ratio |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const df of DATAFLOWS) {
  const e = systolicCycles(shape, A, df);
  const [byAddress, ta] = cpu(() => dramTraffic(e, A, w8, mem, shape).stallCycles);
  const [byPosition, tp] = cpu(() => dramTraffic(e, A, w8, mem).stallCycles);
  console.log(`| ${df} | ${byAddress} | ${ta.toFixed(2)} | ${byPosition} | ${tp.toFixed(2)} | ${(ta / tp).toFixed(1)} |`);
}
