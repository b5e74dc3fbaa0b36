import { getActivation, type ActivationDef, type ActivationSpec } from '../activations/index.js';
import { UserError } from '../errors.js';
import { formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import type { Netlist } from '../netlist/index.js';
import { checkedCounterexample } from './counterexample.js';
import { enumerate, enumerationSeconds, enumerationWidth } from './enumerate.js';
import { evaluateOnce } from './evaluate.js';
import { SAT_DETAIL, satProve } from './sat.js';
import { specDesign } from './spec.js';
import { loadUserRtl, type UserRtl } from './user-rtl.js';
import type { ProofMethod, ProofResult, ProveOptions } from './types.js';

/**
 * Units whose estimated enumeration time is at most this many CPU seconds are
 * enumerated, others go to SAT. Measured (bench/prove.ts): a Yosys SAT proof
 * of a logic unit costs 0.1-0.8 s CPU plus about 0.5 s to compile Yosys's
 * WebAssembly once per process, whatever the width; enumerating leaky ReLU
 * costs 0.35 s at 20 bits, 1.3 s at 22, 2.6 s at 24, 15 s at 26. So
 * enumeration pays up to about 20 bits for logic units, and for table units
 * whose read input bits (at most 16) are enumerated.
 */
export const ENUMERATION_BUDGET_SECONDS = 0.3;

/**
 * The method 'auto' picks: enumeration when it is possible (enumerationWidth)
 * and estimated to take at most ENUMERATION_BUDGET_SECONDS, else SAT.
 */
export function chooseMethod(net: Netlist, def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): ProofMethod {
  const w = enumerationWidth(net, def, inFmt, outFmt);
  return w !== undefined && enumerationSeconds(net.cells.length, w) <= ENUMERATION_BUDGET_SECONDS ? 'exhaustive' : 'sat';
}

function checkPorts(net: Netlist, inFmt: FixedFormat, outFmt: FixedFormat): void {
  const x = net.inputs().find((p) => p.name === 'x'),
    y = net.outputs().find((p) => p.name === 'y');
  if (!x || !y) throw new UserError(`unit '${net.name}' needs an input port x and an output port y`);
  if (x.bits.length !== inFmt.width || y.bits.length !== outFmt.width) {
    throw new UserError(
      `unit '${net.name}' has x[${x.bits.length}] and y[${y.bits.length}]; ${formatToString(inFmt)} -> ${formatToString(outFmt)} needs x[${inFmt.width}] and y[${outFmt.width}]`,
    );
  }
}

/**
 * Proves the combinational netlist `net` (input x, output y, raw patterns)
 * equal to the activation's fixed-point model for every input, by
 * bit-parallel enumeration against the functional model or by a Yosys SAT
 * proof against the behavioral Verilog of the model (chooseMethod, or
 * opts.method). A counterexample is re-evaluated on both sides (the exact
 * model, and the netlist simulated at that input) before it is reported.
 */
export async function proveNetlist(
  net: Netlist,
  def: ActivationDef,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
  opts: ProveOptions = {},
): Promise<ProofResult> {
  checkPorts(net, inFmt, outFmt);
  const method = opts.method === undefined || opts.method === 'auto' ? chooseMethod(net, def, inFmt, outFmt) : opts.method;
  if (method === 'exhaustive' && enumerationWidth(net, def, inFmt, outFmt) === undefined) {
    throw new UserError(
      `--method exhaustive: ${formatToString(inFmt)} -> ${formatToString(outFmt)} has too many inputs to enumerate; use sat`,
    );
  }
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  let x: bigint | undefined;
  let vectors = 0;
  let detail: string;
  if (method === 'exhaustive') {
    const r = enumerate(net, def, inFmt, outFmt);
    x = r.firstX;
    vectors = r.vectors;
    detail =
      r.bits === inFmt.width
        ? `bit-parallel enumeration of all 2^${inFmt.width} inputs against the functional model`
        : `bit-parallel enumeration of the 2^${r.bits} values of x[${inFmt.width - 1}:${inFmt.width - r.bits}] against the exact model; x[${inFmt.width - r.bits - 1}:0] is read by neither the model (table index rule) nor the circuit (cone of influence)`;
  } else {
    const r = await satProve(specDesign(def, inFmt, outFmt), net, opts.timeoutSeconds);
    if (r.inconclusive)
      throw new UserError(`SAT proof of ${def.name} ${formatToString(inFmt)} ran out of time (${opts.timeoutSeconds} s); raise --timeout`);
    x = r.x;
    detail = `${SAT_DETAIL} against the behavioral Verilog of the model`;
  }
  const c = process.cpuUsage(c0);
  const timing = { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  if (x === undefined) return { proven: true, method, detail, vectors, ...timing };
  const counterexample = checkedCounterexample(def, inFmt, outFmt, x, evaluateOnce(net, x));
  return { proven: false, method, detail, vectors, ...timing, counterexample };
}

/** Proves helu-sim's own circuit for the activation (output format default: the activation's). */
export async function proveActivation(
  spec: ActivationSpec | string,
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: ProveOptions = {},
): Promise<ProofResult & { output: FixedFormat }> {
  const def = getActivation(spec);
  const out = outFmt ?? def.defaultOutput(inFmt);
  return { ...(await proveNetlist(def.circuit(inFmt, out), def, inFmt, out, opts)), output: out };
}

/** Proves a user's Verilog unit (ports x, y as `helu-sim verilog` writes them) equal to the activation's model. */
export async function proveRtl(
  rtl: UserRtl,
  spec: ActivationSpec | string,
  inFmt: FixedFormat,
  outFmt?: FixedFormat,
  opts: ProveOptions = {},
): Promise<ProofResult & { output: FixedFormat }> {
  const def = getActivation(spec);
  const out = outFmt ?? def.defaultOutput(inFmt);
  const net = await loadUserRtl(rtl, inFmt, out);
  return { ...(await proveNetlist(net, def, inFmt, out, opts)), output: out };
}
