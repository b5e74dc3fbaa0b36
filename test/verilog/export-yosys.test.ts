import { describe, expect, it } from 'vitest';
import { parseOutputFormat } from '../../src/activations/index.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { exportActivation, type VerilogExport } from '../../src/verilog/index.js';
import { yosysEquivalent, yosysGateCount } from '../helpers/tools.js';

// Every Yosys run of the export tests lives in this file: each worker pays
// the WebAssembly compilation once, and each run costs about a second.

function unit(
  activation: string,
  inF: string,
  o: { out?: string; style?: 'behavioral' | 'structural'; pipeline?: number; rom?: 'readmemh' | 'case' } = {},
): VerilogExport {
  return exportActivation({
    activation,
    in: parseFormat(inF),
    out: o.out === undefined ? undefined : parseOutputFormat(o.out),
    style: o.style,
    pipeline: o.pipeline,
    rom: o.rom,
  });
}

/** The module and the data files it reads (its .mem for a $readmemh ROM), as Yosys inputs; `suffix` keeps two sides apart. */
function design(e: VerilogExport, suffix: string): Record<string, string> {
  const files: Record<string, string> = { [`${e.module}${suffix}.v`]: e.files.get(`${e.module}.v`)! };
  if (e.summary.form === 'rom-readmemh') files[`${e.module}.mem`] = e.files.get(`${e.module}.mem`)!;
  return files;
}

async function proveBothStyles(
  activation: string,
  inF: string,
  o: { out?: string; pipeline?: number; rom?: 'readmemh' | 'case' } = {},
): Promise<string> {
  const b = unit(activation, inF, o);
  const s = unit(activation, inF, { ...o, style: 'structural' });
  const r = await yosysEquivalent(design(b, ''), b.module, design(s, '_gates'), s.module, { latency: o.pipeline ?? 0 });
  return r.outcome;
}

describe('Yosys proves behavioral == structural', () => {
  it.each([
    ['helu', 'fixed<8,4>', {}],
    ['relu', 'fixed<8,4>', { out: 'fixed<6,2>' }],
    ['relu', 'ufixed<6,3>', { out: 'fixed<6,2,RND_INF,SAT_SYM>' }],
    ['leakyrelu:0.01', 'fixed<8,4>', {}],
    ['leakyrelu', 'fixed<6,2>', { out: 'fixed<5,1,RND_ZERO,SAT_ZERO>' }],
    ['relu6', 'fixed<8,4>', { pipeline: 2 }],
    ['clamp', 'fixed<6,2>', {}],
    ['hardsigmoid', 'fixed<6,2>', {}],
    ['sigmoid', 'fixed<8,4>', {}],
    ['gelu', 'fixed<6,2>', { rom: 'case' as const }],
  ] as const)('%s %s %o', async (activation, inF, o) => {
    expect(await proveBothStyles(activation, inF, o)).toBe('proved');
  });

  it('and finds the counterexample when one ROM entry differs', async () => {
    const b = unit('tanh', 'fixed<6,2>');
    const s = unit('tanh', 'fixed<6,2>', { style: 'structural' });
    const files = design(b, '');
    const lines = files[`${b.module}.mem`]!.split('\n');
    lines[9] = lines[9] === '00' ? '01' : '00';
    files[`${b.module}.mem`] = lines.join('\n');
    const r = await yosysEquivalent(files, b.module, design(s, '_gates'), s.module);
    expect(r.outcome).toBe('counterexample');
  });
});

describe("Yosys gate counts beside helu-sim's", () => {
  it.each([['fixed<8,4>'], ['fixed<16,8>'], ['fixed<6,-1>']])(
    'HeLU/ReLU behavioral at %s: Yosys needs at least as many gates as helu-sim',
    async (inF) => {
      const helu = unit('helu', inF);
      const g = await yosysGateCount(design(helu, ''), helu.module);
      expect(g.gates).toBeGreaterThanOrEqual(helu.summary.circuit.gates);
      // W-1 AND-NOT gates, y[i] = x[i] & ~x[W-1]; ReLU is the same unit at inference
      expect(helu.summary.circuit.gates).toBe(parseFormat(inF).width - 1);
      expect(unit('relu', inF).summary.circuit).toEqual(helu.summary.circuit);
    },
  );
});
