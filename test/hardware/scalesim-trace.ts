/**
 * An address-level restatement of SCALE-Sim v2's memory system for dense
 * layers and convolutions, written for the tests from the model's description
 * (docs/memory-model.md and the scalesim sources it cites), independently of
 * src/hardware/scratchpad: operand matrices of addresses (a convolution's ifmap
 * addressed as operand_matrix.py does, so overlapping windows repeat
 * addresses), SCALE-Sim's prefetch matrices (with the diagonal rollout over the
 * whole concatenated matrix), per-fold demand matrices (padding, null rows,
 * skew, flips), read buffers that look every address up by value in sets of
 * `bw` fetched addresses (one bank, two ports: a row found in L lines adds
 * ceil(L / 2) - 1), and a write buffer that keeps whole lines, forces a partial
 * line out at each drain and credits back lines x bw minus the empty slots of
 * the last line drained.
 */
type Mat = number[][];

const nulls = (rows: number, cols: number): Mat => Array.from({ length: rows }, () => new Array<number>(cols).fill(-1));
const padCols = (m: Mat, cols: number): Mat => m.map((r) => [...r, ...new Array<number>(cols - r.length).fill(-1)]);
const cols = (m: Mat, a: number, b: number): Mat => m.map((r) => r.slice(a, b));
const transpose = (m: Mat, c: number): Mat => Array.from({ length: c }, (_, j) => m.map((r) => r[j]!));

function skew(m: Mat): Mat {
  const w = m[0]!.length;
  const out = nulls(m.length + w - 1, w);
  m.forEach((r, i) => r.forEach((v, c) => (out[i + c]![c] = v)));
  return out;
}

function rollout(m: Mat): number[] {
  const M = m.length;
  const N = m[0]!.length;
  const out: number[] = [];
  for (let d = 0; d < M + N; d++) for (let r = Math.min(d, M - 1); r >= Math.max(0, d - N + 1); r--) out.push(m[r]![d - r]!);
  return out;
}

interface Matrices {
  ifPre: number[];
  fPre: number[];
  ifDem: Mat;
  fDem: Mat;
  oDem: Mat;
}

/** Operand address matrices: ifmap pixels x window, filter window x filters, ofmap pixels x filters. */
export interface Operands {
  ifmap: Mat;
  filter: Mat;
  ofmap: Mat;
}

/** A K -> N dense layer over `batch` samples: every element its own address. */
export function denseOperands(K: number, N: number, batch: number): Operands {
  let a = 0;
  const ifmap: Mat = Array.from({ length: batch }, () => Array.from({ length: K }, () => a++));
  const filter: Mat = Array.from({ length: K }, () => Array.from({ length: N }, () => a++));
  const ofmap: Mat = Array.from({ length: batch }, () => Array.from({ length: N }, () => a++));
  return { ifmap, filter, ofmap };
}

export interface ConvGeom {
  H: number;
  W: number;
  C: number;
  Fh: number;
  Fw: number;
  sh: number;
  sw: number;
  filters: number;
}

/**
 * A convolution as SCALE-Sim's operand_matrix.py addresses it (no padding, ifmap
 * H x W x C stored channel-innermost): im2col row i = output pixel (i / Wo, i % Wo),
 * column j = (r, s, ch) with ch innermost; ifmap address
 * (oh sh + r) W C + (ow sw + s) C + ch, so overlapping windows repeat addresses.
 * Filter and ofmap addresses are distinct (disjoint from the ifmap's).
 */
export function convOperands(g: ConvGeom): Operands {
  const Ho = Math.floor((g.H - g.Fh) / g.sh) + 1;
  const Wo = Math.floor((g.W - g.Fw) / g.sw) + 1;
  const K = g.Fh * g.Fw * g.C;
  const ifmap: Mat = [];
  for (let oh = 0; oh < Ho; oh++)
    for (let ow = 0; ow < Wo; ow++) {
      const row: number[] = [];
      for (let r = 0; r < g.Fh; r++)
        for (let s = 0; s < g.Fw; s++) for (let ch = 0; ch < g.C; ch++) row.push((oh * g.sh + r) * g.W * g.C + (ow * g.sw + s) * g.C + ch);
      ifmap.push(row);
    }
  let a = g.H * g.W * g.C;
  const filter: Mat = Array.from({ length: K }, () => Array.from({ length: g.filters }, () => a++));
  const ofmap: Mat = Array.from({ length: Ho * Wo }, () => Array.from({ length: g.filters }, () => a++));
  return { ifmap, filter, ofmap };
}

/** SCALE-Sim's prefetch and demand matrices of a K -> N dense layer over `batch` samples. */
export function scaleSimMatrices(df: 'ws' | 'os' | 'is', K: number, N: number, batch: number, R: number, C: number): Matrices {
  return scaleSimMatricesOf(df, denseOperands(K, N, batch), R, C);
}

/** SCALE-Sim's prefetch and demand matrices of a layer given by its operand matrices. */
export function scaleSimMatricesOf(df: 'ws' | 'os' | 'is', ops: Operands, R: number, C: number): Matrices {
  const { ifmap, filter, ofmap } = ops;
  const K = filter.length;
  const N = filter[0]!.length;
  const batch = ifmap.length;
  const ifT = transpose(ifmap, K);
  const fold = (n: number, size: number) =>
    Array.from({ length: Math.ceil(n / size) }, (_, f) => [f * size, Math.min(n, f * size + size)] as const);
  const ifDem: Mat = [];
  const fDem: Mat = [];
  const oDem: Mat = [];
  let ifPre: number[];
  let fPre: number[];
  if (df === 'ws') {
    const [Sr, Sc, T] = [K, N, batch];
    ifPre = rollout(fold(Sr, R).flatMap(([s, e]) => padCols(cols(ifmap, s, e), R)));
    fPre = fold(Sc, C)
      .flatMap(([s, e]) => padCols(cols(filter, s, e), C))
      .flat();
    for (const [cs, ce] of fold(Sc, C))
      for (const [rs, re] of fold(Sr, R)) {
        ifDem.push(...skew([...nulls(R, R), ...padCols(cols(ifmap, rs, re), R), ...nulls(C - 1, R)]));
        const blk = padCols(cols(filter.slice(rs, re), cs, ce), C);
        fDem.push(...[...blk, ...nulls(R - blk.length, C)].reverse(), ...nulls(R + C + T - 2, C));
        oDem.push(...skew([...nulls(2 * R - 1, C), ...padCols(cols(ofmap, cs, ce), C)]));
      }
  } else if (df === 'os') {
    const [Sr, Sc] = [batch, N];
    ifPre = rollout(fold(Sr, R).flatMap(([s, e]) => padCols(cols(ifT, s, e), R)));
    fPre = rollout(fold(Sc, C).flatMap(([s, e]) => padCols(cols(filter, s, e), C)));
    for (const [cs, ce] of fold(Sc, C))
      for (const [rs, re] of fold(Sr, R)) {
        ifDem.push(...skew([...padCols(cols(ifT, rs, re), R), ...nulls(C - 1, R)]));
        fDem.push(...skew([...padCols(cols(filter, cs, ce), C), ...nulls(R - 1, C)]));
        const blk = padCols(cols(ofmap.slice(rs, re), cs, ce), C);
        oDem.push(...skew([...nulls(K - 1, C), ...[...blk, ...nulls(R - blk.length, C)].reverse()]));
      }
  } else {
    const [Sr, Sc, T] = [K, batch, N];
    ifPre = fold(Sc, C)
      .flatMap(([s, e]) => padCols(cols(ifT, s, e), C))
      .flat();
    const fT = (s: number, e: number) => transpose(filter.slice(s, e), N);
    fPre = rollout(fold(Sr, R).flatMap(([s, e]) => padCols(fT(s, e), R)));
    for (const [cs, ce] of fold(Sc, C))
      for (const [rs, re] of fold(Sr, R)) {
        const blk = padCols(cols(ifT.slice(rs, re), cs, ce), C);
        ifDem.push(...[...blk, ...nulls(R - blk.length, C)].reverse(), ...nulls(R + C + T - 2, C));
        fDem.push(...skew([...nulls(R, R), ...padCols(fT(rs, re), R), ...nulls(C - 1, R)]));
        oDem.push(...skew([...nulls(2 * R - 1, C), ...padCols(transpose(ofmap.slice(cs, ce), N), C)]));
      }
  }
  return { ifPre, fPre, ifDem, fDem, oDem };
}

class ReadBufferTrace {
  sets: Set<number>[] = [];
  lines: number;
  active: number;
  step: number;
  fetch: number;
  start = 0;
  last = -1;

  constructor(pre: number[], size: number, bw: number) {
    let cur = new Set<number>();
    let n = 0;
    for (const v of pre) {
      if (v === -1) continue;
      cur.add(v);
      if (++n === bw) {
        this.sets.push(cur);
        cur = new Set();
        n = 0;
      }
    }
    this.sets.push(cur);
    this.lines = this.sets.length;
    const A = Math.ceil(size * 0.5);
    const P = size - A;
    this.active = Math.min(Math.ceil(A / bw), this.lines);
    this.step = Math.min(Math.ceil(P / bw), this.lines - this.active);
    this.fetch = Math.ceil(P / bw);
  }

  /** The first active line (from the window's start) holding addr, -1 when none does. */
  hit(addr: number): number {
    for (let k = 0; k < this.active; k++) {
      const line = (this.start + k) % this.lines;
      if (this.sets[line]!.has(addr)) return line;
    }
    return -1;
  }

  serve(row: number[], cycle: number): number {
    let offset = 1;
    const touched = new Set<number>();
    for (const addr of row) {
      if (addr === -1) continue;
      while (this.hit(addr) < 0) {
        this.start = (this.start + this.step) % this.lines;
        this.last += this.fetch + 1;
        const d = this.last - (cycle + offset);
        offset += d;
        if (d > 0) offset += d;
      }
      touched.add(this.hit(addr));
    }
    // one bank with two ports: a row whose hits lie in L distinct lines takes ceil(L / 2) - 1 more cycles
    offset += Math.ceil(touched.size / 2) - 1;
    return offset - 1;
  }
}

class WriteBufferTrace {
  free: number;
  active: number;
  drainLines: number;
  /** Valid elements of each line in the trace; the line being filled is `fill`. */
  trace: number[] = [];
  fill = 0;
  drainStart = 0;
  drainEnd = 0;

  constructor(
    private size: number,
    private bw: number,
  ) {
    this.free = size;
    this.active = Math.ceil(size * 0.5);
    this.drainLines = Math.ceil((size - this.active) / bw);
  }

  serve(row: number[], cycle: number): number {
    let cur = cycle;
    for (const v of row) {
      if (v === -1) continue;
      this.free--;
      if (++this.fill === this.bw) {
        this.trace.push(this.bw);
        this.fill = 0;
      }
      if (cur < this.drainEnd) {
        if (this.free <= 0) cur = this.drainEnd;
      } else if (this.free < this.size - (this.size - this.active)) {
        if (this.fill > 0) {
          this.trace.push(this.fill);
          this.fill = 0;
        }
        const end = Math.min(this.drainStart + this.drainLines, this.trace.length);
        const n = end - this.drainStart;
        const drained = n * this.bw - (this.bw - this.trace[end - 1]!);
        this.drainEnd = cur + n - 1;
        cur = this.drainEnd;
        this.free += drained;
        this.drainStart = end;
      }
    }
    return cur - cycle;
  }
}

/** SCALE-Sim's stall cycles of the layer with SRAMs of `size` elements and `bw` elements per cycle each. */
export function scaleSimStalls(m: Matrices, size: { ifmap: number; filter: number; ofmap: number }, bw: number): number {
  const ib = new ReadBufferTrace(m.ifPre, size.ifmap, bw);
  const fb = new ReadBufferTrace(m.fPre, size.filter, bw);
  const ob = new WriteBufferTrace(size.ofmap, bw);
  let stalls = 0;
  for (let i = 0; i < m.oDem.length; i++) {
    const cycle = i + stalls;
    stalls += Math.max(ib.serve(m.ifDem[i]!, cycle), fb.serve(m.fDem[i]!, cycle), ob.serve(m.oDem[i]!, cycle));
  }
  return stalls;
}
