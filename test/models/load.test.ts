// Model files: the native JSON graph round-trips exactly; loadModel picks the
// format by content and extension; saveGraph writes .onnx and .json.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGraph, graphFromJson, graphToJson, loadModel, runFloat, saveGraph, type Graph } from '../../src/models/index.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'helu-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mlp(): Graph {
  return buildGraph({
    name: 'mlp',
    inputs: [{ name: 'x', shape: [3] }],
    outputs: ['y'],
    metadata: { trainedActivation: 'helu' },
    nodes: [
      { op: 'Mul', name: 'scale', inputs: ['x'], output: 'xs', weights: { B: { shape: [], data: Float64Array.of(1 / 3) } } },
      {
        op: 'Gemm',
        name: 'fc',
        inputs: ['xs'],
        output: 'h',
        attrs: { transA: 0, transB: 1, alpha: 1, beta: 1 },
        weights: {
          B: { shape: [2, 3], data: Float64Array.of(0.1, -0.2, Math.PI, 1e-300, 5, -7) },
          C: { shape: [2], data: Float64Array.of(0.3, -0.4) },
        },
      },
      { op: 'Activation', name: 'act', inputs: ['h'], output: 'y', attrs: { activation: { kind: 'helu', alpha: 0.01 } } },
    ],
  });
}

describe('native graph JSON', () => {
  it('round-trips every value exactly (float64, not float32)', () => {
    const g = mlp();
    const back = graphFromJson(graphToJson(g), 'g.json');
    expect(back.nodes).toEqual(g.nodes);
    expect(back.metadata).toEqual(g.metadata);
    const x = [1, 2, -3, 0.5, 0.25, 9];
    expect([...runFloat(back, x, 2).output]).toEqual([...runFloat(g, x, 2).output]);
  });

  it('writes a weight whose values are all float32 as base64 float32 (half the size), exactly; others as float64', () => {
    const g = mlp();
    const single = {
      ...g,
      nodes: g.nodes.map((n) =>
        'weights' in n
          ? {
              ...n,
              weights: Object.fromEntries(
                Object.entries(n.weights).map(([k, t]) => [k, { shape: t!.shape, data: t!.data.map(Math.fround) }]),
              ),
            }
          : n,
      ),
    } as Graph;
    const j = JSON.parse(graphToJson(single));
    const ws = j.nodes
      .filter((n: { weights?: unknown }) => n.weights)
      .flatMap((n: { weights: Record<string, object> }) => Object.values(n.weights));
    expect(ws.every((w: object) => 'float32' in w && !('float64' in w))).toBe(true);
    expect(graphFromJson(graphToJson(single), 'g.json').nodes).toEqual(single.nodes);
    const mixed = JSON.parse(graphToJson(g));
    expect(
      mixed.nodes.some((n: { weights?: Record<string, object> }) => n.weights && Object.values(n.weights).some((w) => 'float64' in w)),
    ).toBe(true);
  });

  it('accepts plain number arrays and rejects unknown ops, missing weights, wrong versions', () => {
    const j = JSON.parse(graphToJson(mlp()));
    j.nodes[1].weights.B = { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    expect(graphFromJson(JSON.stringify(j), 'g.json').nodes[1]!.op).toBe('Gemm');
    const bad = (f: (k: typeof j) => void) => {
      const k = JSON.parse(JSON.stringify(j));
      f(k);
      return () => graphFromJson(JSON.stringify(k), 'g.json');
    };
    expect(
      bad((k) => {
        k.nodes[1].op = 'Gemmm';
      }),
    ).toThrow(/unknown op 'Gemmm'/);
    expect(
      bad((k) => {
        delete k.nodes[1].weights.B;
      }),
    ).toThrow(/Gemm needs weight 'B'/);
    expect(
      bad((k) => {
        k.version = 9;
      }),
    ).toThrow(/version 9 is not supported/);
    expect(
      bad((k) => {
        k.nodes[1].weights.B.shape = [3, 3];
      }),
    ).toThrow(UserError);
    expect(() => graphFromJson('{', 'g.json')).toThrow(/not valid JSON/);
  });
});

describe('loadModel and saveGraph', () => {
  it('dispatches .onnx and helu-sim .json by extension and content', async () => {
    const g = mlp();
    saveGraph(g, join(dir, 'm.onnx'));
    saveGraph(g, join(dir, 'm.json'));
    const onnxModel = await loadModel(join(dir, 'm.onnx'));
    const jsonModel = await loadModel(join(dir, 'm.json'));
    expect([onnxModel.format, jsonModel.format]).toEqual(['onnx', 'helu-sim-graph']);
    expect(onnxModel.inputShape).toEqual([3]);
    expect(jsonModel.outputShape).toEqual([2]);
    expect([...jsonModel.run(Float64Array.of(3, 0, 0), 1).outputs]).toEqual([...runFloat(g, [3, 0, 0], 1).output]);
    const act = onnxModel.graph!.nodes.find((n) => n.op === 'Activation');
    expect(act?.op === 'Activation' && act.attrs.activation).toEqual({ kind: 'helu', alpha: 0.01 });
  });

  it('UserErrors for missing files, unknown content and bad output names', async () => {
    await expect(loadModel(join(dir, 'none.onnx'))).rejects.toThrow(/not found/);
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    await expect(loadModel(join(dir, 'other.json'))).rejects.toThrow(/not an ONNX file/);
    writeFileSync(join(dir, 'garbage.onnx'), 'not protobuf at all');
    await expect(loadModel(join(dir, 'garbage.onnx'))).rejects.toThrow(UserError);
    expect(() => saveGraph(mlp(), join(dir, 'm.txt'))).toThrow(/use a .onnx .* or .json/);
  });
});
