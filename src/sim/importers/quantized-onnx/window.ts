import { UserError } from '../../../errors.js';
import { samePads } from '../../../models/window.js';
import type { Window } from '../../quantize/model.js';
import type { NodeView } from './read.js';

function ints(v: NodeView, key: string, fallback: number[]): number[] {
  const a = v.attrs.get(key);
  if (a === undefined) return fallback;
  if (!Array.isArray(a)) throw new UserError(`node '${v.name}' (${v.op}): attribute '${key}' must be a list of ints`);
  return a;
}

export function intAttr(v: NodeView, key: string, fallback: number): number {
  const a = v.attrs.get(key);
  if (a === undefined) return fallback;
  if (typeof a !== 'number') throw new UserError(`node '${v.name}' (${v.op}): attribute '${key}' must be an int`);
  return a;
}

function pair(v: NodeView, key: string, a: number[]): [number, number] {
  if (a.length !== 2)
    throw new UserError(`node '${v.name}' (${v.op}): attribute '${key}' has ${a.length} entries; only 2-D windows are supported`);
  return [a[0]!, a[1]!];
}

/**
 * The 2-D window of a Conv / pool node over a [C, H, W] input: kernel_shape
 * (or the weights' kh, kw), strides, pads ([top, left, bottom, right]),
 * dilations, and auto_pad (NOTSET, VALID, SAME_UPPER, SAME_LOWER).
 */
export function windowOf(v: NodeView, inShape: readonly number[], kernel?: [number, number]): Window {
  if (inShape.length !== 3)
    throw new UserError(`node '${v.name}' (${v.op}): input must be [N, C, H, W]; got per-sample shape [${inShape.join(',')}]`);
  const k = pair(v, 'kernel_shape', ints(v, 'kernel_shape', kernel ?? []));
  const strides = pair(v, 'strides', ints(v, 'strides', [1, 1]));
  const dilations = pair(v, 'dilations', ints(v, 'dilations', [1, 1]));
  const autoPad = v.attrs.get('auto_pad') ?? 'NOTSET';
  let pads = ints(v, 'pads', [0, 0, 0, 0]);
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const lower = autoPad === 'SAME_LOWER';
    const [t, b] = samePads(inShape[1]!, k[0], strides[0], dilations[0], lower);
    const [l, r] = samePads(inShape[2]!, k[1], strides[1], dilations[1], lower);
    pads = [t, l, b, r];
  } else if (autoPad !== 'NOTSET') throw new UserError(`node '${v.name}' (${v.op}): auto_pad '${String(autoPad)}' is not supported`);
  if (pads.length !== 4) throw new UserError(`node '${v.name}' (${v.op}): pads must have 4 entries for a 2-D window`);
  return { kernel: k, strides, pads: pads as [number, number, number, number], dilations };
}
