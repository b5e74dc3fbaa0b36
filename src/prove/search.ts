import { makeKernel, type Netlist } from '../netlist/index.js';

const WORDS = 64;

/**
 * A search for an input where `net`'s output port `out` differs from the
 * model, when a decomposed proof failed at a stage whose counterexample need
 * not be reachable: `count` input assignments from `draw` (raw port values;
 * ports not given read 0) simulated bit-parallel (registers transparent),
 * each compared with `model`. Returns the first differing assignment and the
 * unit's output there. A search, not a proof: finding nothing decides nothing.
 */
export function searchCounterexample(
  net: Netlist,
  out: string,
  draw: (i: number) => Record<string, bigint>,
  model: (inputs: Readonly<Record<string, bigint>>) => bigint,
  count: number,
): { inputs: Record<string, bigint>; got: bigint } | undefined {
  const ports = net.inputs().filter((p) => p.name !== 'clk');
  const inBits = ports.flatMap((p) => p.bits),
    outBits = net.port(out).bits;
  const kernel = makeKernel(net, { mode: 'transparent', inputs: inBits, outputs: outBits, maxWords: WORDS }, Math.ceil(count / 32));
  const ins = new Int32Array(inBits.length * WORDS),
    outs = new Int32Array(outBits.length * WORDS);
  for (let base = 0; base < count; base += 32 * WORDS) {
    const vecs = Array.from({ length: 32 * WORDS }, (_, i) => draw(base + i));
    ins.fill(0);
    vecs.forEach((v, lane) => {
      let k = 0;
      for (const p of ports) {
        const raw = v[p.name] ?? 0n;
        for (let i = 0; i < p.bits.length; i++, k++) {
          const at = k * WORDS + (lane >> 5);
          if ((raw >> BigInt(i)) & 1n) ins[at] = ins[at]! | (1 << (lane & 31));
        }
      }
    });
    kernel.run(ins, outs, WORDS, 0);
    for (const [lane, v] of vecs.entries()) {
      let got = 0n;
      for (let i = 0; i < outBits.length; i++) if ((outs[i * WORDS + (lane >> 5)]! >>> (lane & 31)) & 1) got |= 1n << BigInt(i);
      if (got !== model(v)) return { inputs: v, got };
    }
  }
  return undefined;
}
