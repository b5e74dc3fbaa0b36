import { UserError } from '../../errors.js';
import type { Netlist } from '../ir.js';
import { compileKernel } from './kernel.js';
import { schedule } from './schedule.js';

/**
 * Cycle-accurate simulation of a circuit with $_DFF_P_ registers (all on one
 * clock; the clock port's values are ignored, every step is one rising edge).
 * Registers start at 0. In cycle t the inputs take inputs[port][t], the
 * combinational logic settles, outputs[port][t] is sampled, and then every
 * register loads its D. So a circuit with N register ranks on every path
 * shows f(x_t) at outputs[t + N]. Values are raw patterns (W <= 32).
 */
export function simulateCycles(net: Netlist, inputs: Record<string, ArrayLike<number>>, cycles: number): Record<string, Float64Array> {
  const regs = schedule(net, 'state').registers;
  const ins = net.inputs().filter((p) => p.name !== 'clk');
  const outs = net.outputs();
  for (const p of [...ins, ...outs]) {
    if (p.bits.length > 32) throw new UserError(`port '${p.name}' has ${p.bits.length} bits; simulateCycles takes at most 32`);
    if (p.direction === 'input' && (inputs[p.name]?.length ?? 0) < cycles)
      throw new UserError(`input port '${p.name}' needs ${cycles} values`);
  }
  const kernel = compileKernel(net, {
    mode: 'state',
    inputs: [...ins.flatMap((p) => p.bits), ...regs.map((r) => r.output)],
    outputs: [...outs.flatMap((p) => p.bits), ...regs.map((r) => r.inputs[0])],
    maxWords: 1,
  });
  const nIn = ins.reduce((s, p) => s + p.bits.length, 0);
  const inBuf = new Int32Array(nIn + regs.length);
  const nOut = outs.reduce((s, p) => s + p.bits.length, 0);
  const outBuf = new Int32Array(nOut + regs.length);
  const result: Record<string, Float64Array> = {};
  for (const p of outs) result[p.name] = new Float64Array(cycles);
  for (let t = 0; t < cycles; t++) {
    let slot = 0;
    for (const p of ins) {
      const v = inputs[p.name][t];
      for (let i = 0; i < p.bits.length; i++) inBuf[slot++] = -(Math.floor(v / 2 ** i) % 2);
    }
    kernel.run(inBuf, outBuf, 1, 0);
    slot = 0;
    for (const p of outs) {
      let v = 0;
      for (let i = 0; i < p.bits.length; i++) v += (outBuf[slot++] & 1) * 2 ** i;
      result[p.name][t] = v;
    }
    for (let r = 0; r < regs.length; r++) inBuf[nIn + r] = outBuf[nOut + r];
  }
  return result;
}
