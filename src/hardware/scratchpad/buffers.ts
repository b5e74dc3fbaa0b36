/**
 * SCALE-Sim v2's double-buffered SRAMs (scalesim/memory/read_buffer.py,
 * write_buffer.py, read_port.py, write_port.py), restated in
 * docs/memory-model.md. Sizes and bandwidths are in elements; times in cycles.
 *
 * ReadBuffer: the operand's stream is cut into lines of `bw` elements
 * (floor(N / bw) + 1 lines, as SCALE-Sim counts them); an active window of
 * a = min(ceil(A / bw), lines) lines serves the array (A = ceil(size / 2),
 * SCALE-Sim's active fraction 0.5). The initial window is filled before cycle
 * 0 (no stall). A demanded element outside the window moves the window on by
 * p = min(ceil(P / bw), lines - a) lines (P = size - A), wrapping around the
 * stream; each move is a prefetch of ceil(P / bw) lines that completes
 * ceil(P / bw) + 1 cycles after the previous one (the first from cycle -1).
 * A request at cycle c carries an offset starting at the hit latency 1; each
 * move adds d = completion - (c + offset) to the offset, and adds d again when
 * d > 0. The SRAM is one bank with two ports: a request whose elements were
 * found in L distinct lines adds ceil(L / 2) - 1. The request's stall is
 * offset - 1.
 * With a copy index (overlapping convolution windows, addresses.ts) an element
 * hits when any position holding its address lies in the active lines
 * (SCALE-Sim looks addresses up by value), and the line it is found in is the
 * first such line from the window's start; each element of the request is
 * looked up in stream order. Without one, every position is its own address.
 *
 * WriteBuffer: `size` elements, drain part D = size - ceil(size / 2). Each
 * written element takes a free place; when no drain is in flight and fewer
 * than ceil(size / 2) places are free, up to ceil(D / bw) lines of bw waiting
 * elements drain, taking lines - 1 cycles (port latency 0), and the write
 * waits until the drain ends; while a drain is in flight a write that finds no
 * free place waits for its end. The request's stall is the wait.
 */

import type { CopyIndex } from './addresses.js';

export class ReadBuffer {
  private readonly lines: number;
  private readonly active: number;
  private readonly step: number;
  private readonly fetchLines: number;
  private start = 0;
  private lastFetch = -1;
  /** Elements fetched from DRAM (SCALE-Sim's read-buffer access count). */
  dramElements: number;

  constructor(
    size: number,
    private readonly bw: number,
    streamLength: number,
    private readonly copies: CopyIndex | null = null,
  ) {
    const A = Math.ceil(size / 2);
    const P = size - A;
    this.lines = Math.floor(streamLength / bw) + 1;
    this.active = Math.min(Math.ceil(A / bw), this.lines);
    this.step = Math.min(Math.ceil(P / bw), this.lines - this.active);
    this.fetchLines = Math.ceil(P / bw);
    this.dramElements = Math.min(Math.ceil(A / bw), Math.ceil(streamLength / bw)) * bw;
  }

  /** Place of a line in the active window counted from its start (>= active: outside). */
  private rank(line: number): number {
    return (line - this.start + this.lines) % this.lines;
  }

  /** The line the element at `pos` is found in, -1 when it is not in the active lines. */
  private hitLine(pos: number): number {
    if (!this.copies) {
      const line = Math.floor(pos / this.bw);
      return this.rank(line) < this.active ? line : -1;
    }
    const { address, head, next } = this.copies;
    let best = -1;
    let bestRank = this.active;
    for (let q = head[address[pos]!]!; q >= 0; q = next[q]!) {
      const line = Math.floor(q / this.bw);
      const r = this.rank(line);
      if (r < bestRank) [best, bestRank] = [line, r];
    }
    return best;
  }

  /** Moves the window one prefetch on; returns the request's new offset. */
  private move(cycle: number, offset: number): number {
    this.start = (this.start + this.step) % this.lines;
    this.lastFetch += this.fetchLines + 1;
    this.dramElements += this.fetchLines * this.bw;
    const d = this.lastFetch - (cycle + offset);
    return offset + (d > 0 ? 2 * d : d);
  }

  /** Stall cycles of a request for the stream positions [lo, hi] at cycle `cycle`. */
  request(lo: number, hi: number, cycle: number): number {
    let offset = 1;
    let lines: number;
    if (!this.copies) {
      // distinct addresses: the window moves forward line by line, so lo and hi decide every move
      for (const pos of [lo, hi]) while (this.hitLine(pos) < 0) offset = this.move(cycle, offset);
      lines = Math.floor(hi / this.bw) - Math.floor(lo / this.bw) + 1;
    } else {
      const found: number[] = [];
      for (let pos = lo; pos <= hi; pos++) {
        let line = this.hitLine(pos);
        while (line < 0) {
          offset = this.move(cycle, offset);
          line = this.hitLine(pos);
        }
        if (!found.includes(line)) found.push(line);
      }
      lines = found.length;
    }
    return offset + Math.ceil(lines / 2) - 2;
  }
}

export class WriteBuffer {
  private readonly activeSize: number;
  private readonly drainLines: number;
  private free: number;
  private drainEnd = 0;

  constructor(
    private readonly size: number,
    private readonly bw: number,
  ) {
    this.activeSize = Math.ceil(size / 2);
    this.drainLines = Math.ceil((size - this.activeSize) / bw);
    this.free = size;
  }

  /** Stall cycles of `n` element writes at cycle `cycle`. */
  write(n: number, cycle: number): number {
    let cur = cycle;
    for (let k = 0; k < n; k++) {
      this.free--;
      if (cur < this.drainEnd) {
        if (this.free <= 0) cur = this.drainEnd;
      } else if (this.free < this.activeSize) {
        const drained = Math.min(this.drainLines * this.bw, this.size - this.free);
        this.drainEnd = cur + Math.ceil(drained / this.bw) - 1;
        cur = this.drainEnd;
        this.free += drained;
      }
    }
    return cur - cycle;
  }
}
