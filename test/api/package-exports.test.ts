// The built package as a user imports it: every subpath resolves through package.json "exports" to the bundled
// dist/pkg, offers its deliberate surface and nothing internal; importing the root loads no heavy dependency.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUBPATHS = [
  'helu-sim',
  'helu-sim/fixedpoint',
  'helu-sim/netlist',
  'helu-sim/activations',
  'helu-sim/models',
  'helu-sim/sim',
  'helu-sim/hardware',
  'helu-sim/verilog',
  'helu-sim/testing',
];

/** Runs an ES module snippet in a fresh node inside the package (so 'helu-sim' resolves to itself through "exports"). */
function node(code: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ['--import', join(root, 'bench', 'load-probe.mjs'), '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const surfaces: Record<string, string[]> = JSON.parse(
  node(`
  const out = {};
  for (const s of ${JSON.stringify(SUBPATHS)}) out[s] = Object.keys(await import(s)).sort();
  console.log(JSON.stringify(out));`),
);

/** Names a subpath must offer (the README's and each area's main entry points). */
const MUST: Record<string, string[]> = {
  'helu-sim': [
    'costNetwork',
    'loadDataset',
    'loadOnnx',
    'parseFormat',
    'quantizeModel',
    'saveIntModel',
    'splitOf',
    'verifyModel',
    'writeActivationExport',
    'runInteger',
    'runReference',
    'describeActivation',
    'getActivation',
    'exportActivation',
    'runFloat',
    'UserError',
  ],
  'helu-sim/fixedpoint': [
    'parseFormat',
    'quantize',
    'convert',
    'requantize',
    'roundDouble',
    'TFLITE_KERNELS',
    'quantizeMultiplier',
    'saturatingRoundingDoublingHighMul',
  ],
  'helu-sim/netlist': [
    'Netlist',
    'CircuitBuilder',
    'GATES',
    'simulateVectors',
    'costOf',
    'toStructuralVerilog',
    'fromYosysJson',
    'checkExhaustive',
  ],
  'helu-sim/activations': ['getActivation', 'parseActivation', 'activationFloat', 'describeActivation', 'DEFAULT_LEAKY_SLOPE'],
  'helu-sim/models': ['loadOnnx', 'exportOnnx', 'runFloat', 'train', 'loadDataset', 'buildGraph', 'loadModel'],
  'helu-sim/sim': [
    'quantizeModel',
    'quantizeAffine',
    'compile',
    'runInteger',
    'runReference',
    'verifyModel',
    'loadIntegerModel',
    'importQuantizedOnnx',
    'validateIntModel',
  ],
  'helu-sim/hardware': ['costNetwork', 'systolicCycles', 'exportPe', 'exportRequant'],
  'helu-sim/verilog': ['exportActivation', 'writeActivationExport', 'testbench', 'runIverilog', 'runYosysScript'],
  'helu-sim/testing': ['arbFormat', 'arbCode', 'arbPow2Model', 'arbAffineModel', 'arbInputs', 'expectBitExact', 'bitExactMismatch'],
};

/** Internals no subpath exports: kernel compilers (an eval API), demo and report helpers, registries, CLI help text. */
const NEVER = [
  'compileKernel',
  'interpretKernel',
  'makeKernel',
  'DEMO_SEED',
  'headerText',
  'runDemo',
  'renderSvg',
  'renderVegaSvg',
  'registerModelFormat',
  'registerScheme',
  'registerLayerChecker',
  'check',
  'lookup',
  'sanitizeMessage',
  'tensorParams',
  'lazyRequire',
  'studyCommand',
];

describe('package exports', () => {
  it('package.json exports the root and the eight areas, each from the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, { default: string } | string> };
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './fixedpoint',
      './netlist',
      './activations',
      './models',
      './sim',
      './hardware',
      './verilog',
      './testing',
      './package.json',
    ]);
    for (const [k, v] of Object.entries(pkg.exports))
      if (typeof v !== 'string') expect(v.default, k).toMatch(/^\.\/dist\/pkg\/[a-z]+\.js$/);
  });

  for (const s of SUBPATHS) {
    it(`${s}: its surface, no internals`, () => {
      const names = surfaces[s]!;
      for (const n of MUST[s]!) expect(names, `${s} exports ${n}`).toContain(n);
      for (const n of NEVER) expect(names, `${s} must not export ${n}`).not.toContain(n);
    });
  }

  it('the root is curated: no generic names, far fewer than the 443 names of export *', () => {
    const names = surfaces['helu-sim']!;
    for (const n of ['add', 'convert', 'quantize', 'tensor', 'train', 'compile']) expect(names).not.toContain(n);
    expect(names.length).toBeLessThan(60);
  });

  it('importing the root loads none of Vega, TF.js, Yosys, netlistsvg, onnx-proto; the bundled engine runs (WebAssembly found)', () => {
    const probe = join(root, 'dist', `probe-${process.pid}.jsonl`);
    const out = node(
      `
      const { runInteger } = await import('helu-sim');
      const model = { format: 'helu-sim/integer-model', schemaVersion: 1, name: 'one', scheme: 'pow2', metadata: {}, outputs: ['y'],
        input: { name: 'x', shape: [2], quant: { kind: 'pow2', format: 'fixed<8,4,RND_CONV,SAT>' } },
        layers: [{ op: 'dense', name: 'd', inputs: ['x'], output: 'y', shape: [1], out: { kind: 'pow2', format: 'fixed<16,8,RND_CONV,SAT>' },
          weights: { shape: [1, 2], codes: [3, -2], quant: { kind: 'pow2', format: 'fixed<8,2,RND_CONV,SAT>' } },
          acc: { kind: 'pow2', formats: ['fixed<32,16,RND_CONV,SAT>'], bound: 1e6 } }] };
      console.log(JSON.stringify([...runInteger(model, [1.5, -0.25], 1, { kernels: 'wasm' }).tensors.get('y')]));`,
      { HELU_PROBE: probe, HELU_PROBE_MODULES: '1' },
    );
    // y = 1.5 * (3/64) + (-0.25) * (-2/64) = 0.078125 = 20 LSB at F = 8
    expect(JSON.parse(out)).toEqual([20]);
    const modules = (JSON.parse(readFileSync(probe, 'utf8')) as { modules: string[] }).modules.join('\n');
    spawnSync('rm', ['-f', probe]);
    expect(modules).toContain('/dist/pkg/index.js');
    for (const heavy of ['/vega', '/vega-lite', '@tensorflow', '@yowasp', 'netlistsvg', 'onnx-proto', 'protobufjs', '/yaml/', 'piscina'])
      expect(modules).not.toContain(heavy);
  });
});
