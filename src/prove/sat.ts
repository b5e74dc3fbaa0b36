import type { Netlist } from '../netlist/index.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import type { SpecDesign } from './spec.js';

const IMPL_TOP = 'helu_impl';

/** The Yosys flow that proves a netlist equal to the specification, as named in reports. */
export const SAT_DETAIL = 'yosys miter -equiv -flatten -make_assert, sat -verify -prove-asserts';

/**
 * Proves with Yosys (in process, WebAssembly) that `net` (combinational, or
 * registers made transparent by the caller) computes the specification's y
 * for every x: the specification is elaborated with `proc; flatten; memory`
 * (a ROM becomes logic), the netlist is written as structural Verilog, and
 * one SAT call on their miter decides. Returns the raw x of Yosys's
 * counterexample when they differ.
 */
export async function satProve(
  spec: SpecDesign,
  net: Netlist,
  timeoutSeconds?: number,
): Promise<{ proven: boolean; x?: bigint; inconclusive?: boolean }> {
  const impl = structuralVerilog(net, IMPL_TOP, ['implementation under proof']);
  const r = await yosysEquivalent(spec.files, spec.top, { [`${IMPL_TOP}.v`]: impl }, IMPL_TOP, { timeoutSeconds });
  if (r.outcome === 'proved') return { proven: true };
  if (r.outcome === 'inconclusive') return { proven: false, inconclusive: true };
  const x = r.counterexample?.[0]?.['x'];
  if (x === undefined) throw new Error('internal: Yosys reported a counterexample without a value of x');
  return { proven: false, x };
}
