// Packed integer arrays in the model file (schema version 2): a round trip restores every
// integer exactly (edges of each packed type included), version 1 files stay readable, and a
// malformed packed array is a UserError naming the field.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { intModelToJson, loadIntModel, saveIntModel } from '../../../src/sim/quantize/io.js';
import { packValue, unpackValue } from '../../../src/sim/quantize/packing.js';
import { digitInputs, mlpGraph } from '../graphs.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-sim-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = quantizeModel(mlpGraph(), digitInputs(1, 50), { perChannel: true });

describe('packed integer arrays', () => {
  it('pack then unpack is the identity on integer arrays of any range (int8 .. safe integers)', () => {
    const edge = fc.constantFrom(
      -128,
      127,
      -129,
      128,
      -32768,
      32767,
      32768,
      -(2 ** 31),
      2 ** 31 - 1,
      2 ** 31,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      0,
    );
    const value = fc.oneof(edge, fc.integer({ min: -128, max: 127 }), fc.integer(), fc.maxSafeInteger());
    fc.assert(
      fc.property(fc.array(value, { minLength: 256, maxLength: 600 }), (a) => {
        const packed = packValue({ codes: a }) as { codes: { packed: string } };
        expect(packed.codes.packed).toMatch(/^(int8|int16|int32|float64)$/);
        expect(unpackValue(JSON.parse(JSON.stringify(packed)), 'x')).toEqual({ codes: a });
      }),
      { seed: 5656, numRuns: 200 },
    );
  });

  it('the narrowest type is chosen; short arrays and non-integers stay plain', () => {
    const n = (v: number) => Array.from({ length: 300 }, (_, i) => (i === 0 ? v : 0));
    expect((packValue(n(-128)) as { packed: string }).packed).toBe('int8');
    expect((packValue(n(128)) as { packed: string }).packed).toBe('int16');
    expect((packValue(n(-32769)) as { packed: string }).packed).toBe('int32');
    expect((packValue(n(2 ** 31)) as { packed: string }).packed).toBe('float64');
    expect(packValue([1, 2, 3])).toEqual([1, 2, 3]);
    expect(Array.isArray(packValue(n(0.5)))).toBe(true);
  });

  it('a saved model is version 2 with packed weights, smaller than plain JSON, and loads back equal', () => {
    const path = join(dir, 'm.q.json');
    saveIntModel(path, model);
    const text = readFileSync(path, 'utf8');
    expect(JSON.parse(text).schemaVersion).toBe(2);
    expect(text).toContain('"packed": "int8"');
    expect(text.length).toBeLessThan(JSON.stringify(model).length);
    expect(loadIntModel(path)).toEqual(JSON.parse(JSON.stringify(model)));
  });

  it('a version 1 file (plain arrays) still loads', () => {
    const path = join(dir, 'v1.q.json');
    writeFileSync(path, JSON.stringify({ ...model, schemaVersion: 1 }));
    expect(loadIntModel(path).layers).toEqual(JSON.parse(JSON.stringify(model.layers)));
  });

  it('a malformed packed array is one UserError naming the field', () => {
    const j = JSON.parse(intModelToJson(model));
    const conv = j.layers.findIndex((l: { weights?: { codes: unknown } }) => l.weights && !Array.isArray(l.weights.codes));
    expect(conv).toBeGreaterThanOrEqual(0);
    const path = join(dir, 'bad.q.json');
    const bad = (f: (codes: Record<string, unknown>) => void, re: RegExp) => {
      const k = JSON.parse(JSON.stringify(j));
      f(k.layers[conv].weights.codes);
      writeFileSync(path, JSON.stringify(k));
      expect(() => loadIntModel(path)).toThrow(UserError);
      expect(() => loadIntModel(path)).toThrow(re);
    };
    bad(
      (c) => {
        c.packed = 'int4';
      },
      new RegExp(`layers\\[${conv}\\]\\.weights\\.codes\\.packed' must be one of int8, int16, int32, float64`),
    );
    bad((c) => {
      c.packed = 'int16';
      c.base64 = 'AAAA';
    }, /holds 3 bytes, not a whole number of int16 values/);
    bad((c) => {
      c.base64 = 'not base64!';
    }, /must be a base64 string/);
    bad((c) => {
      c.base64 = '';
    }, /weights\.codes/);
  });
});
