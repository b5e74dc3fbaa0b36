import { UserError } from '../errors.js';
import { convert, fracBits } from '../fixedpoint/index.js';
import { requantRtl } from '../hardware/verilog/requant-rtl.js';
import {
  amountBits,
  buildPow2Requant,
  pow2AccUnion,
  requantKey,
  type Pow2RequantSpec,
  type RequantSpec,
} from '../hardware/network/requant.js';
import type { Netlist } from '../netlist/index.js';
import { structuralVerilog, yosysEquivalent } from '../verilog/index.js';
import { evaluatePorts } from './evaluate.js';
import { codeOf, portValue } from './pe-model.js';
import { loadUserUnit, type UserRtl } from './user-rtl.js';
import { proveAffineRequant, proveAffineRequantRtl } from './requant-affine.js';
import type { UnitCounterexample, UnitProofResult } from './unit-types.js';
import { satProofResult, startClock } from './clock.js';

function pow2Only(s: RequantSpec): Pow2RequantSpec {
  if (s.kind === 'pow2') return s;
  throw new Error('internal: an affine unit reached the pow2 proof');
}

/** Widths of the pow2 unit's ports: acc (the widest channel) and shift (F_max - F_min, 0 bits when all channels share F). */
function pow2Ports(s: Pow2RequantSpec): { acc: number; shift: number } {
  const f = s.acc.map(fracBits);
  return { acc: Math.max(...s.acc.map((a) => a.width)), shift: amountBits(Math.max(...f) - Math.min(...f)) };
}

/**
 * The model at raw (acc, shift): the accumulator code extended to the
 * channels' common format and shifted left by `shift` (exact), then
 * fixedpoint convert() to the output format; for one channel that is
 * convert(code, acc format, out), the engine's pow2 output stage.
 */
function pow2Counterexample(s: Pow2RequantSpec, accRaw: bigint, shift: bigint, gotRaw: bigint): UnitCounterexample {
  const u = pow2AccUnion(s.acc),
    p = pow2Ports(s);
  const accFmt = { ...u, width: p.acc, intBits: p.acc - fracBits(u) };
  const code = codeOf(accRaw, { signed: u.signed, width: p.acc }) << shift;
  const want = BigInt.asUintN(s.out.width, convert(code, u, s.out).code);
  const ins = [
    portValue('acc', accRaw, accFmt),
    ...(p.shift > 0 ? [portValue('shift', shift, { ...u, signed: false, width: p.shift, intBits: p.shift })] : []),
  ];
  const expected = portValue('y', want, s.out),
    got = portValue('y', gotRaw, s.out);
  if (expected.raw === got.raw)
    throw new Error(`internal: the reported requantization counterexample is not one (y = ${got.code} on both sides)`);
  const text = `${ins.map((v) => `${v.name} = ${v.code} (${v.real})`).join(', ')}: expected y = ${expected.code} (${expected.real}), got ${got.code} (${got.real})`;
  return { inputs: ins, output: 'y', expected, got, text };
}

/**
 * Proves a pow2 requantization unit's netlist (ports acc[, shift] -> y)
 * equal to the model by one Yosys SAT call against the behavioral Verilog
 * written from it (`verilog requant --style behavioral`: extension, left
 * shift, convert with the output format's rounding and overflow), for every
 * acc and every shift value of the port. A counterexample is re-evaluated
 * with the fixed-point model and the netlist.
 */
export async function proveRequantNetlist(
  net: Netlist,
  spec: RequantSpec,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  const s = pow2Only(spec);
  const clock = startClock();
  const impl = structuralVerilog(net, 'requant_impl', ['requantization unit under proof']);
  const r = await yosysEquivalent(
    { 'spec.v': requantRtl(s, 'requant_spec', ['specification from the fixed-point model']) },
    'requant_spec',
    { 'impl.v': impl },
    'requant_impl',
    opts,
  );
  if (r.outcome === 'inconclusive')
    throw new UserError(`SAT proof of ${requantKey(s)} ran out of time (${opts.timeoutSeconds} s); raise --timeout`);
  let cx: UnitCounterexample | undefined;
  if (r.outcome === 'counterexample') {
    const acc = r.counterexample![0]!['acc']!,
      shift = r.counterexample![0]!['shift'] ?? 0n;
    cx = pow2Counterexample(s, acc, shift, evaluatePorts(net, { acc, shift })['y']!);
  }
  return satProofResult(
    requantKey(s),
    'yosys miter -equiv against the behavioral Verilog of the model, sat -prove-asserts',
    'y = convert(acc << shift) for every acc and shift',
    clock,
    cx,
  );
}

/** helu-sim's requantization unit (hardware/network/requant.ts), proven. */
export function proveRequant(spec: RequantSpec, opts: { timeoutSeconds?: number } = {}): Promise<UnitProofResult> {
  if (spec.kind === 'affine') return proveAffineRequant(spec, opts);
  return proveRequantNetlist(buildPow2Requant(pow2Only(spec)), spec, opts);
}

/** A user's combinational requantization unit with the ports `verilog requant` writes (acc[, shift] -> y), proven. */
export async function proveRequantRtl(
  rtl: Omit<UserRtl, 'latency'>,
  spec: RequantSpec,
  opts: { timeoutSeconds?: number } = {},
): Promise<UnitProofResult> {
  if (spec.kind === 'affine') return proveAffineRequantRtl(rtl, spec, opts);
  const s = pow2Only(spec),
    p = pow2Ports(s);
  const ports = [
    { name: 'acc', direction: 'input', width: p.acc } as const,
    ...(p.shift > 0 ? [{ name: 'shift', direction: 'input', width: p.shift } as const] : []),
    { name: 'y', direction: 'output', width: s.out.width } as const,
  ];
  const net = await loadUserUnit(rtl, ports, { inputs: { acc: 0 }, outputs: { y: 0 } }, requantKey(s));
  return proveRequantNetlist(net, s, opts);
}
