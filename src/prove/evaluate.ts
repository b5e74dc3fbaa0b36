import { interpretKernel, type Netlist } from '../netlist/index.js';

/**
 * The netlist's output port `y` for one input `x` (raw patterns of any width,
 * registers transparent): the interpreted bit-parallel kernel run on one
 * word, every input bit a constant word. Used to check counterexamples at
 * widths beyond the 53 bits of the vector simulator.
 */
export function evaluateOnce(net: Netlist, x: bigint): bigint {
  const xBits = net.port('x').bits,
    yBits = net.port('y').bits;
  const kernel = interpretKernel(net, { mode: 'transparent', inputs: xBits, outputs: yBits, maxWords: 1 });
  const inWords = Int32Array.from(xBits, (_, i) => ((x >> BigInt(i)) & 1n ? -1 : 0));
  const outWords = new Int32Array(yBits.length);
  kernel.run(inWords, outWords, 1, 0);
  let y = 0n;
  for (let i = 0; i < yBits.length; i++) if (outWords[i] & 1) y |= 1n << BigInt(i);
  return y;
}

/**
 * An evaluator of every output port of `net` for one assignment of its input
 * ports at a time (raw patterns, any width; registers transparent; clk and
 * ports not given read 0). The kernel is built once per evaluator.
 */
export function portEvaluator(net: Netlist): (inputs: Readonly<Record<string, bigint>>) => Record<string, bigint> {
  const ins = net.inputs(),
    outs = net.outputs();
  const kernel = interpretKernel(net, {
    mode: 'transparent',
    inputs: ins.flatMap((p) => p.bits),
    outputs: outs.flatMap((p) => p.bits),
    maxWords: 1,
  });
  const outWords = new Int32Array(outs.reduce((s, p) => s + p.bits.length, 0));
  return (inputs) => {
    const inWords = Int32Array.from(ins.flatMap((p) => p.bits.map((_, i) => (((inputs[p.name] ?? 0n) >> BigInt(i)) & 1n ? -1 : 0))));
    kernel.run(inWords, outWords, 1, 0);
    const result: Record<string, bigint> = {};
    let k = 0;
    for (const p of outs) {
      let v = 0n;
      for (let i = 0; i < p.bits.length; i++, k++) if (outWords[k]! & 1) v |= 1n << BigInt(i);
      result[p.name] = v;
    }
    return result;
  };
}

/** The output ports of `net` for one assignment of its inputs (portEvaluator, used once). */
export function evaluatePorts(net: Netlist, inputs: Readonly<Record<string, bigint>>): Record<string, bigint> {
  return portEvaluator(net)(inputs);
}
