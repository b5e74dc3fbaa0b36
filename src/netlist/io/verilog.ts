import type { Bit, Cell, GateType, Netlist } from '../ir.js';
import { gateInfo } from '../gates.js';
import { sanitizeIdentifier } from './identifiers.js';

/** The Verilog expression of a combinational cell over its operand names (the gate table's). */
function cellExpr(type: GateType, a: string[]): string {
  const v = gateInfo(type).verilog;
  if (!v) throw new Error('internal: a register has no combinational expression');
  return v(a);
}

/**
 * Structural Verilog-2001: one module (name sanitized), ports with their
 * sanitized names, one `assign` per combinational cell, one
 * `always @(posedge C)` per $_DFF_P_. Internal nets are n<number>; a
 * sanitized port name that collides with another name gets a numeric suffix.
 */
export function toStructuralVerilog(net: Netlist): string {
  const used = new Set<string>();
  const unique = (base: string): string => {
    let s = base;
    for (let k = 1; used.has(s); k++) s = `${base}_${k}`;
    used.add(s);
    return s;
  };
  const moduleName = sanitizeIdentifier(net.name);
  const portName = new Map(net.ports.map((p) => [p.name, unique(sanitizeIdentifier(p.name))]));
  const ref = new Map<Bit, string>();
  for (const p of net.inputs())
    p.bits.forEach((b, i) => ref.set(b, p.bits.length === 1 ? portName.get(p.name)! : `${portName.get(p.name)}[${i}]`));
  const name = (b: Bit): string => (b === 0 ? "1'b0" : b === 1 ? "1'b1" : ref.get(b)!);
  for (const c of net.cells) ref.set(c.output, unique(`n${c.output}`));
  const lines: string[] = [];
  const decl = net.ports.map((p) => `  ${p.direction} wire ${range(p.bits.length)}${portName.get(p.name)}`);
  lines.push(`module ${moduleName} (\n${decl.join(',\n')}\n);`);
  for (const c of net.cells) lines.push(`  ${c.type === '$_DFF_P_' ? 'reg ' : 'wire'} ${ref.get(c.output)};`);
  for (const c of net.cells) lines.push(cellLine(c, name, ref.get(c.output)!));
  for (const p of net.outputs()) {
    const bits = [...p.bits].reverse().map(name);
    lines.push(`  assign ${portName.get(p.name)} = ${bits.length === 1 ? bits[0] : `{${bits.join(', ')}}`};`);
  }
  lines.push('endmodule', '');
  return lines.join('\n');
}

function range(w: number): string {
  return w === 1 ? '' : `[${w - 1}:0] `;
}

function cellLine(c: Cell, name: (b: Bit) => string, out: string): string {
  if (c.type === '$_DFF_P_') return `  always @(posedge ${name(c.inputs[1])}) ${out} <= ${name(c.inputs[0])};`;
  return `  assign ${out} = ${cellExpr(c.type, c.inputs.map(name))};`;
}
