/**
 * Errors a user can cause (bad option, malformed file, unknown name). The CLI
 * prints `message` as one line on stderr and exits with code 2. Every message
 * names the bad value and says what is accepted.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string) {
    super(message);
  }
}

/** A verification found a mismatch: the CLI exits with code 1. */
export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
  constructor(message: string) {
    super(message);
  }
}

/** Throws a UserError unless `ok`. */
export function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new UserError(message);
}
