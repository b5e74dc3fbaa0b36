import { sizeOf } from '../../../models/graph.js';
import type { ConcatLayer, TensorQuant } from '../../quantize/model.js';
import { countEvent } from '../accumulate.js';
import type { Scheme } from '../scheme.js';
import { kernels } from '../wasm/module.js';
import { fitsI16, narrowParams, paramsAt, type NarrowParams } from '../wasm/narrow.js';
import type { FixedFormat } from '../../../fixedpoint/types.js';
import type { ResidentKernel } from './steps.js';

/*
 * Concat in the resident pipeline: for each sample and each index of the
 * axes before `axis`, the inputs' blocks in turn. A block whose quantization
 * equals the output's is a byte copy; another is converted as the scheme's
 * convert does (Scheme.convertStage: one shift, the output's rounding and
 * overflow), through add_i16_narrow with weights 1 and 0 (a * 1 + a * 0 = a,
 * then the output stage).
 */

/** Bytes of the conversion's int32 scratch (the add kernel's chunk). */
const SCRATCH = 8192 * 4;

export function residentConcat(
  s: Scheme,
  l: ConcatLayer,
  ins: readonly TensorQuant[],
  shapes: readonly (readonly number[])[],
): ResidentKernel | undefined {
  const stages = ins.map((q) => s.convertStage?.(q, l.out));
  if (stages.some((st) => st === undefined || (st !== 'same' && !fitsI16(st.to)))) return undefined;
  const conv = stages.map((st): { params: NarrowParams; to: FixedFormat } | undefined =>
    st === 'same' || st === undefined ? undefined : { params: narrowParams(st, true), to: st.to },
  );
  const outer = sizeOf(shapes[0]!.slice(0, l.axis));
  const blocks = shapes.map((sh) => sizeOf(sh.slice(l.axis)));
  const total = blocks.reduce((p, b) => p + b, 0);
  return {
    scratch: () => (conv.some((c) => c) ? SCRATCH : 0),
    run(at, batch, ev) {
      const k = kernels(),
        bytes = new Uint8Array(k.memory.buffer);
      for (let r = 0; r < batch * outer; r++) {
        let o = at.out + r * total * 2;
        blocks.forEach((n, i) => {
          const src = at.ins[i]! + r * n * 2,
            c = conv[i];
          if (!c) bytes.copyWithin(o, src, src + n * 2);
          else {
            const p = paramsAt(c.params);
            const e = k.add_i16_narrow(src, src, n, 1, 0, at.scratch, o, p.shifts, p.q);
            if (e > 0) countEvent(ev, c.to, e);
          }
          o += n * 2;
        });
      }
    },
  };
}
