// The gate table against each gate's truth table written out here, and the
// kernels' entry checks: an unknown cell type, a wrong pin count, a net
// outside the netlist and a short buffer are errors, never silent zeros.
import { describe, expect, it } from 'vitest';
import { GATES, gateInfo } from '../../src/netlist/gates.js';
import { Netlist, type GateType } from '../../src/netlist/ir.js';
import { compileKernel } from '../../src/netlist/sim/kernel.js';
import { interpretKernel } from '../../src/netlist/sim/interp.js';

/** Yosys simcells truth tables, one bit each: inputs in pin order. */
const TRUTH: Record<Exclude<GateType, '$_DFF_P_'>, (a: number, b: number, s: number) => number> = {
  $_NOT_: (a) => 1 - a,
  $_AND_: (a, b) => (a && b ? 1 : 0),
  $_OR_: (a, b) => (a || b ? 1 : 0),
  $_XOR_: (a, b) => (a !== b ? 1 : 0),
  $_NAND_: (a, b) => (a && b ? 0 : 1),
  $_NOR_: (a, b) => (a || b ? 0 : 1),
  $_XNOR_: (a, b) => (a === b ? 1 : 0),
  $_ANDNOT_: (a, b) => (a && !b ? 1 : 0),
  $_ORNOT_: (a, b) => (a || !b ? 1 : 0),
  $_MUX_: (a, b, s) => (s ? b : a),
};

const kernels = { compiled: compileKernel, interpreted: interpretKernel };

function oneGate(type: GateType): { net: Netlist; ins: number[]; out: number } {
  const net = new Netlist(type);
  const ins = net.addInput('x', GATES[type].pins.length);
  const out = net.addCell(type, ins);
  net.addOutput('y', [out]);
  return { net, ins, out };
}

describe('the gate table', () => {
  for (const [name, make] of Object.entries(kernels)) {
    it(`${name}: every combinational gate matches its truth table on all input combinations`, () => {
      for (const t of Object.keys(TRUTH) as (keyof typeof TRUTH)[]) {
        const { net, ins, out } = oneGate(t);
        const k = make(net, { mode: 'transparent', inputs: ins, outputs: [out], maxWords: 1 });
        const n = ins.length;
        const input = new Int32Array(n);
        // vector j (bit j of each word) carries input combination j
        for (let j = 0; j < 2 ** n; j++) for (let p = 0; p < n; p++) if ((j >> p) & 1) input[p]! |= 1 << j;
        const output = new Int32Array(1);
        k.run(input, output, 1, 0);
        for (let j = 0; j < 2 ** n; j++) {
          expect((output[0]! >>> j) & 1, `${t} on combination ${j}`).toBe(TRUTH[t]((j >> 0) & 1, (j >> 1) & 1, (j >> 2) & 1));
        }
      }
    });

    it(`${name}: an unknown cell type, a wrong pin count and a net outside the netlist are errors at entry`, () => {
      const { net, ins, out } = oneGate('$_AND_');
      (net.cells as { type: string; inputs: number[]; output: number }[]).push({ type: '$_FOO_', inputs: [ins[0]!], output: net.newNet() });
      expect(() => make(net, { mode: 'transparent', inputs: ins, outputs: [out], maxWords: 1 })).toThrow(/unknown cell type '\$_FOO_'/);
      const short = oneGate('$_XOR_');
      (short.net.cells[0]!.inputs as number[]).pop();
      expect(() => make(short.net, { mode: 'transparent', inputs: short.ins, outputs: [short.out], maxWords: 1 })).toThrow(
        /has 1 inputs; it takes 2 \(A, B\)/,
      );
      const g = oneGate('$_OR_');
      expect(() => make(g.net, { mode: 'transparent', inputs: g.ins, outputs: [g.out + 100], maxWords: 1 })).toThrow(
        /kernel output 0 is net \d+, outside/,
      );
    });

    it(`${name}: a buffer shorter than the rows and words asked is an error, not zeros or stale words`, () => {
      const { net, ins, out } = oneGate('$_AND_');
      const k = make(net, { mode: 'transparent', inputs: ins, outputs: [out], maxWords: 4 });
      // two input rows of 4 words: the second row's 3 words end at index 4 + 3
      expect(() => k.run(new Int32Array(6), new Int32Array(4), 3, 0)).toThrow(/input buffer holds 6 words/);
      expect(() => k.run(new Int32Array(8), new Int32Array(2), 3, 0)).toThrow(/output buffer holds 2 words/);
      expect(() => k.run(new Int32Array(8), new Int32Array(4), 5, 0)).toThrow(/sized for 4 words, asked 5/);
      expect(() => k.run(new Int32Array(7), new Int32Array(3), 3, 0)).not.toThrow();
    });
  }

  it('gateInfo names the accepted types for anything else', () => {
    expect(() => gateInfo('toString')).toThrow(/unknown cell type 'toString' \(accepted: \$_NOT_/);
    expect(gateInfo('$_MUX_').pins).toEqual(['A', 'B', 'S']);
  });
});
