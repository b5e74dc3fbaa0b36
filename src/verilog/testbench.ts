import { checkModuleName } from './identifier.js';
import { hexDigits, toHex } from './tables.js';

export interface TestbenchSpec {
  /** Name of the module under test (ports clk when latency > 0, x, y). */
  readonly name: string;
  readonly inWidth: number;
  readonly outWidth: number;
  /** Clock cycles from x to y (the module's pipeline ranks); default 0, no clock. */
  readonly latency?: number;
  /** Raw input patterns applied, in order. */
  readonly inputs: readonly bigint[];
  /** Golden raw output pattern for each input (same length). */
  readonly outputs: readonly bigint[];
  /** Mismatches described by a MISMATCH line before the verdict (default 10). */
  readonly maxReported?: number;
}

export interface TestbenchFiles {
  /** Testbench module name, `<name>_tb`. */
  readonly top: string;
  /** `<name>_tb.v` and its text. */
  readonly verilogFile: string;
  readonly verilog: string;
  /** `<name>_tb.mem` and its text: line k = {x_k, y_k} in hex (x in the high W bits). */
  readonly vectorFile: string;
  readonly vectors: string;
}

function checkVectors(spec: TestbenchSpec): void {
  const { inputs, outputs } = spec;
  if (inputs.length === 0 || inputs.length !== outputs.length) {
    throw new Error(`internal: ${inputs.length} inputs and ${outputs.length} golden outputs`);
  }
  const inLimit = 1n << BigInt(spec.inWidth);
  const outLimit = 1n << BigInt(spec.outWidth);
  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k]!;
    const y = outputs[k]!;
    if (x < 0n || x >= inLimit || y < 0n || y >= outLimit) throw new Error(`internal: vector ${k} (x=${x}, y=${y}) does not fit the ports`);
  }
}

/** The vector file: one line per vector, {x, y} as one hex word of ceil((W+Wo)/4) digits. */
function vectorText(spec: TestbenchSpec): string {
  const digits = hexDigits(spec.inWidth + spec.outWidth);
  const shift = BigInt(spec.outWidth);
  const lines = new Array<string>(spec.inputs.length);
  for (let k = 0; k < lines.length; k++) lines[k] = toHex((spec.inputs[k]! << shift) | spec.outputs[k]!, digits);
  return lines.join('\n') + '\n';
}

/** Loop body: apply vector i, then (after the latency) compare the vector applied LATENCY cycles earlier. */
function loopLines(latency: number, maxReported: number): string[] {
  const clocked = latency > 0;
  return [
    '    for (i = 0; i < N + LATENCY; i = i + 1) begin',
    '      if (i < N) begin',
    '        v = vectors[i];',
    '        x = v[W+WO-1:WO];',
    '      end',
    '      #1;',
    '      if (i >= LATENCY) begin',
    '        v = vectors[i - LATENCY];',
    '        if (y !== v[WO-1:0]) begin',
    '          errors = errors + 1;',
    `          if (errors <= ${maxReported}) $display("MISMATCH x=%h expected=%h got=%h", v[W+WO-1:WO], v[WO-1:0], y);`,
    '        end',
    '      end',
    ...(clocked ? ["      clk = 1'b1;", '      #1;', "      clk = 1'b0;"] : []),
    '    end',
  ];
}

/**
 * The end of every self-checking testbench: print exactly PASS, or FAIL and the
 * mismatch count (the verdict testbenchVerdict reads), then close the module.
 */
export const VERDICT_TAIL: readonly string[] = [
  '    if (errors == 0) $display("PASS");',
  '    else $display("FAIL %0d", errors);',
  '    $finish;',
  '  end',
  'endmodule',
  '`default_nettype wire',
  '',
];

/**
 * A self-checking Verilog-2001 testbench `<name>_tb` reading its vectors with
 * `$readmemh("<name>_tb.mem")` (relative to the simulator's working
 * directory). At step i it applies x_i; with latency L it compares y, just
 * before the rising clock edge of step i, with the golden output of x_{i-L}
 * (with `!==`, so x/z outputs count as mismatches). It prints up to
 * maxReported `MISMATCH x=.. expected=.. got=..` lines, then as its last line
 * exactly `PASS` or `FAIL <mismatches>`, then calls $finish.
 */
export function testbench(spec: TestbenchSpec): TestbenchFiles {
  checkModuleName(spec.name);
  checkVectors(spec);
  const latency = spec.latency ?? 0;
  if (!Number.isInteger(latency) || latency < 0) throw new Error(`internal: latency ${latency} is not a non-negative integer`);
  const top = `${spec.name}_tb`;
  const vectorFile = `${top}.mem`;
  const clocked = latency > 0;
  const n = spec.inputs.length;
  const verilog = [
    `// Self-checking testbench for ${spec.name}: ${n} golden vectors from ${vectorFile}`,
    `// (each line {x, y} in hex), latency ${latency} cycle(s). Last line printed: PASS or FAIL <mismatches>.`,
    '`default_nettype none',
    `module ${top};`,
    `  localparam W = ${spec.inWidth}, WO = ${spec.outWidth}, N = ${n}, LATENCY = ${latency};`,
    '  reg [W+WO-1:0] vectors [0:N-1];',
    '  reg [W+WO-1:0] v;',
    '  reg [W-1:0] x;',
    '  wire [WO-1:0] y;',
    ...(clocked ? ['  reg clk;'] : []),
    '  integer i, errors;',
    `  ${spec.name} dut (${clocked ? '.clk(clk), ' : ''}.x(x), .y(y));`,
    '  initial begin',
    `    $readmemh("${vectorFile}", vectors);`,
    '    errors = 0;',
    ...(clocked ? ["    clk = 1'b0;"] : []),
    ...loopLines(latency, spec.maxReported ?? 10),
    ...VERDICT_TAIL,
  ].join('\n');
  return { top, verilogFile: `${top}.v`, verilog, vectorFile, vectors: vectorText(spec) };
}

/**
 * The verdict a testbench printed: its last `PASS` / `FAIL <n>` line, or
 * undefined when there is none (the simulation did not finish normally).
 */
export function testbenchVerdict(stdout: string): { pass: boolean; mismatches: number } | undefined {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim());
  for (let k = lines.length - 1; k >= 0; k--) {
    if (lines[k] === 'PASS') return { pass: true, mismatches: 0 };
    const m = /^FAIL (\d+)$/.exec(lines[k]!);
    if (m) return { pass: false, mismatches: Number(m[1]) };
  }
  return undefined;
}
