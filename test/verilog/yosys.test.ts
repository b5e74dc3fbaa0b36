import { describe, expect, it } from 'vitest';
import { behavioralModule, memFile, romModule, signMuxExpression } from '../../src/verilog/index.js';
import { runYosysScript, yosysEquivalent, yosysGateCount } from '../helpers/tools.js';
import { structuralHelu8 } from './fixtures.js';

// All Yosys work of the suite lives in this one file: each worker pays the
// WebAssembly compilation (a few seconds) once.

const square = Array.from({ length: 64 }, (_, i) => BigInt(i * i));
const sqMem = {
  'sq.v': romModule({ name: 'sq', inWidth: 6, outWidth: 12, table: square, style: 'readmemh' }),
  'sq.mem': memFile(square, 12),
};
const sqCase = romModule({ name: 'sq', inWidth: 6, outWidth: 12, table: square, style: 'case' });

describe('Yosys gate counts', () => {
  it("assign y = x[7] ? 8'd0 : x; maps to 7 $_ANDNOT_ (42 transistors)", async () => {
    const g = await yosysGateCount("module helu(input [7:0] x, output [7:0] y);\n  assign y = x[7] ? 8'd0 : x;\nendmodule\n", 'helu');
    expect(g.cells).toEqual({ $_ANDNOT_: 7 });
    expect(g.gates).toBe(7);
    expect(g.registers).toBe(0);
    expect(g.transistors).toBe(42);
  });

  it("with the gate set 'AND' it reproduces the reference figure 7 $_AND_ + 1 $_NOT_", async () => {
    const g = await yosysGateCount(
      { 'h.v': "module helu(input [7:0] x, output [7:0] y);\n  assign y = x[7] ? 8'd0 : x;\nendmodule\n" },
      'helu',
      { gateSet: 'AND' },
    );
    expect(g.cells).toEqual({ $_AND_: 7, $_NOT_: 1 });
    expect(g.transistors).toBe(7 * 6 + 2);
  });

  it('counts pipeline registers apart from gates', async () => {
    const text = behavioralModule({ name: 'relu8p2', inWidth: 8, outWidth: 8, expression: signMuxExpression(8), pipeline: 2 });
    const g = await yosysGateCount(text, 'relu8p2');
    // the sign-bit mux stays 7 gates (not folded into sync-reset flip-flops);
    // output bit 7 is constant 0, so its two flip-flops are removed: 2 x 7
    expect(g.cells).toEqual({ $_ANDNOT_: 7, $_DFF_P_: 14 });
    expect(g.gates).toBe(7);
    expect(g.registers).toBe(14);
  });
});

describe('Yosys equivalence', () => {
  it('proves the $readmemh and case ROM variants equivalent', async () => {
    const r = await yosysEquivalent(sqMem, 'sq', { 'sq_case.v': sqCase }, 'sq');
    expect(r.outcome).toBe('proved');
    expect(r.equivalent).toBe(true);
  });

  it('finds the one entry where two ROMs differ', async () => {
    const wrong = [...square];
    wrong[37] = 5n;
    const r = await yosysEquivalent(sqMem, 'sq', romModule({ name: 'sq', inWidth: 6, outWidth: 12, table: wrong, style: 'case' }), 'sq');
    expect(r.outcome).toBe('counterexample');
    expect(r.equivalent).toBe(false);
  });

  it('proves pipelines of equal latency equivalent whatever their register placement, and tells latencies apart', async () => {
    const outputRegs = behavioralModule({ name: 'relu8p2', inWidth: 8, outWidth: 8, expression: signMuxExpression(8), pipeline: 2 });
    const inputRegs = [
      'module r2(input wire clk, input wire [7:0] x, output wire [7:0] y);',
      '  reg [7:0] a, b;',
      "  always @(posedge clk) begin a <= x; b <= a[7] ? 8'd0 : a; end",
      '  assign y = b;',
      'endmodule',
      '',
    ].join('\n');
    const same = await yosysEquivalent(outputRegs, 'relu8p2', inputRegs, 'r2', { latency: 2 });
    expect(same.outcome).toBe('proved');
    const three = behavioralModule({ name: 'relu8p3', inWidth: 8, outWidth: 8, expression: signMuxExpression(8), pipeline: 3 });
    const differ = await yosysEquivalent(outputRegs, 'relu8p2', three, 'relu8p3', { latency: 3 });
    expect(differ.outcome).toBe('counterexample');
  });

  it('proves behavioral and structural (netlist writer) forms equivalent, combinational and pipelined', async () => {
    const behavioral = behavioralModule({ name: 'helu_w8i4', inWidth: 8, outWidth: 8, expression: signMuxExpression(8) });
    const comb = await yosysEquivalent(behavioral, 'helu_w8i4', structuralHelu8('helu_w8i4'), 'helu_w8i4');
    expect(comb.outcome).toBe('proved');
    const behavioral2 = behavioralModule({ name: 'helu_w8i4', inWidth: 8, outWidth: 8, expression: signMuxExpression(8), pipeline: 2 });
    const piped = await yosysEquivalent(behavioral2, 'helu_w8i4', structuralHelu8('helu_w8i4', 2), 'helu_w8i4', { latency: 2 });
    expect(piped.outcome).toBe('proved');
  });

  it('a script error rejects with the Yosys error line', async () => {
    await expect(runYosysScript({ 'bad.v': 'module bad(input x; endmodule\n' }, 'read_verilog bad.v')).rejects.toThrow(/ERROR/);
  });
});
