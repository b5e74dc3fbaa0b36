import { expect } from 'vitest';
import { UserError } from '../../src/errors.js';

/** `fn` must throw the project's UserError, with a one-line message matching `pattern`. */
export function expectOneLineUserError(fn: () => unknown, pattern: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
}
