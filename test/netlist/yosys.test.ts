import { runYosys } from '@yowasp/yosys';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  CircuitBuilder,
  Netlist,
  costOf,
  fromYosysJson,
  loadTech,
  multiply,
  pipeline,
  prune,
  simulateVectors,
  toYosysJson,
} from '../../src/netlist/index.js';

function build(name: string, w: number, gen: (b: CircuitBuilder, x: number[], y: number[]) => number[]): Netlist {
  const b = new CircuitBuilder(name);
  const x = b.input('x', w),
    y = b.input('y', w);
  b.output('p', gen(b, x, y));
  prune(b.net);
  return b.net;
}

const mul4 = () => build('mul4', 4, (b, x, y) => multiply(b, x, y, true, false));
const relu8 = (): Netlist => {
  const b = new CircuitBuilder('relu8');
  const x = b.input('x', 8);
  b.output('y', [...x.map((xi) => b.andnot(xi, x[7])), 1, 0]); // constant bits exercise "0"/"1"
  prune(b.net);
  return b.net;
};

function sameFunction(a: Netlist, b: Netlist, inputs: Record<string, number[]>, n: number): void {
  const ra = simulateVectors(a, inputs, n).outputs,
    rb = simulateVectors(b, inputs, n).outputs;
  expect(Object.keys(rb).sort()).toEqual(Object.keys(ra).sort());
  for (const k of Object.keys(ra)) expect([...rb[k]]).toEqual([...ra[k]]);
}

const all256 = { x: Array.from({ length: 256 }, (_, i) => i & 15), y: Array.from({ length: 256 }, (_, i) => i >> 4) };

describe('Yosys JSON', () => {
  it('round-trips through toYosysJson / JSON text / fromYosysJson', () => {
    for (const net of [mul4(), pipeline(mul4(), 2)]) {
      const back = fromYosysJson(JSON.parse(JSON.stringify(toYosysJson(net))));
      expect(back.name).toBe(net.name);
      expect(back.ports.map((p) => [p.name, p.direction, p.bits])).toEqual(net.ports.map((p) => [p.name, p.direction, p.bits]));
      expect(costOf(back, loadTech()).cells).toEqual(costOf(net, loadTech()).cells);
      sameFunction(net, back, all256, 256);
    }
    const r = relu8();
    const json = toYosysJson(r) as { modules: Record<string, { ports: Record<string, { bits: unknown[] }> }> };
    expect(json.modules.relu8.ports.y.bits.slice(8)).toEqual(['1', '0']);
    expect(fromYosysJson(json).port('y').bits.slice(8)).toEqual([1, 0]);
  });

  it('rejects unsupported content with UserErrors', () => {
    const json = toYosysJson(mul4()) as {
      modules: Record<string, { cells: Record<string, { type: string; connections: Record<string, unknown[]> }> }>;
    };
    const cells = json.modules.mul4.cells;
    const first = Object.keys(cells)[0];
    const badType = structuredClone(json);
    badType.modules.mul4.cells[first].type = '$add';
    expect(() => fromYosysJson(badType)).toThrow(/cell type '\$add' is not supported/);
    const badBit = structuredClone(json);
    badBit.modules.mul4.cells[first].connections.A = ['x'];
    expect(() => fromYosysJson(badBit)).toThrow(UserError);
    expect(() => fromYosysJson({ modules: {} }, 'nope')).toThrow(/module 'nope' not found/);
    expect(() => fromYosysJson(42)).toThrow(UserError);
  });

  it('the real Yosys reads our JSON, its stat matches our cell and transistor counts, and its write_json reads back', async () => {
    const nets = [
      relu8(),
      mul4(),
      pipeline(
        build('add4', 4, (b, x, y) => x.map((xi, i) => b.xor(xi, y[i]))),
        1,
      ),
    ];
    const files: Record<string, string> = {};
    nets.forEach((n, i) => {
      files[`m${i}.json`] = JSON.stringify(toYosysJson(n));
    });
    let log = '';
    const decoder = new TextDecoder();
    const out = (await runYosys(
      ['-p', `${nets.map((_, i) => `read_json m${i}.json`).join('; ')}; stat -tech cmos; write_json back.json`],
      files,
      {
        stdout: (b) => {
          if (b) log += decoder.decode(b);
        },
        stderr: (b) => {
          if (b) log += decoder.decode(b);
        },
      },
    )) as Record<string, string | Uint8Array>;
    for (const net of nets) {
      const section = log.slice(log.indexOf(`=== ${net.name} ===`));
      const ours = costOf(net, loadTech());
      expect(Number(/Number of cells:\s+(\d+)/.exec(section)![1])).toBe(net.cells.length);
      for (const [type, n] of Object.entries(ours.cells)) {
        expect(Number(new RegExp(type.replace(/\$/g, '\\$') + '\\s+(\\d+)').exec(section)![1])).toBe(n);
      }
      expect(Number(/Estimated number of transistors:\s+(\d+)/.exec(section)![1])).toBe(ours.transistors);
    }
    const back = JSON.parse(String(typeof out['back.json'] === 'string' ? out['back.json'] : decoder.decode(out['back.json'])));
    sameFunction(mul4(), fromYosysJson(back, 'mul4'), all256, 256);
  });
});
