import { checkModuleName } from './identifier.js';
import { hexDigits, toHex } from './tables.js';
import { VERDICT_TAIL } from './testbench.js';

/**
 * Self-checking testbenches for units with several input and output ports
 * (a processing element: w, x, acc -> y, x_out; a requantization unit: acc,
 * m, e, zp -> y). The single-port testbench (testbench.ts) serves activations.
 */

export interface PortSpec {
  /** Port name: a simple Verilog identifier, not 'clk'. */
  readonly name: string;
  readonly width: number;
}

export interface PortTestbenchSpec {
  /** Module under test. */
  readonly name: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  /**
   * Rising clock edges per vector (the module has an input 'clk' when > 0):
   * each vector's inputs are held for that many edges, then every output is
   * compared. 0: combinational, outputs compared after #1.
   */
  readonly edges: number;
  /** Raw patterns per vector, one bigint per input port (in `inputs` order). */
  readonly stimulus: readonly (readonly bigint[])[];
  /** Golden raw patterns per vector, one bigint per output port. */
  readonly expected: readonly (readonly bigint[])[];
  /** MISMATCH lines printed before the verdict (default 10). */
  readonly maxReported?: number;
}

export interface PortTestbenchFiles {
  readonly top: string;
  readonly verilogFile: string;
  readonly verilog: string;
  /** Line k: the concatenation {inputs..., outputs...} of vector k in hex (first port highest). */
  readonly vectorFile: string;
  readonly vectors: string;
}

const PORT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkSpec(s: PortTestbenchSpec): number {
  checkModuleName(s.name);
  for (const p of [...s.inputs, ...s.outputs]) {
    if (!PORT_NAME.test(p.name) || p.name === 'clk' || !Number.isInteger(p.width) || p.width < 1)
      throw new Error(`internal: bad port ${p.name}[${p.width}]`);
  }
  if (s.stimulus.length === 0 || s.stimulus.length !== s.expected.length)
    throw new Error('internal: stimulus and expected outputs differ in length');
  const all = [...s.inputs, ...s.outputs];
  s.stimulus.forEach((v, k) => {
    const row = [...v, ...s.expected[k]!];
    if (row.length !== all.length) throw new Error(`internal: vector ${k} has ${row.length} values for ${all.length} ports`);
    row.forEach((b, i) => {
      if (b < 0n || b >= 1n << BigInt(all[i]!.width)) throw new Error(`internal: vector ${k} port ${all[i]!.name} value ${b} does not fit`);
    });
  });
  if (!Number.isInteger(s.edges) || s.edges < 0) throw new Error(`internal: edges ${s.edges}`);
  return all.reduce((t, p) => t + p.width, 0);
}

/** Bit offsets of each port inside a vector word (the last port at bit 0). */
function offsets(ports: readonly PortSpec[]): number[] {
  const out = new Array<number>(ports.length);
  let at = 0;
  for (let i = ports.length - 1; i >= 0; i--) {
    out[i] = at;
    at += ports[i]!.width;
  }
  return out;
}

const slice = (p: PortSpec, at: number) => (p.width === 1 ? `v[${at}]` : `v[${at + p.width - 1}:${at}]`);

/**
 * The testbench `<name>_tb`: for each vector, drives the inputs, applies
 * `edges` rising clock edges (inputs held), then compares every output with
 * `!==` (x/z count as mismatches). Prints up to maxReported
 * `MISMATCH vector=<k> <port> expected=.. got=..` lines, then exactly `PASS` or
 * `FAIL <mismatching vectors>` as its last line, then $finish.
 */
export function portTestbench(s: PortTestbenchSpec): PortTestbenchFiles {
  const total = checkSpec(s);
  const ports = [...s.inputs, ...s.outputs];
  const at = offsets(ports);
  const top = `${s.name}_tb`;
  const vectorFile = `${top}.mem`;
  const n = s.stimulus.length;
  const clocked = s.edges > 0;
  const decl = (p: PortSpec, kind: string) => `  ${kind} ${p.width === 1 ? '' : `[${p.width - 1}:0] `}${p.name};`;
  const conns = [...(clocked ? ['.clk(clk)'] : []), ...ports.map((p) => `.${p.name}(${p.name})`)];
  const checks = s.outputs
    .map((p, j) => {
      const i = s.inputs.length + j;
      return [
        `      if (${p.name} !== ${slice(p, at[i]!)}) begin`,
        '        bad = 1;',
        `        if (errors < ${s.maxReported ?? 10}) $display("MISMATCH vector=%0d ${p.name} expected=%h got=%h", i, ${slice(p, at[i]!)}, ${p.name});`,
        '      end',
      ];
    })
    .flat();
  const verilog = [
    `// Self-checking testbench for ${s.name}: ${n} golden vectors from ${vectorFile}`,
    `// (each line {${ports.map((p) => p.name).join(', ')}} in hex), ${s.edges} clock edge(s) per vector. Last line: PASS or FAIL <count>.`,
    '`default_nettype none',
    `module ${top};`,
    `  localparam N = ${n}, BITS = ${total};`,
    '  reg [BITS-1:0] vectors [0:N-1];',
    '  reg [BITS-1:0] v;',
    ...s.inputs.map((p) => decl(p, 'reg')),
    ...s.outputs.map((p) => decl(p, 'wire')),
    ...(clocked ? ['  reg clk;'] : []),
    '  integer i, k, errors, bad;',
    `  ${s.name} dut (${conns.join(', ')});`,
    '  initial begin',
    `    $readmemh("${vectorFile}", vectors);`,
    '    errors = 0;',
    ...(clocked ? ["    clk = 1'b0;"] : []),
    '    for (i = 0; i < N; i = i + 1) begin',
    '      v = vectors[i];',
    ...s.inputs.map((p, i) => `      ${p.name} = ${slice(p, at[i]!)};`),
    '      #1;',
    ...(clocked
      ? [
          `      for (k = 0; k < ${s.edges}; k = k + 1) begin`,
          "        clk = 1'b1;",
          '        #1;',
          "        clk = 1'b0;",
          '        #1;',
          '      end',
        ]
      : ['      k = 0;']),
    '      bad = 0;',
    ...checks,
    '      errors = errors + bad;',
    '    end',
    ...VERDICT_TAIL,
  ].join('\n');
  const digits = hexDigits(total);
  const lines = s.stimulus.map((v, k) => {
    let word = 0n;
    [...v, ...s.expected[k]!].forEach((b, i) => (word |= b << BigInt(at[i]!)));
    return toHex(word, digits);
  });
  return { top, verilogFile: `${top}.v`, verilog, vectorFile, vectors: lines.join('\n') + '\n' };
}
