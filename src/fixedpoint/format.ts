import { lookup, UserError } from '../errors.js';
import { OVERFLOWS, ROUNDINGS, type FixedFormat, type Overflow, type Rounding } from './types.js';

/** Widths accepted by parseFormat (the ap_fixed range used in this project). */
export const MAX_PARSED_WIDTH = 64;
/**
 * |I| bound: far beyond every double's exponent range (2^-1074 .. 2^1024), so
 * every format a user can mean is allowed while bigint shifts stay small.
 */
export const MAX_ABS_INT_BITS = 1 << 16;

const SHORTHANDS: Readonly<Record<string, FixedFormat>> = {
  int8: plain(true, 8),
  uint8: plain(false, 8),
  int16: plain(true, 16),
  uint16: plain(false, 16),
  int32: plain(true, 32),
  uint32: plain(false, 32),
};

function plain(signed: boolean, width: number): FixedFormat {
  return { signed, width, intBits: width, rounding: 'TRN', overflow: 'WRAP' };
}

const ACCEPTED =
  `fixed<W,I[,Q[,O]]> or ufixed<W,I[,Q[,O]]> (W 1..${MAX_PARSED_WIDTH}, I an integer, ` +
  `Q one of ${ROUNDINGS.join(',')}, O one of ${OVERFLOWS.join(',')}), or ${Object.keys(SHORTHANDS).join(', ')}`;

/**
 * Parses 'fixed<8,4>', 'ufixed<8,0,RND_CONV,SAT>', the Vitis spellings
 * 'ap_fixed<...>' / 'AP_RND' (case-insensitive) and the integer shorthands
 * int8, uint8, int16, uint16, int32, uint32 (I = W, so the LSB is 1).
 * Defaults: rounding TRN, overflow WRAP. Throws UserError naming the bad text.
 */
export function parseFormat(s: string): FixedFormat {
  const text = s.trim();
  const short = lookup(SHORTHANDS, text.toLowerCase());
  if (short) return short;
  const m = /^(ap_)?(u?)fixed\s*<([^<>]*)>$/i.exec(text);
  if (!m) throw new UserError(`bad fixed-point format '${s}': expected ${ACCEPTED}`);
  const parts = m[3]!.split(',').map((p) => p.trim());
  if (parts.length < 2 || parts.length > 4) {
    throw new UserError(`bad fixed-point format '${s}': expected 2 to 4 parameters, ${ACCEPTED}`);
  }
  const width = parseInteger(parts[0]!, 'W', s);
  const intBits = parseInteger(parts[1]!, 'I', s);
  if (width < 1 || width > MAX_PARSED_WIDTH) {
    throw new UserError(`bad fixed-point format '${s}': W must be 1..${MAX_PARSED_WIDTH}, got ${width}`);
  }
  if (Math.abs(intBits) > MAX_ABS_INT_BITS) {
    throw new UserError(`bad fixed-point format '${s}': I must be within ±${MAX_ABS_INT_BITS}, got ${intBits}`);
  }
  const rounding = parts[2] === undefined ? 'TRN' : parseMode(parts[2], ROUNDINGS, 'rounding mode', s);
  const overflow = parts[3] === undefined ? 'WRAP' : parseMode(parts[3], OVERFLOWS, 'overflow mode', s);
  return { signed: m[2] === '', width, intBits, rounding, overflow };
}

function parseInteger(p: string, name: string, s: string): number {
  if (!/^[+-]?\d{1,9}$/.test(p)) throw new UserError(`bad fixed-point format '${s}': ${name} must be an integer, got '${p}'`);
  return Number(p);
}

function parseMode<T extends string>(p: string, accepted: readonly T[], what: string, s: string): T {
  const name = p.toUpperCase().replace(/^AP_/, '');
  const found = accepted.find((a) => a === name);
  if (!found) throw new UserError(`bad fixed-point format '${s}': unknown ${what} '${p}', accepted: ${accepted.join(', ')}`);
  return found;
}

/**
 * Canonical text of a format; parseFormat(formatToString(f)) equals f. The
 * defaults are omitted from the right: 'fixed<8,4>', 'fixed<8,4,RND>',
 * 'fixed<8,4,TRN,SAT>'.
 */
export function formatToString(f: FixedFormat): string {
  const params = [String(f.width), String(f.intBits)];
  if (f.rounding !== 'TRN' || f.overflow !== 'WRAP') params.push(f.rounding);
  if (f.overflow !== 'WRAP') params.push(f.overflow);
  return `${f.signed ? 'fixed' : 'ufixed'}<${params.join(',')}>`;
}

/**
 * Checks a format built in code (not parsed): W a positive integer (no upper
 * bound, so the exact growth formats of wide products are valid), I an integer
 * within ±MAX_ABS_INT_BITS, known modes. Returns f.
 */
export function validateFormat(f: FixedFormat): FixedFormat {
  const ok =
    typeof f === 'object' &&
    f !== null &&
    typeof f.signed === 'boolean' &&
    Number.isInteger(f.width) &&
    f.width >= 1 &&
    f.width <= MAX_ABS_INT_BITS &&
    Number.isInteger(f.intBits) &&
    Math.abs(f.intBits) <= MAX_ABS_INT_BITS &&
    ROUNDINGS.includes(f.rounding) &&
    OVERFLOWS.includes(f.overflow);
  if (!ok) throw new UserError(`bad fixed-point format ${JSON.stringify(f)}: expected ${ACCEPTED}`);
  return f;
}

/** F = W - I: the LSB weighs 2^-F. */
export function fracBits(f: FixedFormat): number {
  return f.width - f.intBits;
}

/** Smallest code: -2^(W-1) signed, 0 unsigned. */
export function minCode(f: FixedFormat): bigint {
  return f.signed ? -(1n << BigInt(f.width - 1)) : 0n;
}

/** Largest code: 2^(W-1) - 1 signed, 2^W - 1 unsigned. */
export function maxCode(f: FixedFormat): bigint {
  return (1n << BigInt(f.signed ? f.width - 1 : f.width)) - 1n;
}

/** The same format with other rounding and overflow modes. */
export function withModes(f: FixedFormat, rounding: Rounding, overflow: Overflow): FixedFormat {
  return { signed: f.signed, width: f.width, intBits: f.intBits, rounding, overflow };
}

/** Structural equality of two formats (all five fields). */
export function sameFormat(a: FixedFormat, b: FixedFormat): boolean {
  return a.signed === b.signed && a.width === b.width && a.intBits === b.intBits && a.rounding === b.rounding && a.overflow === b.overflow;
}
