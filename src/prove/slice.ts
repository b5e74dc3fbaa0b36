import { Netlist, type Bit } from '../netlist/index.js';

export interface SlicePort {
  readonly name: string;
  readonly bits: readonly Bit[];
}

/**
 * The cells of a combinational netlist between a set of nets made inputs and
 * the nets wanted as outputs: the cone of `outputs` cut at `inputs` (whose
 * bits must be distinct nets, not constants). Undefined when the cone reaches
 * a net that is neither an input nor driven by a cell (an output that also
 * depends on something else): then the outputs are not a function of the
 * inputs alone, and a stage proof over the slice would not be one.
 * `complements` maps a net n to an input c driven by the inverter ~n: a gate
 * that reads n (the builder absorbs inverters into their readers) then reads
 * ~c in the slice, which is the same value.
 */
export function sliceNetlist(
  net: Netlist,
  name: string,
  inputs: readonly SlicePort[],
  outputs: readonly SlicePort[],
  complements: ReadonlyMap<Bit, Bit> = new Map(),
): Netlist | undefined {
  const isInput = new Set<Bit>(inputs.flatMap((p) => p.bits));
  const inverted: Bit[] = [];
  const driver = new Map<Bit, number>();
  net.cells.forEach((c, i) => driver.set(c.output, i));
  const keep = new Set<number>();
  const stack = outputs.flatMap((p) => [...p.bits]);
  const seen = new Set<Bit>();
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (b <= 1 || isInput.has(b) || seen.has(b)) continue;
    seen.add(b);
    if (complements.has(b) && isInput.has(complements.get(b)!)) {
      inverted.push(b);
      continue;
    }
    const i = driver.get(b);
    if (i === undefined || net.cells[i]!.type === '$_DFF_P_') return undefined;
    keep.add(i);
    stack.push(...net.cells[i]!.inputs);
  }
  const out = new Netlist(name);
  out.nextNet = net.nextNet;
  for (const p of inputs) out.ports.push({ name: p.name, direction: 'input', bits: [...p.bits] });
  for (const p of outputs) out.ports.push({ name: p.name, direction: 'output', bits: [...p.bits] });
  for (const b of inverted) out.cells.push({ type: '$_NOT_', inputs: [complements.get(b)!], output: b });
  // Cell order in a combinational (or transparent-copied) netlist is topological; keep it.
  net.cells.forEach((c, i) => {
    if (keep.has(i)) out.cells.push({ type: c.type, inputs: [...c.inputs], output: c.output });
  });
  return out;
}

/** Indices (into `port`) of the port's bits that the cone of `outputs` in `slice` reads. */
export function readBits(slice: Netlist, port: readonly Bit[]): number[] {
  const read = new Set<Bit>(slice.cells.flatMap((c) => c.inputs));
  for (const p of slice.outputs()) for (const b of p.bits) read.add(b);
  return port.flatMap((b, i) => (read.has(b) ? [i] : []));
}
