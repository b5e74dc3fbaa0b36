import { newReferenceInstance, type ReferenceExports } from './module.js';

const PAGE = 65536;
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * The memory of one compiled reference: an instance of the reference's
 * module of its own, where the reference lays out, once when compiled, its
 * constants (weights, biases, tap maps, tables) and one slot per tensor for a
 * chunk of samples, so a whole run of a chunk stays in this memory. Space is
 * only reserved while compiling; the memory never grows during a run, so
 * views taken by `f64` stay valid for the life of the object.
 */
export class ReferenceMemory {
  readonly k: ReferenceExports = newReferenceInstance();
  private top = align16(this.k.heap_base());
  private scratchBytes = 0;
  private scratchAt = -1;

  /**
   * Asks for `bytes` of scratch space, one region shared by every step (each
   * uses it only during its own call, e.g. a convolution's tap matrix); its
   * offset is `scratch` once the layout is sealed.
   */
  needScratch(bytes: number): void {
    this.scratchBytes = Math.max(this.scratchBytes, bytes);
  }

  /** Reserves the shared scratch region (after every step's constants). */
  seal(): void {
    this.scratchAt = this.alloc(this.scratchBytes);
  }

  get scratch(): number {
    if (this.scratchAt < 0) throw new Error('internal: reference memory used before its layout was sealed');
    return this.scratchAt;
  }

  /** Reserves `bytes` (16-byte aligned) for good; returns the byte offset. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top = align16(at + bytes);
    const need = this.top - this.k.memory.buffer.byteLength;
    if (need > 0) this.k.memory.grow(Math.ceil(need / PAGE));
    return at;
  }

  /** A copy of `values` placed in the memory; returns its byte offset. */
  put(values: Float64Array | Float32Array | Int32Array): number {
    const at = this.alloc(values.byteLength);
    new Uint8Array(this.k.memory.buffer, at, values.byteLength).set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return at;
  }

  /** A float64 view of n values at byte offset `at`. */
  f64(at: number, n: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, at, n);
  }

  i32(at: number, n: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, at, n);
  }
}
