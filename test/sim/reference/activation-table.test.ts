import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATION_KINDS } from '../../../src/activations/float.js';
import { referenceActivation, referenceActivationArray } from '../../../src/sim/reference/pow2/activation.js';
import { realFormat } from '../../../src/sim/reference/pow2/real.js';

/*
 * The reference's whole-tensor activation (a table over the input grid for
 * inputs up to 16 bits) gives, element by element and in events, what the
 * per-element definition gives: for every grid value of the input format,
 * and for values off the grid or out of range (evaluated directly).
 */
const fmt = (signed: boolean, w: number, i: number) => `${signed ? '' : 'u'}fixed<${w},${i},RND_CONV,SAT>`;

describe('reference activation over a tensor', () => {
  it('equals the per-element definition, events included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIVATION_KINDS.filter((k) => k !== 'hardsigmoid')),
        fc.oneof(fc.integer({ min: 2, max: 10 }), fc.constant(17)),
        fc.integer({ min: -2, max: 5 }),
        fc.boolean(),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.double({ min: -40, max: 40, noNaN: true }), { maxLength: 8 }),
        (kind, w, i, signed, wo, io, extra) => {
          const inF = realFormat(fmt(signed, w, i)),
            outF = realFormat(fmt(false, wo, io));
          const grid = Array.from({ length: Math.min(2 ** w, 5000) }, (_, k) => inF.lo + k * inF.lsb).filter((v) => v <= inF.hi);
          const x = Float64Array.from([...grid, ...extra]);
          const ev = { saturations: 0, wraps: 0 },
            ev1 = { saturations: 0, wraps: 0 };
          const got = referenceActivationArray(kind, inF, outF)(x, ev);
          const act = referenceActivation(kind, inF, outF);
          x.forEach((v, k) => expect(Object.is(got[k], act(v, ev1))).toBe(true));
          expect(ev).toEqual(ev1);
        },
      ),
      { seed: 1304, numRuns: 50 },
    );
  });
});
