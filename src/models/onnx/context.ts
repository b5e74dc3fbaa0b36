import { UserError } from '../../errors.js';
import type { GraphNode, Tensor } from '../graph.js';
import { inferShape } from '../shapes.js';
import type { AttrValue, OnnxTypes } from './proto.js';

/** One ONNX node being translated: its name, op, resolved inputs and attributes. */
export interface OnnxNodeView {
  readonly proto: OnnxTypes.INodeProto;
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly output: string;
  readonly attrs: Map<string, AttrValue>;
}

/**
 * Translation state: constants known so far, per-sample shapes of runtime
 * tensors, aliases (Identity, Dropout) and the graph nodes emitted. Emitting a
 * node infers its shape at once, so errors name the ONNX node.
 */
export class TranslateContext {
  readonly consts = new Map<string, Tensor>();
  readonly shapes = new Map<string, readonly number[]>();
  readonly nodes: GraphNode[] = [];
  private readonly alias = new Map<string, string>();
  private readonly names = new Set<string>();
  private counter = 0;

  resolve(name: string): string {
    let n = name;
    while (this.alias.has(n)) n = this.alias.get(n)!;
    return n;
  }

  setAlias(from: string, to: string): void {
    this.alias.set(from, to);
  }

  /** A node name not used before, derived from `base`. */
  uniqueName(base: string): string {
    let n = base || `node_${this.counter++}`;
    while (this.names.has(n)) n = `${base}_${this.counter++}`;
    this.names.add(n);
    return n;
  }

  /** A fresh tensor name for intermediate results of multi-node translations. */
  freshTensor(base: string): string {
    let n = `${base}__${this.counter++}`;
    while (this.shapes.has(n) || this.consts.has(n)) n = `${base}__${this.counter++}`;
    return n;
  }

  emit(node: GraphNode): void {
    const ins = node.inputs.map((i) => {
      const s = this.shapes.get(i);
      if (!s) throw new Error(`internal: no shape for '${i}'`);
      return s;
    });
    this.shapes.set(node.output, inferShape(node, ins));
    this.nodes.push(node);
  }

  isRuntime(name: string): boolean {
    return this.shapes.has(name);
  }

  /** The per-sample shape of runtime input `name` of node `v`; UserError if it is a constant or unknown. */
  runtime(v: OnnxNodeView, name: string | undefined): readonly number[] {
    const s = name ? this.shapes.get(name) : undefined;
    if (s) return s;
    if (name && this.consts.has(name))
      throw new UserError(`node '${v.name}' (${v.op}): input '${name}' is a constant; helu-sim expects the data tensor here`);
    throw new UserError(`node '${v.name}' (${v.op}): input '${name ?? ''}' is not defined`);
  }

  /** Constant input `name` of node `v`; UserError if it is computed at run time. */
  constant(v: OnnxNodeView, name: string | undefined, what: string): Tensor {
    const c = name ? this.consts.get(name) : undefined;
    if (c) return c;
    throw new UserError(`node '${v.name}' (${v.op}): ${what} '${name ?? ''}' must be a constant (initializer or Constant node)`);
  }

  optionalConstant(v: OnnxNodeView, name: string | undefined, what: string): Tensor | undefined {
    return name ? this.constant(v, name, what) : undefined;
  }
}
