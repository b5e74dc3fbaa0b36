import { UserError } from '../../errors.js';
import { graphToJson } from '../../models/formats/native.js';
import type { Graph } from '../../models/graph.js';
import { lowerGraph } from '../quantize/lower-graph.js';
import type { IntModel } from '../quantize/model.js';
import { storedFloatGraph } from './summary.js';

/** A graph's nodes, input and outputs as canonical JSON (names of the graph and metadata left out). */
function body(g: Graph): string {
  const j = JSON.parse(graphToJson(g)) as { inputs: unknown; outputs: unknown; nodes: unknown[] };
  return JSON.stringify({ inputs: j.inputs, outputs: j.outputs, nodes: j.nodes });
}

const plain = (_k: string, v: unknown): unknown => (v instanceof Float64Array ? [...v] : v);

function firstDifference(a: Graph, b: Graph): string {
  if (a.nodes.length !== b.nodes.length) return `${a.nodes.length} nodes against ${b.nodes.length}`;
  const k = a.nodes.findIndex((n, i) => JSON.stringify(n, plain) !== JSON.stringify(b.nodes[i], plain));
  return k >= 0 ? `node ${k} ('${a.nodes[k]!.name}', ${a.nodes[k]!.op}) differs in structure or weights` : 'inputs or outputs differ';
}

/**
 * Lowered layers (what quantize consumes) with their exact weights, without node names (an exporter
 * may rename nodes; tensors keep their names).
 */
function loweredLayers(g: Graph): string[] {
  const exact = (k: string, v: unknown): unknown => (k === 'name' ? undefined : v instanceof Float64Array ? [...v] : v);
  const net = lowerGraph(g);
  return [JSON.stringify(net.input.shape), ...net.layers.map((l) => JSON.stringify(l, exact))];
}

/**
 * Refuses a float network that is not the one `m` was quantized from, so
 * `verify --float` never reports another network's accuracy and SQNR as the
 * model's own. When the model stores its float graph (quantize does by
 * default), `g` must equal it: the same nodes, attributes and weights, or the
 * same network in another form (an ONNX export of the stored graph): the same
 * lowered layers with bit-for-bit the same weights. Otherwise `g` must lower to the same layers (names,
 * ops and per-sample output shapes, in order) with the same input shape.
 */
export function checkFloatMatches(m: IntModel, g: Graph, source: string): void {
  const stored = storedFloatGraph(m);
  if (stored) {
    if (body(stored) !== body(g) && loweredLayers(stored).join('\n') !== loweredLayers(g).join('\n'))
      throw new UserError(
        `'${source}' is not the float network '${m.name}' was quantized from (${firstDifference(g, stored)}); verify without --float uses the stored one`,
      );
    return;
  }
  const net = lowerGraph(g);
  const got = net.layers.map((l) => `${l.name}:${l.op}:[${l.shape.join(',')}]`);
  const want = m.layers.map((l) => `${l.name}:${l.op}:[${l.shape.join(',')}]`);
  const k = want.findIndex((w, i) => got[i] !== w);
  if (net.input.shape.join(',') !== m.input.shape.join(',') || k >= 0 || got.length !== want.length) {
    const where =
      k >= 0
        ? `layer ${k}: model has ${want[k]}, float network ${got[k] ?? 'nothing'}`
        : `input [${net.input.shape.join(',')}] against [${m.input.shape.join(',')}], or ${got.length} layers against ${want.length}`;
    throw new UserError(`'${source}' does not have the structure of '${m.name}' (${where})`);
  }
}
