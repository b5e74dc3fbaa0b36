import { gateInfo } from '../gates.js';
import type { Bit, Netlist } from '../ir.js';
import type { KernelSpec } from './kernel.js';

/*
 * Entry checks shared by the compiled kernel and the interpreter: anything
 * the gate table does not describe, a cell with the wrong number of inputs,
 * a net outside the netlist, or a word buffer too short for the words asked
 * is an error, never a silent 0 or a stale word.
 */

function checkBit(b: Bit, net: Netlist, what: string): void {
  if (!Number.isInteger(b) || b < 0 || b >= net.nextNet)
    throw new RangeError(`netlist '${net.name}': ${what} is net ${b}, outside 0..${net.nextNet - 1}`);
}

/** Every cell a gate of the table with its pin count; every net of the spec and of the cells inside the netlist. */
export function checkKernelInput(net: Netlist, spec: KernelSpec): void {
  if (!Number.isInteger(spec.maxWords) || spec.maxWords < 1)
    throw new RangeError(`kernel: maxWords must be a positive integer, got ${spec.maxWords}`);
  net.cells.forEach((c, i) => {
    const g = gateInfo(c.type);
    if (c.inputs.length !== g.pins.length) {
      throw new TypeError(
        `netlist '${net.name}': cell ${i} (${c.type}) has ${c.inputs.length} inputs; it takes ${g.pins.length} (${g.pins.join(', ')})`,
      );
    }
    c.inputs.forEach((b, k) => checkBit(b, net, `cell ${i} (${c.type}) pin ${g.pins[k]}`));
    checkBit(c.output, net, `cell ${i} (${c.type}) output`);
  });
  spec.inputs.forEach((b, k) => checkBit(b, net, `kernel input ${k}`));
  spec.outputs.forEach((b, k) => checkBit(b, net, `kernel output ${k}`));
  (spec.counterBits ?? []).forEach((b, k) => checkBit(b, net, `counter bit ${k}`));
}

/**
 * One run's arguments: 0 <= n <= maxWords words, wordBase + n <= 2^31, and
 * buffers holding row k's words at k * maxWords .. k * maxWords + n - 1.
 */
export function checkRun(spec: KernelSpec, inputs: Int32Array, outputs: Int32Array, n: number, wordBase: number): void {
  const B = spec.maxWords;
  if (!Number.isInteger(n) || n < 0 || n > B) throw new RangeError(`kernel: sized for ${B} words, asked ${n}`);
  if (!Number.isInteger(wordBase) || wordBase < 0 || wordBase + n > 2 ** 31)
    throw new RangeError(`kernel: wordBase ${wordBase} with ${n} words is outside 0..2^31`);
  const need = (rows: number): number => (rows === 0 || n === 0 ? 0 : (rows - 1) * B + n);
  if (!(inputs instanceof Int32Array) || inputs.length < need(spec.inputs.length)) {
    throw new RangeError(
      `kernel: the input buffer holds ${inputs.length} words; ${spec.inputs.length} rows of ${B} words (${need(spec.inputs.length)} at least for ${n} words) are needed`,
    );
  }
  if (spec.sink === undefined && (!(outputs instanceof Int32Array) || outputs.length < need(spec.outputs.length))) {
    throw new RangeError(
      `kernel: the output buffer holds ${outputs.length} words; ${spec.outputs.length} rows of ${B} words (${need(spec.outputs.length)} at least for ${n} words) are needed`,
    );
  }
}
