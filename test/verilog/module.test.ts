import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { behavioralModule, romModule, signMuxExpression, testbench, testbenchVerdict } from '../../src/verilog/index.js';

describe('behavioralModule', () => {
  it('writes the HeLU sign-bit mux as one assign', () => {
    const text = behavioralModule({
      name: 'helu_w8i4',
      inWidth: 8,
      outWidth: 8,
      expression: signMuxExpression(8),
      comment: ['HeLU on fixed<8,4>'],
    });
    expect(text).toBe(
      [
        '// HeLU on fixed<8,4>',
        '`default_nettype none',
        'module helu_w8i4 (',
        '  input  wire [7:0] x,',
        '  output wire [7:0] y',
        ');',
        "  assign y = x[7] ? {8{1'b0}} : x;",
        'endmodule',
        '`default_nettype wire',
        '',
      ].join('\n'),
    );
  });
  it('pipelines with N register ranks on the output and a clk port', () => {
    const text = behavioralModule({ name: 'p', inWidth: 4, outWidth: 4, expression: 'x', pipeline: 3 });
    expect(text).toContain('  input  wire clk,');
    expect(text).toContain('  reg [3:0] stage1, stage2, stage3;');
    expect(text).toContain('    stage1 <= x;\n    stage2 <= stage1;\n    stage3 <= stage2;');
    expect(text).toContain('  assign y = stage3;');
  });
  it('refuses an illegal module name with a UserError', () => {
    expect(() => behavioralModule({ name: 'my unit', inWidth: 4, outWidth: 4, expression: 'x' })).toThrow(UserError);
    expect(() => testbench({ name: 'reg', inWidth: 1, outWidth: 1, inputs: [0n], outputs: [0n] })).toThrow(UserError);
  });
  it('keeps comments on comment lines', () => {
    const text = behavioralModule({ name: 'm', inWidth: 1, outWidth: 1, expression: 'x', comment: ['a\nb', 'c\u0007'] });
    expect(text.startsWith('// a\n// b\n// c\n')).toBe(true);
  });
});

describe('romModule', () => {
  const table = [3n, 0n, 2n, 1n];
  it('case variant lists every entry, the last as default', () => {
    const text = romModule({ name: 'r', inWidth: 2, outWidth: 2, table, style: 'case' });
    expect(text).toContain("      2'h0: f = 2'h3;\n      2'h1: f = 2'h0;\n      2'h2: f = 2'h2;\n      default: f = 2'h1;\n");
  });
  it('$readmemh variant reads <name>.mem', () => {
    const text = romModule({ name: 'r', inWidth: 2, outWidth: 2, table, style: 'readmemh' });
    expect(text).toContain('  reg [1:0] rom [0:3];\n  initial $readmemh("r.mem", rom);\n  assign y = rom[x];');
  });
  it('refuses a table of the wrong size or width', () => {
    expect(() => romModule({ name: 'r', inWidth: 3, outWidth: 2, table, style: 'case' })).toThrow(/2\^3/);
    expect(() => romModule({ name: 'r', inWidth: 2, outWidth: 1, table, style: 'case' })).toThrow(/entry 0/);
  });
});

describe('testbench', () => {
  it('packs {x, y} per vector line and names its files after the module', () => {
    const tb = testbench({ name: 'u', inWidth: 3, outWidth: 6, inputs: [0n, 7n], outputs: [0x3fn, 1n] });
    expect(tb.top).toBe('u_tb');
    expect(tb.verilogFile).toBe('u_tb.v');
    expect(tb.vectorFile).toBe('u_tb.mem');
    expect(tb.vectors).toBe('03f\n1c1\n');
    expect(tb.verilog).toContain('$readmemh("u_tb.mem", vectors);');
    expect(() => testbench({ name: 'u', inWidth: 3, outWidth: 6, inputs: [8n], outputs: [0n] })).toThrow(/does not fit/);
  });
  it('verdict is the last PASS / FAIL line', () => {
    expect(testbenchVerdict('PASS\n')).toEqual({ pass: true, mismatches: 0 });
    expect(testbenchVerdict('MISMATCH x=1\nFAIL 12\nt.v:3: $finish called\n')).toEqual({ pass: false, mismatches: 12 });
    expect(testbenchVerdict('nothing\n')).toBeUndefined();
  });
});
