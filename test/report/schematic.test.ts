import { describe, expect, it } from 'vitest';
import { checkXml, renderSchematic, schematicSkin } from '../../src/report/index.js';
import { UserError } from '../../src/errors.js';

/** A 4-bit HeLU by hand: y[i] = x[i] AND NOT x[3] for i < 3, y[3] = 0, in Yosys write_json form. */
function helu4(withDirections: boolean): object {
  const cell = (a: number, y: number) => ({
    type: '$_ANDNOT_',
    ...(withDirections ? { port_directions: { A: 'input', B: 'input', Y: 'output' } } : {}),
    connections: { A: [a], B: [5], Y: [y] },
  });
  return {
    creator: 'hand-written test netlist',
    modules: {
      helu4: {
        attributes: { top: '00000000000000000000000000000001' },
        ports: { x: { direction: 'input', bits: [2, 3, 4, 5] }, y: { direction: 'output', bits: [6, 7, 8, '0'] } },
        cells: { g0: cell(2, 6), g1: cell(3, 7), g2: cell(4, 8) },
        netnames: {},
      },
    },
  };
}

describe('renderSchematic', () => {
  it('draws a hand-built Yosys JSON netlist as well-formed SVG with ANDNOT symbols', async () => {
    const svg = await renderSchematic(helu4(true));
    const r = checkXml(svg);
    expect(r, r.ok ? '' : r.error).toMatchObject({ ok: true, root: 'svg' });
    for (const id of ['cell_g0', 'cell_g1', 'cell_g2']) expect(svg).toContain(id);
    // The ANDNOT symbol: an AND body shifted right with an inversion bubble on input B.
    expect(svg.match(/M6,0 L6,25 L21,25 A15 12.5 0 0 0 21,0 Z/g)?.length).toBe(3);
  });

  it('fills missing port directions from the gate pin names', async () => {
    const svg = await renderSchematic(helu4(false));
    expect(checkXml(svg).ok).toBe(true);
    expect(svg).toContain('cell_g2');
  });

  it('uses a skin without the NAND / NOR aliases for ANDNOT / ORNOT', () => {
    const skin = schematicSkin();
    expect(checkXml(skin).ok).toBe(true);
    expect(skin.match(/\$_ANDNOT_/g)?.length).toBe(1);
    expect(skin.match(/\$_ORNOT_/g)?.length).toBe(1);
  });

  it('rejects input that is not a Yosys netlist, an unknown module or too many cells', async () => {
    await expect(renderSchematic({})).rejects.toThrow(UserError);
    await expect(renderSchematic(helu4(true), { module: 'nope' })).rejects.toThrow(/module 'nope' not found/);
    await expect(renderSchematic(helu4(true), { maxCells: 2 })).rejects.toThrow(/3 cells; at most 2/);
  });
});
