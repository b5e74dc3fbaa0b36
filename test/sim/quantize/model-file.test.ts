import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { isIntModelFile, loadIntModel, saveIntModel } from '../../../src/sim/quantize/io.js';
import { validateIntModel } from '../../../src/sim/quantize/validate.js';
import { verifyFailure, type VerifyReport } from '../../../src/sim/verify/verify.js';
import { cnnGraph, digitInputs, mlpGraph } from '../graphs.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-sim-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = quantizeModel(cnnGraph(), digitInputs(1, 50), { perChannel: true });

/** A deep copy of the model with one change. */
function mutate(f: (j: any) => void): unknown {
  const j = JSON.parse(JSON.stringify(model));
  f(j);
  return j;
}

describe('integer model file', () => {
  it('round-trips through save and load; only the target file is written', () => {
    const path = join(dir, 'm.q.json');
    saveIntModel(path, model);
    expect(loadIntModel(path)).toEqual(JSON.parse(JSON.stringify(model)));
    expect(readdirSync(dir)).toEqual(['m.q.json']);
    expect(isIntModelFile(path)).toBe(true);
    const other = join(dir, 'x.json');
    writeFileSync(other, '{"format": "something else"}');
    expect(isIntModelFile(other)).toBe(false);
    expect(isIntModelFile(join(dir, 'missing.json'))).toBe(false);
    expect(readFileSync(path, 'utf8').split('\n')[1]).toBe('  "format": "helu-sim/integer-model",');
  });

  const bad: [string, (j: any) => void, RegExp][] = [
    [
      'schema version',
      (j) => {
        j.schemaVersion = 3;
      },
      /field 'schemaVersion' must be 1 or 2/,
    ],
    [
      'format tag',
      (j) => {
        j.format = 'x';
      },
      /field 'format' must be 'helu-sim\/integer-model'/,
    ],
    [
      'scheme',
      (j) => {
        j.scheme = 'float';
      },
      /field 'scheme' must be one of pow2, affine/,
    ],
    [
      'a code outside its format',
      (j) => {
        j.layers[1].weights.codes[3] = 999;
      },
      /field 'layers\[1\]\.weights\.codes\[3\]' code 999 is outside fixed</,
    ],
    [
      'a non-integer code',
      (j) => {
        j.layers[1].weights.codes[0] = 0.5;
      },
      /field 'layers\[1\]\.weights\.codes\[0\]' must be an integer/,
    ],
    [
      'an unknown input tensor',
      (j) => {
        j.layers[0].inputs[0] = 'nope';
      },
      /field 'layers\[0\]\.inputs\[0\]' names 'nope'/,
    ],
    [
      'a malformed format',
      (j) => {
        j.layers[1].out.format = 'fixed<8,x>';
      },
      /field 'layers\[1\]\.out\.format' bad fixed-point format 'fixed<8,x>'/,
    ],
    [
      'a wrong shape',
      (j) => {
        j.layers[1].shape = [3, 3, 3];
      },
      /field 'layers\[1\]\.shape' must be \[/,
    ],
    [
      'a too-wide accumulator',
      (j) => {
        j.layers[1].acc.formats = ['fixed<60,20>'];
      },
      /layers\[1\]\.acc\.formats\[0\]' is 60 bits wide; the simulator takes at most 53/,
    ],
    [
      'an unknown activation',
      (j) => {
        j.layers.find((l: any) => l.op === 'activation').activation = 'swoosh';
      },
      /\.activation' unknown activation 'swoosh'/,
    ],
    [
      'an unknown op',
      (j) => {
        j.layers[2].op = 'lstm';
      },
      /field 'layers\[2\]\.op' must be one of dense, conv/,
    ],
    [
      'a missing output',
      (j) => {
        j.outputs = ['zzz'];
      },
      /field 'outputs\[0\]' names 'zzz'/,
    ],
    [
      'a per-channel list of the wrong length',
      (j) => {
        const l = j.layers.find((x: any) => x.weights?.quant.kind === 'pow2-channel');
        l.weights.quant.formats.pop();
      },
      /weights\.quant\.formats' must list \d+ formats/,
    ],
    [
      'a maxpool that requantizes',
      (j) => {
        const l = j.layers.find((x: any) => x.op === 'maxpool');
        l.out.format = 'fixed<8,7>';
      },
      /\.out' must equal the input's format/,
    ],
    [
      'inexact accumulation',
      (j) => {
        j.layers[1].acc.formats = ['fixed<53,-20>'];
      },
      /the float reference is exact only below 2\^53/,
    ],
  ];
  for (const [what, f, re] of bad) {
    it(`rejects ${what}, naming the field`, () => {
      expect(() => validateIntModel(mutate(f))).toThrow(re);
    });
  }

  it('load names the file; malformed JSON is a UserError', () => {
    const p = join(dir, 'broken.q.json');
    writeFileSync(p, '{"format": ');
    expect(() => loadIntModel(p)).toThrow(/is not valid JSON/);
    writeFileSync(
      p,
      JSON.stringify(
        mutate((j) => {
          j.schemaVersion = 7;
        }),
      ),
    );
    expect(() => loadIntModel(p)).toThrow(new RegExp(`${p.replace(/[.]/g, '\\.')}: integer model: field 'schemaVersion'`));
    expect(() => loadIntModel(join(dir, 'none.json'))).toThrow(/cannot read integer model .*ENOENT/);
  });

  it('verifyFailure names the first mismatch', () => {
    const r = {
      mismatches: 2,
      eventMismatches: 0,
      firstMismatch: { layer: 'fc1', tensor: 'h1', sample: 4, index: 7, integer: 0.5, code: 64, float: 0.4921875 },
    } as unknown as VerifyReport;
    expect(verifyFailure(r)).toBe("2 mismatches; first in layer 'fc1', sample 4, index 7: integer 0.5 (code 64), float 0.4921875");
    expect(verifyFailure({ mismatches: 0, eventMismatches: 0 } as VerifyReport)).toBeUndefined();
  });

  it('an MLP model validates after a JSON round trip', () => {
    const m = quantizeModel(mlpGraph(), digitInputs(2, 30));
    expect(validateIntModel(JSON.parse(JSON.stringify(m)))).toEqual(JSON.parse(JSON.stringify(m)));
  });
});
