import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportModelActivationUnits } from '../../../src/cli/verilog-model.js';
import { runAffineCodes } from '../../../src/sim/engine/run.js';
import { loadIntegerModel } from '../../../src/sim/importers/load.js';
import { expectOneLineUserError } from '../../helpers/user-error.js';
import { simulateExport, withTempDir } from '../../helpers/tools.js';

/*
 * `helu-sim verilog --model`: the activation units of imported models,
 * compiled and run with Icarus Verilog (each testbench must print PASS). The
 * affine unit's table is also checked against the integer engine running the
 * model's own relu layer on all 256 codes.
 */

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'quantized');

async function simulateAll(path: string): Promise<{ modules: string[]; verdicts: unknown[] }> {
  const units = exportModelActivationUnits(loadIntegerModel(path), path);
  return withTempDir(async (dir) => {
    const verdicts: unknown[] = [];
    for (const u of units) {
      for (const [f, text] of u.files) writeFileSync(join(dir, f), text);
      verdicts.push((await simulateExport(dir, u.module)).verdict);
    }
    return { modules: units.map((u) => u.module), verdicts };
  });
}

describe('verilog --model: the activation units of an imported model', () => {
  it('a PyTorch QDQ export: its affine relu as a 256-entry ROM, testbench PASS in Icarus, table = the engine', async () => {
    const path = join(DIR, 'mlp_fx_op13.onnx');
    const r = await simulateAll(path);
    expect(r.modules).toEqual(['relu_affine']);
    expect(r.verdicts).toEqual([{ pass: true, mismatches: 0 }]);
    const m = loadIntegerModel(path);
    const relu = m.layers.find((l) => l.op === 'activation')!;
    const one = {
      ...m,
      input: { ...m.input, name: relu.inputs[0]!, quant: (relu as { in: typeof m.input.quant }).in, shape: [256] },
      layers: [{ ...relu, shape: [256] }],
      outputs: [relu.output],
    };
    const codes = Array.from({ length: 256 }, (_, i) => i);
    const engine = runAffineCodes(one, codes, 1, { keep: 'outputs' }).tensors.get(relu.output)!;
    const mem = exportModelActivationUnits(m, path)[0]!.files.get('relu_affine.mem')!;
    const rom = mem
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .map((h) => parseInt(h, 16));
    expect(rom).toEqual(Array.from(engine, (c) => c & 0xff));
  });

  it('a QONNX file: its pow2 relu unit, testbench PASS in Icarus', async () => {
    const r = await simulateAll(join(DIR, 'qonnx_cnn.onnx'));
    expect(r.verdicts).toEqual([{ pass: true, mismatches: 0 }]);
  });

  it('a model whose activations are all fused: one line, nothing written', () => {
    const path = join(DIR, 'qonnx_affine_cnn.onnx');
    expectOneLineUserError(
      () => exportModelActivationUnits(loadIntegerModel(path), path),
      /has no activation layers: its activations are fused into the requantization/,
    );
  });
});

describe('activation --model: the units of an imported model, verified and costed', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'cli', 'main.js'), ...args], {
      encoding: 'utf8',
    });
  it('a PyTorch export (affine table ROM, every input checked) and a QONNX file (pow2 circuit, proven)', () => {
    for (const [file, output] of [
      ['mlp_fx_op13.onnx', /^uint8 scale=0\.0389\d+ zp=76$/],
      ['qonnx_mlp.onnx', /^ufixed<4,3,TRN,SAT>$/],
    ] as const) {
      const r = cli('activation', '--model', join(DIR, file), '--json');
      expect(r.status, r.stderr).toBe(0);
      const units = JSON.parse(r.stdout) as {
        activation: string;
        output: string;
        layers: string[];
        verification: { mismatches: number; vectors: number };
      }[];
      expect(units).toHaveLength(1);
      expect(units[0]!.activation).toBe('relu');
      expect(units[0]!.output).toMatch(output);
      expect(units[0]!.verification.mismatches).toBe(0);
      expect(units[0]!.layers.length).toBe(1);
    }
  });
  it('a name together with --model: one line, exit 2', () => {
    const r = cli('activation', 'relu', '--model', join(DIR, 'qonnx_mlp.onnx'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/activation --model reports the model's own units; give no activation name and no --in/);
  });
});
