import { kernels } from './module.js';

/** A block of the kernel module's linear memory: byte offset and usable size. */
export interface Block {
  readonly at: number;
  readonly size: number;
}

const ALIGN = 16;
/**
 * Extra bytes after every block: the int16 kernel's last k-pair of an odd K
 * reads 2 bytes past a row, which must stay inside memory.
 */
const SLACK = 16;
const PAGE = 65536;

/** Free blocks, sorted by offset, adjacent ones merged. */
const holes: { at: number; size: number }[] = [];
let top = -1;

function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/**
 * Allocates `bytes` (16-byte aligned; zero-filled unless `zeroed` is false) in this thread's kernel
 * memory, first fit in the freed blocks, else at the top, growing the memory
 * by whole pages. Views on the memory must be taken after allocating: growth
 * detaches earlier ones.
 */
export function alloc(bytes: number, zeroed = true): Block {
  const k = kernels();
  if (top < 0) top = alignUp(k.heap_base());
  const size = alignUp(bytes + SLACK);
  let at: number;
  const i = holes.findIndex((h) => h.size >= size);
  if (i >= 0) {
    const h = holes[i]!;
    at = h.at;
    if (h.size === size) holes.splice(i, 1);
    else holes[i] = { at: h.at + size, size: h.size - size };
  } else {
    at = top;
    top += size;
    const need = top - k.memory.buffer.byteLength;
    if (need > 0) k.memory.grow(Math.ceil(need / PAGE));
  }
  if (zeroed) new Uint8Array(k.memory.buffer, at, size).fill(0);
  return { at, size };
}

/** Returns a block to the free list (merged with its free neighbours). */
export function release(b: Block): void {
  let i = 0;
  while (i < holes.length && holes[i]!.at < b.at) i++;
  holes.splice(i, 0, { at: b.at, size: b.size });
  const merge = (j: number): void => {
    const x = holes[j],
      y = holes[j + 1];
    if (x && y && x.at + x.size === y.at) holes.splice(j, 2, { at: x.at, size: x.size + y.size });
  };
  merge(i);
  merge(i - 1);
  if (holes.length > 0) {
    const last = holes[holes.length - 1]!;
    if (last.at + last.size === top) {
      top = last.at;
      holes.pop();
    }
  }
}

/** Typed views on this thread's kernel memory (fresh each call: growth detaches old ones). */
export function i16View(at: number, n: number): Int16Array {
  return new Int16Array(kernels().memory.buffer, at, n);
}
export function i32View(at: number, n: number): Int32Array {
  return new Int32Array(kernels().memory.buffer, at, n);
}
export function f64View(at: number, n: number): Float64Array {
  return new Float64Array(kernels().memory.buffer, at, n);
}
export function i64View(at: number, n: number): BigInt64Array {
  return new BigInt64Array(kernels().memory.buffer, at, n);
}
