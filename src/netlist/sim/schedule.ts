import { UserError } from '../../errors.js';
import type { Bit, Cell, Netlist } from '../ir.js';

/**
 * Evaluation order of a netlist's cells.
 * 'transparent': a $_DFF_P_ passes D to Q within the same evaluation (the
 *   combinational function of a pipelined circuit); it is an alias, not a cell
 *   to evaluate, and `alias` maps each Q to the net it finally stands for.
 * 'state': Q is a source (the register's current value) and D a sink.
 * Throws UserError on a combinational loop (or, transparent, a register loop).
 */
export interface Schedule {
  /** Combinational cells in dependency order. */
  readonly order: readonly Cell[];
  /** Registers (in netlist order). */
  readonly registers: readonly Cell[];
  /** Transparent mode: DFF Q -> the non-DFF net it copies. Empty in state mode. */
  readonly alias: ReadonlyMap<Bit, Bit>;
}

export function schedule(net: Netlist, mode: 'transparent' | 'state'): Schedule {
  const driver = new Map<Bit, Cell>();
  for (const c of net.cells) driver.set(c.output, c);
  const registers = net.cells.filter((c) => c.type === '$_DFF_P_');
  const deps = (c: Cell): readonly Bit[] => (c.type === '$_DFF_P_' ? (mode === 'transparent' ? [c.inputs[0]] : []) : c.inputs);
  const state = new Map<Cell, 1 | 2>(); // 1 visiting, 2 done
  const sorted: Cell[] = [];
  for (const root of net.cells) {
    if (state.has(root)) continue;
    // Iterative DFS post-order (deep adder chains would overflow a recursive one).
    const stack: { cell: Cell; next: number }[] = [{ cell: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const ins = deps(top.cell);
      if (top.next < ins.length) {
        const d = driver.get(ins[top.next++]);
        if (d === undefined) continue;
        const st = state.get(d);
        if (st === 1)
          throw new UserError(
            `netlist '${net.name}' has a ${mode === 'transparent' ? 'combinational or register' : 'combinational'} loop through net ${d.output}; expected an acyclic circuit`,
          );
        if (st === undefined) {
          state.set(d, 1);
          stack.push({ cell: d, next: 0 });
        }
      } else {
        state.set(top.cell, 2);
        sorted.push(top.cell);
        stack.pop();
      }
    }
  }
  const alias = new Map<Bit, Bit>();
  if (mode === 'transparent') {
    for (const c of sorted) {
      if (c.type === '$_DFF_P_') alias.set(c.output, alias.get(c.inputs[0]) ?? c.inputs[0]);
    }
  }
  return { order: sorted.filter((c) => c.type !== '$_DFF_P_'), registers, alias };
}
