import { Netlist, toStructuralVerilog, type Bit } from '../netlist/index.js';
import { checkModuleName } from './identifier.js';
import { commentLines } from './rtl.js';

/** A copy of `net` under another name (cells and ports shared: netlists are not mutated after building). */
export function renameNetlist(net: Netlist, name: string): Netlist {
  const out = new Netlist(name);
  out.cells.push(...net.cells);
  out.ports.push(...net.ports);
  out.nextNet = net.nextNet;
  return out;
}

/** Whether some input bit drives no cell and no output (Verilator -Wall reports it as UNUSED). */
function hasUnusedInputBits(net: Netlist): boolean {
  const read = new Set<Bit>();
  for (const c of net.cells) for (const b of c.inputs) read.add(b);
  for (const p of net.outputs()) for (const b of p.bits) read.add(b);
  return net.inputs().some((p) => p.bits.some((b) => !read.has(b)));
}

/**
 * helu-sim's gate netlist as Verilog-2001, one `assign` per cell and one
 * `always @(posedge clk)` per register (the netlist room's writer), module
 * `name`, with header comment lines. Input bits the function ignores are
 * wrapped in a Verilator `lint_off UNUSED` region.
 */
export function structuralVerilog(net: Netlist, name: string, comment: readonly string[] = []): string {
  checkModuleName(name);
  const text = toStructuralVerilog(renameNetlist(net, name));
  const unused = hasUnusedInputBits(net);
  return [
    ...commentLines(comment),
    '`default_nettype none',
    ...(unused ? ['/* verilator lint_off UNUSED */'] : []),
    text.trimEnd(),
    ...(unused ? ['/* verilator lint_on UNUSED */'] : []),
    '`default_nettype wire',
    '',
  ].join('\n');
}
