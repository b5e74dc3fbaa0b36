import { MAX_MESSAGE, UserError } from '../../src/errors.js';

/** Longest a single fuzz input may take before it counts as a hang. */
export const TIME_BOUND_MS = 10_000;

export type Outcome = { kind: 'ok' } | { kind: 'user-error' } | { kind: 'failure'; reason: string };

/**
 * Runs one input and classifies what happened. The property of the fuzz
 * suite: a run returns, or throws the project's UserError with a one-line
 * message of at most MAX_MESSAGE characters, within TIME_BOUND_MS. Anything
 * else (TypeError, RangeError, a plain Error, a multi-line message, a slow
 * run) is a failure.
 */
export function outcomeOf(run: () => void): Outcome {
  const t0 = performance.now();
  let out: Outcome;
  try {
    run();
    out = { kind: 'ok' };
  } catch (e) {
    if (e instanceof UserError) {
      const bad = /[\x00-\x1f\x7f\u2028\u2029]/.test(e.message) || e.message.length > MAX_MESSAGE;
      out = bad
        ? { kind: 'failure', reason: `user error not one clean line: ${JSON.stringify(e.message.slice(0, 200))}` }
        : { kind: 'user-error' };
    } else {
      const err = e instanceof Error ? `${e.name}: ${e.message}` : `non-error thrown: ${String(e)}`;
      out = { kind: 'failure', reason: err.split('\n')[0]!.slice(0, 300) };
    }
  }
  const ms = performance.now() - t0;
  if (ms > TIME_BOUND_MS) return { kind: 'failure', reason: `took ${ms.toFixed(0)} ms (bound ${TIME_BOUND_MS} ms)` };
  return out;
}
