import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { parseFormat } from '../../../src/fixedpoint/format.js';
import { runFloat } from '../../../src/models/infer.js';
import { buildGraph } from '../../../src/models/shapes.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { loadQuantConfig, parseQuantConfig } from '../../../src/sim/quantize/config.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInteger } from '../../../src/sim/engine/run.js';
import { verifyModel } from '../../../src/sim/verify/verify.js';
import type { DenseLayer, IntModel } from '../../../src/sim/quantize/model.js';
import { cnnGraph, digitInputs, mlpGraph } from '../graphs.js';

const calib = digitInputs(11, 200);
const data = digitInputs(12, 100);

/** max |integer output - float output| relative to max |float output|. */
function relError(m: IntModel, g: ReturnType<typeof mlpGraph>, out: string): number {
  const f = runFloat(g, data.x, data.count, { intermediates: true }).tensors!.get(out)!;
  const codes = runInteger(m, data.x, data.count).tensors.get(m.outputs[0]!)!;
  const F = (() => {
    const fm = parseFormat((m.layers.at(-1)!.out as { format: string }).format);
    return fm.width - fm.intBits;
  })();
  let err = 0,
    mag = 0;
  for (let i = 0; i < f.length; i++) {
    err = Math.max(err, Math.abs(codes[i]! * 2 ** -F - f[i]!));
    mag = Math.max(mag, Math.abs(f[i]!));
  }
  return err / mag;
}

describe('export folding', () => {
  it('power-of-two input scale goes into the input format; softmax omitted and recorded', () => {
    const g = mlpGraph();
    const m = quantizeModel(g, calib);
    expect(m.input).toMatchObject({ name: 'normalized', rawScaleLog2: -4 });
    expect(m.outputs).toEqual(['logits']);
    expect(m.metadata.softmax).toMatch(/argmax is invariant/);
    expect(m.layers.map((l) => l.op)).toEqual(['flatten', 'dense', 'activation', 'dense']);
    expect(relError(m, g, 'logits')).toBeLessThan(0.05);
  });

  it('a non-power-of-two scale folds into the first dense layer through flatten', () => {
    const g = mlpGraph(3, 'Div', 1 / 15);
    const m = quantizeModel(g, calib, { bits: 12 });
    expect(m.input.name).toBe('input');
    expect(m.input.rawScaleLog2).toBeUndefined();
    expect(m.layers[0]).toMatchObject({ op: 'flatten', output: 'flat@raw' });
    expect(m.layers[1]).toMatchObject({ op: 'dense', name: 'fc1', folded: ['normalize'] });
    expect(relError(m, g, 'logits')).toBeLessThan(0.01);
  });

  it('BatchNorm folds into conv, normalization with padding becomes a scale layer, MatMul+Add is dense', () => {
    const g = cnnGraph();
    const m = quantizeModel(g, calib, { bits: 14 });
    const ops = m.layers.map((l) => `${l.op}:${l.name}`);
    expect(ops[0]).toBe('conv:scale');
    expect(m.layers[0]).toMatchObject({ group: 1, folded: ['center', 'scale'] });
    expect(m.layers.find((l) => l.name === 'conv1')).toMatchObject({ output: 'b1', folded: ['bn1'] });
    expect(m.layers.find((l) => l.name === 'dw')).toMatchObject({ output: 'b2', folded: ['bn2'], group: 4 });
    expect(m.layers.some((l) => l.op === 'dense' && l.output === 'logits')).toBe(true);
    expect(relError(m, g as never, 'logits')).toBeLessThan(0.02);
    const v = verifyModel(m, data, { float: g });
    expect(v.mismatches).toBe(0);
    expect(v.layers.find((l) => l.name === 'conv1')!.sqnrDb).toBeGreaterThan(40);
    const v8 = verifyModel(quantizeModel(g, calib), data, { float: g, mode: 'both' });
    expect([v8.mismatches, v8.modeMismatches, v8.eventMismatches]).toEqual([0, 0, 0]);
  });

  it('Softmax inside the network, Div of two tensors, Mul whose operands do not broadcast: UserError naming the node', () => {
    const g = mlpGraph();
    const inner = buildGraph({
      ...g,
      outputs: ['out'],
      nodes: [
        ...g.nodes.filter((n) => n.op !== 'Softmax'),
        { op: 'Softmax', name: 'sm', inputs: ['a1'], output: 'sm', attrs: { axis: 0 } },
        { op: 'Add', name: 'after', inputs: ['sm', 'a1'], output: 'out', weights: {} },
      ],
    });
    expect(() => quantizeModel(inner, calib)).toThrow(/node 'sm': Softmax is supported only as the network's last operation/);
    const div = buildGraph({
      ...g,
      outputs: ['out'],
      nodes: [...g.nodes.filter((n) => n.op !== 'Softmax'), { op: 'Div', name: 'dv', inputs: ['a1', 'a1'], output: 'out', weights: {} }],
    });
    expect(() => quantizeModel(div, calib)).toThrow(UserError);
    expect(() => quantizeModel(div, calib)).toThrow(
      /node 'dv': Div of two runtime tensors is not supported by the integer simulator \(a quotient by a computed divisor is unbounded near 0/,
    );
  });
});

describe('formats and accumulators', () => {
  it('default accumulators are exactly as wide as the worst case', () => {
    const m = quantizeModel(mlpGraph(), calib);
    for (const l of m.layers.filter((x): x is DenseLayer => x.op === 'dense')) {
      const f = parseFormat((l.acc as { formats: string[] }).formats[0]!);
      const bound = (l.acc as { bound: number }).bound;
      expect(bound).toBeLessThanOrEqual(2 ** (f.width - 1) - 1);
      expect(bound).toBeGreaterThan(2 ** (f.width - 2) - 1);
    }
  });

  it('per-channel weights: one format per output channel', () => {
    const g = mlpGraph();
    const w = (g.nodes.find((n) => n.name === 'fc1') as { weights: { B: { data: Float64Array } } }).weights.B.data;
    for (let k = 0; k < 64; k++) w[k] = w[k]! * 4; // channel 0 four times larger
    const m = quantizeModel(g, calib, { perChannel: true });
    const q = (m.layers[1] as DenseLayer).weights.quant;
    expect(q.kind).toBe('pow2-channel');
    expect((q as { formats: string[] }).formats).toHaveLength(16);
  });

  it('user formats: --weights, --acts, and a narrowed --acc counts events in both paths', () => {
    const m = quantizeModel(mlpGraph(), calib, { weights: 'fixed<6,1>', acts: 'fixed<8,3>', acc: '9' });
    expect((m.layers[1] as DenseLayer).weights.quant).toEqual({ kind: 'pow2', format: 'fixed<6,1,RND_CONV,SAT>' });
    expect(m.input.quant).toEqual({ kind: 'pow2', format: 'fixed<8,3,RND_CONV,SAT>' });
    const v = verifyModel(m, data);
    expect(v.mismatches).toBe(0);
    expect(v.eventMismatches).toBe(0);
    expect(v.layers.find((l) => l.name === 'fc1')!.saturations).toBeGreaterThan(0);
  });

  it('refuses formats the float reference could not compute exactly', () => {
    expect(() => quantizeModel(mlpGraph(), calib, { weights: 'fixed<30,2>', acts: 'fixed<30,4>' })).toThrow(/exact only below 2\^53/);
    expect(() => quantizeModel(mlpGraph(), calib, { acc: 'fixed<60,20>' })).toThrow(/at most 53/);
  });

  it('percentile calibration never widens the ranges of min/max', () => {
    const a = quantizeModel(mlpGraph(), calib);
    const b = quantizeModel(mlpGraph(), calib, { calibration: { percentile: 99 } });
    a.layers.forEach((l, i) => {
      expect(parseFormat((b.layers[i]!.out as { format: string }).format).intBits).toBeLessThanOrEqual(
        parseFormat((l.out as { format: string }).format).intBits,
      );
    });
  });
});

describe('config file', () => {
  it('per-layer overrides apply; modes default to RND_CONV,SAT', () => {
    const config = parseQuantConfig({ layers: { fc1: { weights: 'fixed<4,1>', out: 'fixed<10,5>', acc: 'fixed<24,12,TRN,WRAP>' } } });
    const m = quantizeModel(mlpGraph(), calib, { config });
    const l = m.layers.find((x) => x.name === 'fc1') as DenseLayer;
    expect(l.out).toEqual({ kind: 'pow2', format: 'fixed<10,5,RND_CONV,SAT>' });
    expect(l.weights.quant).toEqual({ kind: 'pow2', format: 'fixed<4,1,RND_CONV,SAT>' });
    expect(l.acc).toMatchObject({ formats: ['fixed<24,12>'] });
  });

  it('a YAML config file reads as the same overrides as its JSON form', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helu-sim-config-'));
    try {
      writeFileSync(join(dir, 'q.yaml'), 'layers:\n  fc1:\n    weights: fixed<4,1>\n    out: "fixed<10,5>"\n');
      writeFileSync(join(dir, 'q.json'), '{"layers": {"fc1": {"weights": "fixed<4,1>", "out": "fixed<10,5>"}}}');
      writeFileSync(join(dir, 'bad.yml'), 'layers: [unclosed');
      expect(loadQuantConfig(join(dir, 'q.yaml'))).toEqual(loadQuantConfig(join(dir, 'q.json')));
      const l = quantizeModel(mlpGraph(), calib, { config: loadQuantConfig(join(dir, 'q.yaml')) }).layers.find(
        (x) => x.name === 'fc1',
      ) as DenseLayer;
      expect(l.out).toEqual({ kind: 'pow2', format: 'fixed<10,5,RND_CONV,SAT>' });
      expect(() => loadQuantConfig(join(dir, 'bad.yml'))).toThrow(/is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad keys are UserErrors naming them', () => {
    expect(() => quantizeModel(mlpGraph(), calib, { config: parseQuantConfig({ layers: { nope: { out: 'fixed<8,3>' } } }) })).toThrow(
      /layers\.nope: no layer of that name; the model's layers are flatten, fc1, act1, fc2/,
    );
    expect(() => parseQuantConfig({ layers: { fc1: { bias: 'fixed<8,3>' } } })).toThrow(/layers\.fc1\.bias: unknown key/);
    expect(() => parseQuantConfig({ layers: { fc1: { out: 'fixed<8>' } } })).toThrow(/layers\.fc1\.out: bad fixed-point format/);
    expect(() => parseQuantConfig({ layer: {} })).toThrow(/unknown key 'layer'/);
    expect(() => parseQuantConfig({ bits: 99 })).toThrow(/"bits" must be an integer/);
  });
});
