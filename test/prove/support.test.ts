import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getActivation, tableIndexShift } from '../../src/activations/index.js';
import { parseFormat } from '../../src/fixedpoint/index.js';
import { enumeratedLowBits, inputSupport } from '../../src/prove/index.js';
import { expectedCode } from '../activations/oracle.js';

/*
 * The table-activation proof enumerates only x[W-1:W-16]: sound because the
 * circuit does not read the low bits (its cone of influence) and the model
 * does not either. Both facts are checked here against independent evidence.
 */
describe('prove: the low input bits of a wide table unit', () => {
  it.each(['gelu', 'sigmoid', 'tanh', 'hardswish'])('%s: the exact model equals the oracle, which ignores x[W-17:0] (property)', (name) => {
    const def = getActivation(name);
    for (const w of [24, 40, 64]) {
      const inFmt = parseFormat(`fixed<${w},8>`),
        outFmt = def.defaultOutput(inFmt),
        shift = BigInt(tableIndexShift(inFmt));
      const half = 1n << BigInt(w - 1);
      fc.assert(
        fc.property(fc.bigInt({ min: -half, max: half - 1n }), fc.bigInt({ min: 0n, max: (1n << shift) - 1n }), (x, low) => {
          const top = (x >> shift) << shift;
          expect(def.functionalBig(top | low, inFmt, outFmt)).toBe(expectedCode(def.spec, top, inFmt, outFmt));
        }),
        { seed: 19, numRuns: 60 },
      );
    }
  });

  it('the circuit of a 20-bit table reads exactly x[19:4]; a logic unit reads all of x', () => {
    const sig = getActivation('sigmoid'),
      f20 = parseFormat('fixed<20,8>');
    const net = sig.circuit(f20, sig.defaultOutput(f20));
    expect([...inputSupport(net)].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => 4 + i));
    expect(enumeratedLowBits(net, sig, f20)).toBe(4);
    const relu = getActivation('relu');
    expect(enumeratedLowBits(relu.circuit(f20, relu.defaultOutput(f20)), relu, f20)).toBe(0);
  });
});
