/** Longest quoted value ('...') kept whole in a message; longer ones are cut with an ellipsis. */
export const MAX_QUOTED = 80;
/** Longest message printed; the rest is cut with an ellipsis. */
export const MAX_MESSAGE = 400;

/** A control character (C0, DEL, C1) or a line/paragraph separator as a visible escape. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The one place a message meets the terminal: control characters (newlines,
 * escapes, NUL, C1 codes, U+2028/9) become visible escapes ('\n', '\x1b'),
 * every single-quoted value longer than MAX_QUOTED characters is cut to
 * MAX_QUOTED with an ellipsis, and the whole text to MAX_MESSAGE. The result is
 * one line whatever the user's input held (binary bytes, huge names).
 */
export function sanitizeMessage(message: string): string {
  const escaped = message.replace(CONTROL, escapeChar);
  const quoted = escaped.replace(/'([^']{1,})'/g, (_m, inner: string) => `'${cut(inner, MAX_QUOTED)}'`);
  return cut(quoted, MAX_MESSAGE);
}

/**
 * Errors a user can cause (bad option, malformed file, unknown name). The CLI
 * prints `message` as one line on stderr and exits with code 2. Every message
 * names the bad value and says what is accepted. The message is sanitized on
 * construction (sanitizeMessage), so user text quoted in it can neither break
 * the line nor flood the terminal.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string) {
    super(sanitizeMessage(message));
  }
}

/** A verification found a mismatch: the CLI exits with code 1. */
export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
  constructor(message: string) {
    super(sanitizeMessage(message));
  }
}

/** Throws a UserError unless `ok`. */
export function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new UserError(message);
}

/**
 * Looks up a user-given name in a table keyed by names: own properties only,
 * so 'constructor', '__proto__' or 'toString' never reach Object.prototype.
 */
export function lookup<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
