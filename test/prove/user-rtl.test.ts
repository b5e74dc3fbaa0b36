import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOutputFormat } from '../../src/activations/index.js';
import { UserError } from '../../src/errors.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { proveRtl, type MethodChoice } from '../../src/prove/index.js';
import { withTempDir } from '../helpers/tools.js';

/*
 * A hand-written ReLU unit x fixed<W,W/2> -> y fixed<W-2,W/2> (two fraction
 * bits dropped, saturating): written here from the rounding table, not by
 * helu-sim. With `away` it rounds half away from zero (for y >= 0: half up)
 * instead of half to even, which differs exactly on ties whose floor is even.
 */
function reluRtl(w: number, away: boolean, latency = 0): string {
  const wo = w - 2;
  const up = away ? 'half' : 'half & (rest | fl[0])';
  const out = latency === 0 ? `assign y = sat;` : `reg [${wo - 1}:0] r1;\n  always @(posedge clk) r1 <= sat;\n  assign y = r1;`;
  return `module my_relu(${latency > 0 ? 'input wire clk, ' : ''}input wire [${w - 1}:0] x, output wire [${wo - 1}:0] y);
  wire [${w - 2}:0] p = x[${w - 1}] ? ${w - 1}'d0 : x[${w - 2}:0];
  wire [${w - 4}:0] fl = p[${w - 2}:2];
  wire half = p[1];
  wire rest = p[0];
  wire up = ${up};
  wire [${wo - 1}:0] r = {1'b0, fl} + {{${wo - 1}{1'b0}}, up};
  wire [${wo - 1}:0] sat = r[${wo - 1}] ? {1'b0, {${wo - 1}{1'b1}}} : r;
  ${out}
endmodule
`;
}

async function prove(text: string, w: number, method: MethodChoice, latency = 0) {
  return withTempDir(async (dir) => {
    const file = join(dir, 'my_relu.v');
    writeFileSync(file, text);
    return proveRtl(
      { file, top: 'my_relu', latency },
      'relu',
      parseFormat(`fixed<${w},${w / 2}>`),
      parseOutputFormat(`fixed<${w - 2},${w / 2}>`),
      { method },
    );
  });
}

describe('prove --rtl: a user unit against the model', () => {
  it.each([
    [8, 'auto'],
    [16, 'sat'],
  ] as const)('half to even is proven, half away from zero refuted at a tie (%i bits, %s)', async (w, method) => {
    const good = await prove(reluRtl(w, false), w, method);
    expect(good.proven).toBe(true);
    const bad = await prove(reluRtl(w, true), w, method);
    expect(bad.proven).toBe(false);
    const c = bad.counterexample!;
    // a tie: x >= 0, two dropped bits 10, kept LSB even; half to even keeps floor, half away adds one
    expect(c.x >= 0n && (c.x & 3n) === 2n && ((c.x >> 2n) & 1n) === 0n).toBe(true);
    expect(c.expected).toBe(c.x >> 2n);
    expect(c.got).toBe((c.x >> 2n) + 1n);
  });

  it('a one-stage pipelined unit is proven with --latency 1 and refused without it', async () => {
    expect((await prove(reluRtl(8, false, 1), 8, 'auto', 1)).proven).toBe(true);
    await expect(prove(reluRtl(8, false, 1), 8, 'auto', 0)).rejects.toThrow(/ports .*clk.*expected input x\[8\], output y\[6\] \(/);
    await expect(prove(reluRtl(8, false, 1), 8, 'auto', 2)).rejects.toThrow(/y is 1 register stage\(s\) after the inputs, expected 2/);
  });

  it('bad units are user errors: unreadable Verilog, wrong port widths, unsupported constructs', async () => {
    await expect(prove('module my_relu(input x; endmodule', 8, 'auto')).rejects.toThrow(UserError);
    await expect(prove(reluRtl(10, false), 8, 'auto')).rejects.toThrow(
      /has ports input x\[10\], output y\[8\]; expected input x\[8\], output y\[6\]/,
    );
    const undef = "module my_relu(input wire [7:0] x, output wire [5:0] y); assign y = 6'bx; endmodule\n";
    await expect(prove(undef, 8, 'auto')).rejects.toThrow(UserError);
    await expect(proveRtl({ file: '/nonexistent/u.v' }, 'relu', parseFormat('fixed<8,4>'))).rejects.toThrow(/cannot read Verilog file/);
  });
});
