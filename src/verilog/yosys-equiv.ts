import { ToolError } from './simulators.js';
import { checkTopName, designFiles, yosysErrorLines, runYosysScript, type VerilogDesign } from './yosys.js';

export interface YosysEquivalenceOptions {
  /**
   * Both designs are clocked with this latency (register ranks from x to y).
   * 0 (default): both are combinational and the proof is one SAT call.
   */
  readonly latency?: number;
  /** Longest temporal induction tried for clocked designs (default latency + 8). */
  readonly maxSteps?: number;
  /** Seconds per SAT instance (default: no limit). */
  readonly timeoutSeconds?: number;
}

export interface YosysEquivalenceResult {
  /** True only when Yosys proved the outputs equal for every input (sequence). */
  readonly equivalent: boolean;
  /** 'proved', 'counterexample' (Yosys found differing outputs), or 'inconclusive' (induction or time limit reached). */
  readonly outcome: 'proved' | 'counterexample' | 'inconclusive';
  /** The proof command used. */
  readonly method: string;
  /**
   * With outcome 'counterexample': the miter's input ports at each time step
   * of Yosys's model (one step for combinational designs), port name without
   * the `in_` prefix -> raw bits (bit i of the bigint = bit i of the port).
   */
  readonly counterexample?: Array<Record<string, bigint>>;
  readonly log: string;
}

/**
 * The input values of `sat -show-ports`'s model table: rows
 * `[<step>] \in_<port> <dec> <hex> <bin>` (the step column only in
 * sequential proofs; dec and hex are `--` for wide ports, bin is always
 * complete). Steps are returned in order; undefined bits (x) read as 0.
 */
export function parseSatModel(log: string): Array<Record<string, bigint>> {
  const steps = new Map<number, Record<string, bigint>>();
  for (const line of log.split(/\r?\n/)) {
    const m = /^\s*(?:(\d+)\s+)?\\in_(\S+)\s+\S+\s+\S+\s+([01xz]+)\s*$/.exec(line);
    if (!m) continue;
    const step = m[1] === undefined ? 1 : Number(m[1]);
    const bits = m[3].replace(/[xz]/g, '0');
    if (!steps.has(step)) steps.set(step, {});
    steps.get(step)![m[2]] = BigInt(`0b${bits}`);
  }
  return [...steps.keys()].sort((a, b) => a - b).map((k) => steps.get(k)!);
}

/** Reads one side, elaborates it to gates and memories to logic, and renames its top to `as`. */
function prepare(sources: readonly string[], top: string, as: string): string[] {
  return [
    `read_verilog ${sources.join(' ')}`,
    `hierarchy -check -top ${checkTopName(top)}`,
    'proc',
    'flatten',
    'memory',
    'opt_clean',
    `rename ${top} ${as}`,
  ];
}

/** The SAT command: one combinational proof, or temporal induction skipping the first `latency` steps. */
function satCommand(opts: YosysEquivalenceOptions): string {
  const latency = opts.latency ?? 0;
  if (!Number.isInteger(latency) || latency < 0) throw new Error(`internal: latency ${latency} is not a non-negative integer`);
  const timeout = opts.timeoutSeconds !== undefined ? ` -timeout ${Math.ceil(opts.timeoutSeconds)}` : '';
  if (latency === 0) return `sat -verify -prove-asserts -show-ports${timeout} __miter`;
  const maxSteps = opts.maxSteps ?? latency + 8;
  return `sat -verify -prove-asserts -tempinduct -seq ${latency} -maxsteps ${maxSteps} -show-ports${timeout} __miter`;
}

/** Merges the two sides' files; a name used by both must hold the same text. */
function mergeFiles(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  const out = { ...a };
  for (const [name, text] of Object.entries(b)) {
    if (name in out && out[name] !== text) throw new Error(`internal: both designs have a different file '${name}'`);
    out[name] = text;
  }
  return out;
}

/**
 * Proves with Yosys that two modules with the same ports compute the same
 * outputs: each design is elaborated separately (`proc; flatten; memory`, so
 * `$readmemh` ROMs become logic), then `miter -equiv -flatten -make_assert`
 * and `sat -verify -prove-asserts`. Combinational designs get a complete SAT
 * proof over all inputs. Clocked designs (opts.latency = L) get a temporal
 * induction proof (`sat -tempinduct -seq L`): from an arbitrary initial
 * register state, the outputs agree at every cycle after the first L, which
 * holds for two pipelines of latency L computing the same function.
 */
export async function yosysEquivalent(
  a: VerilogDesign,
  topA: string,
  b: VerilogDesign,
  topB: string,
  opts: YosysEquivalenceOptions = {},
): Promise<YosysEquivalenceResult> {
  const sideA = designFiles(typeof a === 'string' ? { '__gold.v': a } : a, topA);
  const sideB = designFiles(typeof b === 'string' ? { '__gate.v': b } : b, topB);
  const method = satCommand(opts);
  const script = [
    ...prepare(sideA.sources, topA, '__gold'),
    'design -stash __gold_design',
    ...prepare(sideB.sources, topB, '__gate'),
    'design -copy-from __gold_design -as __gold __gold',
    'miter -equiv -flatten -make_assert __gold __gate __miter',
    'hierarchy -top __miter',
    method,
  ].join('\n');
  const run = await runYosysScript(mergeFiles(sideA.files, sideB.files), script, { allowFailure: true });
  const log = run.stdout;
  if (run.exitCode === 0 && /SUCCESS!/.test(log)) return { equivalent: true, outcome: 'proved', method, log };
  if (/model found(?: for base case)?: FAIL!/.test(log))
    return { equivalent: false, outcome: 'counterexample', method, counterexample: parseSatModel(log), log };
  if (/Reached maximum number of time steps|[Tt]imeout/.test(log)) return { equivalent: false, outcome: 'inconclusive', method, log };
  throw new ToolError('yosys', `yosys equivalence check failed to run: ${yosysErrorLines(log)}`, log);
}
