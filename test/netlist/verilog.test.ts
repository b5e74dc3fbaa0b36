import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CircuitBuilder,
  isVerilogIdentifier,
  multiply,
  pipeline,
  prune,
  sanitizeIdentifier,
  simulateVectors,
  toStructuralVerilog,
} from '../../src/netlist/index.js';

describe('Verilog identifiers', () => {
  it('recognises simple identifiers and rejects keywords and bad characters', () => {
    for (const ok of ['x', 'x_1', '_a', 'A$b', 'relu8']) expect(isVerilogIdentifier(ok)).toBe(true);
    for (const bad of ['', '1x', 'a-b', 'module', 'wire', 'a b', '$x', 'é']) expect(isVerilogIdentifier(bad)).toBe(false);
  });

  it('sanitizes anything into a valid identifier, identity on valid ones', () => {
    for (const s of ['', '1x', 'a-b', 'module', 'conv.weight[0]', '$x', 'é', 'ok_name']) {
      const r = sanitizeIdentifier(s);
      expect(isVerilogIdentifier(r)).toBe(true);
      if (isVerilogIdentifier(s)) expect(r).toBe(s);
    }
    expect(sanitizeIdentifier('conv.weight[0]')).toBe('conv_weight_0_');
    expect(sanitizeIdentifier('module')).toBe('module_');
  });
});

function mul4() {
  const b = new CircuitBuilder('mul-4x4');
  const x = b.input('x', 4),
    y = b.input('reg', 4);
  b.output('p', multiply(b, x, y, true, true));
  prune(b.net);
  return b.net;
}

describe('toStructuralVerilog', () => {
  it('writes one assign per cell and one always block per register', () => {
    const net = pipeline(mul4(), 1);
    const v = toStructuralVerilog(net);
    expect(v).toMatch(/^module mul_4x4 \(/);
    expect(v).toContain('input wire [3:0] reg_');
    const comb = net.cells.filter((c) => c.type !== '$_DFF_P_').length;
    expect(v.match(/^ {2}assign n\d+ = /gm)).toHaveLength(comb);
    expect(v.match(/always @\(posedge clk\)/g)).toHaveLength(net.cells.length - comb);
  });

  it('Icarus Verilog simulates the written netlist to the same outputs', () => {
    const net = mul4();
    const dir = mkdtempSync(join(tmpdir(), 'vlog-'));
    writeFileSync(join(dir, 'dut.v'), toStructuralVerilog(net));
    writeFileSync(
      join(dir, 'tb.v'),
      `module tb;
  reg [3:0] x, r; wire [7:0] p; integer i;
  mul_4x4 dut(.x(x), .reg_(r), .p(p));
  initial begin
    for (i = 0; i < 256; i = i + 1) begin x = i[3:0]; r = i[7:4]; #1 $display("%0d", p); end
  end
endmodule
`,
    );
    execFileSync('iverilog', ['-o', join(dir, 'sim'), join(dir, 'tb.v'), join(dir, 'dut.v')]);
    const lines = execFileSync('vvp', ['-n', join(dir, 'sim')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    const xs = Array.from({ length: 256 }, (_, i) => i & 15),
      ys = Array.from({ length: 256 }, (_, i) => i >> 4);
    const ours = simulateVectors(net, { x: xs, reg: ys }, 256).outputs.p;
    expect(lines).toEqual([...ours]);
    // and both are the signed product
    xs.forEach((x, i) => expect(BigInt.asIntN(8, BigInt(lines[i]))).toBe(BigInt.asIntN(4, BigInt(x)) * BigInt.asIntN(4, BigInt(ys[i]))));
  });
});
