// The short fuzz run: every loader and parser a user can reach, seeded, a few
// hundred inputs each; `npm run fuzz` runs the long one (bench/fuzz/run.ts).
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomeOf } from '../../bench/fuzz/outcome.js';
import { scratch, TARGETS } from '../../bench/fuzz/targets.js';
import { setMaxTensorBytes, DEFAULT_MAX_TENSOR_BYTES } from '../../src/limits.js';

const SEED = 20261203;
const RUNS = Number(process.env['FUZZ_SHORT_RUNS'] ?? 100);
let root = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'helu-fuzz-'));
  setMaxTensorBytes(64 * 2 ** 20); // as the long run: ceiling refusals are exercised and nothing large is allocated
});
afterAll(() => {
  setMaxTensorBytes(DEFAULT_MAX_TENSOR_BYTES);
  rmSync(root, { recursive: true, force: true });
});

describe('fuzz: every failure is a one-line UserError', () => {
  for (const t of TARGETS) {
    it(t.name, () => {
      const dir = scratch(root, t.name);
      const kinds = { ok: 0, 'user-error': 0 };
      fc.assert(
        fc.property(t.input, (input) => {
          const o = outcomeOf(() => t.run(input, dir));
          if (o.kind === 'failure') throw new Error(`${t.name}: ${o.reason}`);
          kinds[o.kind]++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // The generators must reach both sides: some inputs refused, and (for
      // mutation-based targets) some accepted.
      expect(kinds['user-error']).toBeGreaterThan(0);
    });
  }
});
