import { GATES, OPCODE_GATES, wordExpr } from '../gates.js';
import { ONE, ZERO, type Bit, type Netlist } from '../ir.js';
import { checkKernelInput, checkRun } from './kernel-check.js';
import { LOW_PATTERNS, type Kernel, type KernelSpec } from './kernel.js';
import { schedule } from './schedule.js';

/**
 * The interpreted form of a kernel: the schedule as typed arrays of opcodes
 * and operand offsets, every net a row of `maxWords` words in one Int32Array,
 * each cell a tight loop over the words of a block. No code generation, so it
 * starts at once: the better choice when a circuit is simulated over few
 * vectors (compiling a big circuit to JavaScript costs far more than running
 * it over a few thousand words). Same contract as compileKernel, without sink.
 */
type WordLoop = (S: Int32Array, a: number, b: number, c: number, o: number, n: number) => void;

/**
 * One loop per opcode over the words of a block, its body the gate table's
 * word expression (made once, when this module loads: ten small functions,
 * not code per circuit).
 */
const LOOPS: readonly WordLoop[] = OPCODE_GATES.map((t) => {
  const body = wordExpr(t, ['S[a + i]', 'S[b + i]', 'S[c + i]'].slice(0, GATES[t].pins.length));
  return new Function('S', 'a', 'b', 'c', 'o', 'n', `"use strict"; for (let i = 0; i < n; i++) S[o + i] = ${body};`) as WordLoop;
});

/** Same entry checks as compileKernel (kernel-check.ts). */
export function interpretKernel(net: Netlist, spec: KernelSpec): Kernel {
  if (spec.sink) throw new Error('internal: the interpreted kernel has no sink');
  checkKernelInput(net, spec);
  const sched = schedule(net, spec.mode);
  const B = spec.maxWords;
  const row = new Map<Bit, number>([
    [ZERO, 0],
    [ONE, 1],
  ]);
  const rowOf = (raw: Bit): number => {
    const b = sched.alias.get(raw) ?? raw;
    let r = row.get(b);
    if (r === undefined) row.set(b, (r = row.size));
    return r;
  };
  const inRows = Int32Array.from(spec.inputs, rowOf);
  const counter = spec.counterBits ?? [];
  const counterRows = Int32Array.from(counter, rowOf);
  const n = sched.order.length;
  const op = new Uint8Array(n),
    out = new Int32Array(n),
    a = new Int32Array(n),
    b = new Int32Array(n),
    c = new Int32Array(n);
  sched.order.forEach((cell, i) => {
    op[i] = GATES[cell.type].opcode;
    a[i] = rowOf(cell.inputs[0]) * B;
    b[i] = cell.inputs.length > 1 ? rowOf(cell.inputs[1]) * B : 0;
    c[i] = cell.inputs.length > 2 ? rowOf(cell.inputs[2]) * B : 0;
    out[i] = rowOf(cell.output) * B;
  });
  const outRows = Int32Array.from(spec.outputs, rowOf);
  const S = new Int32Array(row.size * B);
  S.fill(-1, B, 2 * B);
  return {
    cellsPerWord: n,
    run(inputs, outputs, words, wordBase) {
      checkRun(spec, inputs, outputs, words, wordBase);
      inRows.forEach((r, k) => S.set(inputs.subarray(k * B, k * B + words), r * B));
      counterRows.forEach((r, k) => fillCounter(S, r * B, k, words, wordBase));
      evaluate(S, op, a, b, c, out, words);
      outRows.forEach((r, k) => outputs.set(S.subarray(r * B, r * B + words), k * B));
      return 0;
    },
  };
}

/** Bit k of the vector index 32*(wordBase+w)+j for the words of a block. */
function fillCounter(S: Int32Array, at: number, k: number, words: number, wordBase: number): void {
  if (k < 5) {
    S.fill(LOW_PATTERNS[k], at, at + words);
    return;
  }
  for (let w = 0; w < words; w++) S[at + w] = -(((wordBase + w) >>> (k - 5)) & 1);
}

function evaluate(S: Int32Array, op: Uint8Array, A: Int32Array, B: Int32Array, C: Int32Array, O: Int32Array, n: number): void {
  for (let g = 0; g < op.length; g++) LOOPS[op[g]!]!(S, A[g]!, B[g]!, C[g]!, O[g]!, n);
}
