import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { convert, parseFormat } from '../../src/fixedpoint/index.js';
import { peGolden, type MacFormats, type Pow2RequantSpec } from '../../src/hardware/index.js';
import { provePeRtl, proveRequantRtl } from '../../src/prove/index.js';
import { withTempDir } from '../helpers/tools.js';

/*
 * Users' PE and requantization RTL, hand-written here from the formats'
 * rules (not by helu-sim). A PE int8 x int8 + int16 whose saturation is
 * written out: `sym` saturates negative overflow to -32767 (SAT_SYM's bound)
 * where SAT gives -32768. A requantization fixed<12,6> -> fixed<8,6> dropping
 * four fraction bits: `away` rounds half away from zero instead of half to
 * even, which differs exactly on ties whose floor is even.
 */
function peRtl(sym: boolean): string {
  return `module my_pe(input wire clk, input wire [7:0] w, input wire [7:0] x, input wire [15:0] acc,
                 output reg [15:0] y, output wire [7:0] x_out);
  reg [7:0] wq, xq;
  wire signed [15:0] p = $signed(wq) * $signed(xq);
  wire [16:0] s = {acc[15], acc} + {p[15], p};
  wire ovf = s[16] != s[15];
  always @(posedge clk) begin
    wq <= w;
    xq <= x;
    y <= ovf ? (s[16] ? 16'h${sym ? '8001' : '8000'} : 16'h7fff) : s[15:0];
  end
  assign x_out = xq;
endmodule
`;
}

function requantRtl(away: boolean): string {
  return `module my_requant(input wire [11:0] acc, output wire [7:0] y);
  wire [7:0] fl = acc[11:4];
  wire up = ${away ? "~acc[11] ? acc[3] : (acc[3] & (acc[2:0] != 3'd0))" : "acc[3] & ((acc[2:0] != 3'd0) | fl[0])"};
  wire [8:0] r = {fl[7], fl} + {8'd0, up};
  assign y = (r[8] != r[7]) ? 8'h7f : r[7:0];
endmodule
`;
}

const pe: MacFormats = { weight: parseFormat('int8'), input: parseFormat('int8'), acc: parseFormat('fixed<16,16,TRN,SAT>') };
const rq: Pow2RequantSpec = { kind: 'pow2', acc: [parseFormat('fixed<12,6>')], out: parseFormat('fixed<8,6,RND_CONV,SAT>') };

describe("prove pe/requant --rtl: users' units", () => {
  it('a PE with SAT written out is proven; with the symmetric bound it is refuted at a negative overflow', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'my_pe.v');
      writeFileSync(file, peRtl(false));
      expect((await provePeRtl({ file }, pe)).proven).toBe(true);
      writeFileSync(file, peRtl(true));
      const r = await provePeRtl({ file }, pe);
      expect(r.proven).toBe(false);
      const [w, x, acc] = r.counterexample!.inputs.map((p) => p.raw);
      expect(r.counterexample!.expected.raw).toBe(peGolden(pe)(w!, x!, acc!).y);
      expect(r.counterexample!.expected.code).toBe(-32768n);
      expect(r.counterexample!.got.code).toBe(-32767n);
      // as SAT_SYM the same unit is wrong the other way: a sum of exactly -32768 must become -32767
      const sym = await provePeRtl({ file }, { ...pe, acc: parseFormat('fixed<16,16,TRN,SAT_SYM>') });
      expect([sym.counterexample!.expected.code, sym.counterexample!.got.code]).toEqual([-32767n, -32768n]);
    }));

  it('a requantization rounding half to even is proven; half away from zero is refuted at a tie', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'my_requant.v');
      writeFileSync(file, requantRtl(false));
      expect((await proveRequantRtl({ file }, rq)).proven).toBe(true);
      writeFileSync(file, requantRtl(true));
      const r = await proveRequantRtl({ file }, rq);
      expect(r.proven).toBe(false);
      const acc = r.counterexample!.inputs[0]!.code;
      expect(acc & 15n).toBe(8n); // a tie: the dropped bits are 1000
      expect(r.counterexample!.expected.code).toBe(convert(acc, rq.acc[0]!, rq.out).code);
      const d = r.counterexample!.got.code - r.counterexample!.expected.code;
      expect(d === 1n || d === -1n).toBe(true); // away from zero where half to even went to the even neighbour
    }));

  it('wrong ports or register stages are user errors', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'my_pe.v');
      writeFileSync(file, peRtl(false));
      await expect(provePeRtl({ file }, { ...pe, acc: parseFormat('fixed<24,24>') })).rejects.toThrow(
        /has ports .*expected .*input acc\[24\]/,
      );
      writeFileSync(file, peRtl(false).replace('assign x_out = xq;', 'assign x_out = x;'));
      const e = await provePeRtl({ file }, pe).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toMatch(/x_out is 0 register stage\(s\) after the inputs, expected 1/);
    }));
});
