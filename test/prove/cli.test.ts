import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/cli-helpers.js';

const work = mkdtempSync(join(tmpdir(), 'helu-prove-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/* A 4-bit unsigned unit: y = x + 1 for x < 15 (wrong: ReLU of ufixed<4,2> is y = x), so every x refutes it. */
const WRONG = "module plus1(input wire [3:0] x, output wire [3:0] y); assign y = x + 4'd1; endmodule\n";

describe('helu-sim prove', () => {
  it('exit 0 and "proven (method, time)"; --json names the method', () => {
    const r = cli('prove', 'helu', '--in', 'fixed<12,4>');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^helu fixed<12,4> -> fixed<12,4,RND_CONV,SAT> \(helu-sim circuit\): proven \(exhaustive, \d+\.\d\d s; \d+\.\d\d s CPU\)\n$/,
    );
    const j = cli('prove', 'sigmoid', '--in', 'fixed<10,4>', '--json');
    expect(j.status).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({
      activation: 'sigmoid',
      input: 'fixed<10,4>',
      output: 'ufixed<10,1,RND_CONV,SAT>',
      proven: true,
      method: 'exhaustive',
      vectors: 1024,
    });
  });

  // Each case spawns the CLI (a fresh process compiles Yosys's WebAssembly): slow on a loaded machine.
  it('exit 1 with the counterexample line; exit 2 with one line for bad input', { timeout: 300_000 }, () => {
    const file = join(work, 'plus1.v');
    writeFileSync(file, WRONG);
    const r = cli('prove', 'relu', '--in', 'ufixed<4,2>', '--rtl', file);
    expect(r.status).toBe(1);
    // the first input enumerated is x = 0: the model gives 0, the unit 1 (0.25)
    expect(r.stdout).toContain('counterexample x = 0 (0): expected 0 (0), got 1 (0.25)');
    expect(r.stderr).toBe('helu-sim: counterexample x = 0 (0): expected 0 (0), got 1 (0.25)\n');
    // (wrong port widths are the same UserError path, tested in process in user-rtl.test.ts)
    const method = cli('prove', 'relu', '--in', 'fixed<8,4>', '--method', 'bdd');
    expect(method.status).toBe(2);
    expect(method.stderr).toMatch(/unknown method 'bdd'; accepted: auto, exhaustive, sat/);
    expect(method.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('pe and requant: stages on exit 0, the counterexample on exit 1, one line on exit 2', { timeout: 300_000 }, () => {
    const pe = cli('prove', 'pe', '--weight', 'fixed<4,4>', '--input', 'fixed<4,4>', '--acc', 'fixed<10,10,TRN,SAT>');
    expect(pe.status).toBe(0);
    expect(pe.stdout).toMatch(
      /^pe fixed<4,4> x fixed<4,4> \+ fixed<10,10,TRN,SAT> \(helu-sim circuit\): proven \(decomposition, [\d.]+ s; [\d.]+ s CPU\)\n/,
    );
    expect(pe.stdout).toContain('  exhaustive of 256 inputs');
    expect(pe.stdout).toMatch(/  sat, [\d.]+ s CPU: accumulate: y = overflow\(acc \+ A\)/);
    // half away from zero where the output format rounds half to even: refuted at a tie (e.g. acc = 8: 0.5 -> 0, the unit gives 1)
    const file = join(work, 'rq.v');
    writeFileSync(
      file,
      "module rq(input wire [7:0] acc, output wire [3:0] y);\n  wire [4:0] r = {acc[7], acc[7:4]} + {4'd0, ~acc[7] & acc[3]};\n  assign y = r[4] != r[3] ? 4'h7 : r[3:0];\nendmodule\n",
    );
    const rq = cli('prove', 'requant', '--acc', 'fixed<8,4>', '--out', 'fixed<4,4,RND_CONV,SAT>', '--rtl', file);
    expect(rq.status).toBe(1);
    expect(rq.stdout).toMatch(/counterexample acc = -?\d+ \(-?[\d.]+\): expected y = -?\d+ \(-?[\d.]+\), got -?\d+/);
    // a user's PE is proven by enumerating its multiplier's operand pairs: 16 x 16 is refused (helu-sim's own is proven by its cut points)
    const wide = cli('prove', 'pe', '--weight', 'int16', '--input', 'int16', '--acc', 'fixed<48,48>', '--rtl', file);
    expect(wide.status).toBe(2);
    expect(wide.stderr).toMatch(/^helu-sim: prove pe: weight and input widths together must be 5\.\.24 bits for a user PE [^\n]*got 32\n$/);
    const affine = cli('prove', 'requant', '--acc-bits', '32', '--out', 'fixed<8,4>');
    expect(affine.status).toBe(2);
    expect(affine.stderr).toMatch(/^helu-sim: verilog requant --acc-bits: --out must be an integer type[^\n]*\n$/);
  });
});
