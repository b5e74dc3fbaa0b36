import { describe, expect, it } from 'vitest';
import { describeActivation, renderActivationTable } from '../../src/activations/index.js';
import { fmt } from './helpers.js';

const KEYS = [
  'activation',
  'input',
  'output',
  'cells',
  'gates',
  'transistors',
  'nand2Equivalents',
  'depth',
  'delayPs',
  'cycles',
  'areaUm2',
  'energyFjPerOp',
  'romBits',
  'verification',
];

describe('describeActivation', () => {
  it('headline: HeLU at fixed<8,4> is <= 8 gates, depth <= 2, 0 cycles, exhaustive over 256 vectors', () => {
    const r = describeActivation('helu', fmt(true, 8, 4));
    expect(Object.keys(r)).toEqual(KEYS);
    expect(r.activation).toBe('helu');
    expect(r.input).toBe('fixed<8,4>');
    expect(r.output).toBe('fixed<8,4,RND_CONV,SAT>');
    expect(r.cells).toEqual({ $_ANDNOT_: 7 });
    expect(r.gates).toBe(7);
    expect(r.transistors).toBe(42);
    expect(r.depth).toBe(1);
    expect(r.cycles).toBe(0);
    expect(r.romBits).toBe(0);
    expect(r.delayPs).toBeGreaterThan(0);
    expect(r.areaUm2).toBeGreaterThan(0);
    expect(r.energyFjPerOp).toBeGreaterThan(0);
    expect(r.verification).toEqual({ method: 'exhaustive', proven: true, vectors: 256, mismatches: 0 });
  });

  it('pipelined: registers counted, latency in cycles, still verified', () => {
    const r = describeActivation('relu', fmt(true, 8, 4), undefined, { pipeline: 2 });
    expect(r.cycles).toBe(2);
    expect(r.cells.$_DFF_P_ ?? 0).toBeGreaterThan(0);
    expect(r.gates).toBe(7);
    expect(r.verification).toEqual({ method: 'exhaustive', proven: true, vectors: 256, mismatches: 0 });
  });

  it('tables report their ROM bits; wide inputs without a proof are checked on a labelled sample', () => {
    const g = describeActivation('gelu', fmt(true, 8, 4));
    expect(g.romBits).toBe(256 * 8);
    expect(g.verification.mismatches).toBe(0);
    const w = describeActivation('helu', fmt(true, 24, 12));
    expect(w.verification).toMatchObject({ method: 'sample', proven: false });
    expect(w.verification.mismatches).toBe(0);
    expect(w.gates).toBe(23);
  });

  it('asap7 is smaller and faster than nangate45 for the same circuit', () => {
    const a = describeActivation('helu', fmt(true, 8, 4), undefined, { tech: 'asap7' });
    const n = describeActivation('helu', fmt(true, 8, 4), undefined, { tech: 'nangate45' });
    expect(a.areaUm2).toBeLessThan(n.areaUm2);
    expect(a.gates).toBe(n.gates);
  });

  it('renders a readable table', () => {
    const text = renderActivationTable([describeActivation('helu', fmt(true, 8, 4)), describeActivation('gelu', fmt(true, 8, 4))]);
    expect(text).toMatch(/^activation\s+output\s+gates/);
    expect(text).toMatch(/helu\s+fixed<8,4,RND_CONV,SAT>\s+7\s/);
    expect(text).toMatch(/gelu/);
  });
});
