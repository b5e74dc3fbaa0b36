import { UserError } from '../../errors.js';
import type { GatherNode, PadNode, ReduceNode, ConstantNode, ReduceFn } from '../../models/graph-data-ops.js';
import type { FData } from './float-data.js';
import type { ReduceKind } from './model-data.js';

/*
 * Graph data nodes (models/graph-data-ops.ts) as float data layers. Gather
 * (Slice, Split, Gather on data, nearest Resize), Constant and Pad carry over
 * as they are (a Pad that pads a following Conv or pool with that layer's own
 * value was already folded into it on import); Reduce carries over for the
 * kinds the integer simulator runs (Sum, Mean, Max, Min), any other kind is
 * refused in one line naming the op and the node.
 */

const REDUCE: Partial<Record<ReduceFn, ReduceKind>> = { Sum: 'sum', Mean: 'mean', Max: 'max', Min: 'min' };

type DataNode = GatherNode | PadNode | ReduceNode | ConstantNode;

export function lowerData(n: DataNode, shape: number[]): FData {
  const base = { name: n.name, inputs: [...n.inputs], output: n.output, shape, folded: [] as string[] };
  switch (n.op) {
    case 'Gather':
      return { ...base, op: 'gather', axis: n.attrs.axis, indices: [...n.attrs.indices] };
    case 'Pad':
      return { ...base, op: 'pad', pads: [...n.attrs.pads], value: n.attrs.value };
    case 'Constant':
      return { ...base, op: 'constant', values: Float64Array.from(n.weights.value.data) };
    case 'Reduce': {
      const fn = REDUCE[n.attrs.fn];
      if (!fn)
        throw new UserError(
          `node '${n.name}': Reduce${n.attrs.fn} is not supported by the integer simulator (ReduceSum, ReduceMean, ReduceMax and ReduceMin are; float inference runs it)`,
        );
      return { ...base, op: 'reduce', fn, axes: [...n.attrs.axes], keepdims: n.attrs.keepdims };
    }
  }
}
