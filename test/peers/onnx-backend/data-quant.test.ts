// The ONNX backend node tests of the data-movement and reduction ops (Gather, Slice, Split,
// nearest Resize/Upsample, ReduceSum/Mean/Max/Min, constant Pad) that pass in float, carried on
// through 8-bit pow2 quantize (calibrated on the case's own input) and verify: 0 mismatches
// against the float reference, and the integer outputs against the ONNX reference outputs:
// a selection equals the expected values quantized into the input's format, code for code; a
// sum or mean lies within its rounding bound. Affine: the engine's onnxruntime scheme equals
// the float32 reference on every code. A case quantize refuses is listed with its line.
import { describe, expect, it } from 'vitest';
import { formatToString, fracBits, parseFormat } from '../../../src/fixedpoint/format.js';
import { quantizeNumber } from '../../../src/fixedpoint/number.js';
import { importOnnx } from '../../../src/models/onnx/import.js';
import { runInteger } from '../../../src/sim/engine/run.js';
import { quantizeAffine } from '../../../src/sim/quantize/affine/export.js';
import { quantizeModel } from '../../../src/sim/quantize/quantize.js';
import { compareAffineSchemes } from '../../../src/sim/verify/affine-compare.js';
import { verifyModel } from '../../../src/sim/verify/verify.js';
import { caseBytes, runCase } from '../onnx-backend-float-run.js';
import { backendNodeCases } from './cases.js';

const DATA = /^test_(gather_|slice|split_|resize_.*nearest|upsample_nearest|reduce_(sum|mean|max|min)_|constant_pad)/;
/** Cases refused by quantize, with the line they get: a pad value (1.2) off every 8-bit grid. */
const REFUSED: Record<string, RegExp> = {
  test_constant_pad: /^node 'Pad_0': Pad value 1\.2\d* is not exactly representable in the input's quantization fixed<8,3,RND_CONV,SAT> /,
};
const cases = backendNodeCases((n) => DATA.test(n) && !n.startsWith('test_reduce_sum_square')).filter((c) => runCase(c).kind === 'pass');

describe('ONNX backend node tests of data ops, through quantize', () => {
  it('enough cases pass in float to make the check meaningful', () => {
    console.log(
      `data-op backend cases passing in float, carried through quantize: ${cases.length} (${cases.map((c) => c.name).join(', ')})`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    it(`${c.name}: pow2 verifies with 0 mismatches, outputs match ONNX's; affine onnxruntime = float32 reference`, () => {
      const g = importOnnx(caseBytes(c), c.name);
      const set = c.sets[0]!;
      const x = set.inputs[0]!;
      const batch = x.dims[0]!;
      if (REFUSED[c.name]) {
        expect(() => quantizeModel(g, { x: x.values, count: batch }, { bits: 8 })).toThrow(REFUSED[c.name]!);
        return;
      }
      const m = quantizeModel(g, { x: x.values, count: batch }, { bits: 8 });
      const r = verifyModel(m, { x: x.values, count: batch });
      expect([r.mismatches, r.eventMismatches]).toEqual([0, 0]);
      // no layer at all when the op is a no-op (ONNX 1.12's reduce cases with empty axes)
      const last = m.layers.find((l) => l.output === m.outputs[0]);
      const f = parseFormat(((last?.out ?? m.input.quant) as { format: string }).format);
      const got = runInteger(m, x.values, batch, { keep: 'outputs' }).tensors.get(m.outputs[0]!)!;
      const want = set.outputs[0]!.values;
      const inF = parseFormat((m.input.quant as { format: string }).format);
      const lsb = 2 ** -fracBits(f);
      if (last?.op === 'reduce' && (last.fn === 'sum' || last.fn === 'mean')) {
        // each input off by at most half its LSB (saturation aside: calibrated on this input), then one rounding
        const n = x.values.length / batch / (got.length / batch);
        const bound = ((last.fn === 'sum' ? n : 1) * 2 ** -fracBits(inF)) / 2 + lsb;
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! * lsb - want[i]!)).toBeLessThanOrEqual(bound);
      } else {
        expect(formatToString(f)).toBe(formatToString(inF));
        expect(Array.from(got)).toEqual(Array.from(want, (v) => quantizeNumber(v, f)));
      }
      const a = quantizeAffine(g, { x: x.values, count: batch });
      const d = compareAffineSchemes(a, x.values, batch, { schemes: ['onnxruntime'], reference: 'float32' }).schemes[0]!;
      expect(d.differing).toBe(0);
    });
  }
});
