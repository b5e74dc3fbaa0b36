import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { convert, parseFormat } from '../../src/fixedpoint/index.js';
import { affineRequantGolden, peGolden, type AffineRequantSpec, type MacFormats, type Pow2RequantSpec } from '../../src/hardware/index.js';
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

/**
 * An affine unit int8 -> int8 (ports as `verilog requant --acc-bits 8`), written from the gemmlowp formulas:
 * SRDHM rounds ties toward +inf; `away` rounds them away from zero (a negative tie goes down).
 */
function affineRtl(away: boolean): string {
  return `module my_affine(input wire [7:0] acc, input wire [31:0] m, input wire [2:0] e, input wire [8:0] zp, output wire [7:0] y);
  wire signed [39:0] prod = $signed(acc) * $signed(m);
  wire signed [40:0] nudged = ${away ? "prod[39] ? prod + 41'sd1073741823 : " : ''}prod + 41'sd1073741824;
  wire signed [9:0] q = nudged[40:31];
  wire signed [7:0] hi = q > 10'sd127 ? 8'sd127 : q < -10'sd128 ? -8'sd128 : q[7:0];
  wire [7:0] mask = ~(8'hff << e);
  wire [7:0] rem = hi & mask;
  wire [7:0] thr = (mask >> 1) + {7'd0, hi[7]};
  wire signed [7:0] sh = hi >>> e;
  wire signed [9:0] scaled = sh + $signed({1'b0, rem > thr});
  wire signed [10:0] sum = scaled + $signed(zp);
  assign y = sum > 11'sd127 ? 8'h7f : sum < -11'sd128 ? 8'h80 : sum[7:0];
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

  it('an affine unit rounding SRDHM ties away from zero is refuted at a negative tie', () =>
    withTempDir(async (dir) => {
      const file = join(dir, 'my_affine.v');
      writeFileSync(file, affineRtl(true));
      const s: AffineRequantSpec = { kind: 'affine', accBits: 8, out: parseFormat('int8') };
      const r = await proveRequantRtl({ file }, s);
      expect(r.proven).toBe(false);
      const v = Object.fromEntries(r.counterexample!.inputs.map((p) => [p.name, p]));
      const prod = v['acc']!.code * v['m']!.code;
      expect(prod < 0n && BigInt.asUintN(31, prod) === 1n << 30n).toBe(true); // acc * m / 2^31 ends in exactly -1/2
      expect(r.counterexample!.expected.raw).toBe(affineRequantGolden(s)(v['acc']!.raw, v['m']!.raw, Number(v['e']!.raw), v['zp']!.raw));
      expect(r.counterexample!.got.raw).not.toBe(r.counterexample!.expected.raw);
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
