import { UserError } from '../errors.js';
import { checkCode } from './convert.js';
import type { FixedFormat } from './types.js';

/** The raw unsigned W-bit pattern of a code (two's complement for signed codes). */
export function codeToBits(code: bigint, f: FixedFormat): bigint {
  checkCode(code, f);
  return BigInt.asUintN(f.width, code);
}

/** The code whose raw W-bit pattern is bits (sign-extended from bit W-1 when signed). */
export function bitsToCode(bits: bigint, f: FixedFormat): bigint {
  if (bits < 0n || bits >> BigInt(f.width) !== 0n) {
    throw new UserError(`bit pattern ${bits} does not fit in ${f.width} bits: accepted 0..2^${f.width}-1`);
  }
  return f.signed ? BigInt.asIntN(f.width, bits) : bits;
}

/** The raw pattern as W binary digits, MSB first. */
export function bitsToBinary(bits: bigint, width: number): string {
  return bits.toString(2).padStart(width, '0');
}

/** The raw pattern as '0x' and ceil(W/4) hex digits. */
export function bitsToHex(bits: bigint, width: number): string {
  return '0x' + bits.toString(16).padStart(Math.ceil(width / 4), '0');
}
