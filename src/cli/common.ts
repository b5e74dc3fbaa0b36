import { CommanderError, InvalidArgumentError } from 'commander';
import { ACTIVATION_SYNTAX } from '../activations/float.js';
import { sanitizeMessage, UserError, VerificationFailure } from '../errors.js';

/**
 * Maps an error to the CLI contract: user errors and usage errors print one
 * line on stderr and exit 2; a failed verification exits 1; anything else is a
 * bug in helu-sim: one line asking for a report with the command that
 * triggered it, exit 3 (the stack with --debug). Every line goes through
 * sanitizeMessage, so no input can split it.
 */
export function handleError(e: unknown, debug: boolean, argv: readonly string[] = process.argv.slice(2)): never {
  if (e instanceof CommanderError) {
    // commander already printed its message (help, version, or one usage line: see outputError in main.ts).
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (debug && e instanceof Error) process.stderr.write(`${e.stack ?? e.message}\n`);
  if (e instanceof VerificationFailure) {
    if (!debug) process.stderr.write(`helu-sim: ${e.message}\n`);
    process.exit(1);
  }
  if (e instanceof UserError) {
    if (!debug) process.stderr.write(`helu-sim: ${e.message}\n`);
    process.exit(2);
  }
  if (!debug) process.stderr.write(`${internalErrorLine(e, argv)}\n`);
  process.exit(3);
}

/** The one line printed for a bug: what failed, and a request to report it with the command. */
export function internalErrorLine(e: unknown, argv: readonly string[]): string {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const command = ['helu-sim', ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  return `helu-sim: internal error (${sanitizeMessage(msg)}); this is a bug in helu-sim, please report it with the command that triggered it: ${sanitizeMessage(command)} (run with --debug for the stack)`;
}

/** commander's error output as one sanitized line, with the pointer to --help on the same line. */
export function usageErrorLine(text: string): string {
  const first = text.trim().replace(/\s*\n\s*/g, ' ');
  return `helu-sim: ${sanitizeMessage(first.replace(/^error: /, ''))} (run with --help for usage)\n`;
}

/** Prints one JSON document on stdout (the only thing --json prints there). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** commander argument parser for a positive integer option. */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^[0-9]+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
      throw new InvalidArgumentError(`${name} must be a positive integer up to 2^53-1, got '${v}'`);
    return Number(v);
  };
}

/** commander argument parser for a non-negative integer option. */
export function nonNegativeInt(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^[0-9]+$/.test(v) || !Number.isSafeInteger(Number(v)))
      throw new InvalidArgumentError(`${name} must be a non-negative integer up to 2^53-1, got '${v}'`);
    return Number(v);
  };
}

/** commander argument parser for a finite number option. */
export function finiteNumber(name: string): (v: string) => number {
  return (v: string) => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a finite number, got '${v}'`);
    return x;
  };
}

/** Help text of an activation argument (names and parameter forms from the activation library). */
export const ACTIVATION_ARG_HELP = `activation: ${ACTIVATION_SYNTAX}`;

/** Help text of an --in format option. */
export const IN_FORMAT_HELP = "input format, e.g. 'fixed<8,4>', 'ufixed<8,0>', int8";
