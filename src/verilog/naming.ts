import type { FixedFormat } from '../fixedpoint/types.js';
import { UserError } from '../errors.js';
import { checkModuleName } from './identifier.js';

/**
 * The identifier form of an activation's name: '.' becomes 'p', a '-' before a
 * digit becomes 'm', every other character outside [A-Za-z0-9_] becomes '_'
 * (runs collapsed, none at either end). 'leakyrelu:0.01' -> 'leakyrelu_0p01',
 * 'clamp:-1:1' -> 'clamp_m1_1'. A leading digit gets the prefix 'a'.
 */
export function activationIdentifier(activation: string): string {
  const s = activation
    .replace(/\./g, 'p')
    .replace(/-(?=[0-9])/g, 'm')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  if (s === '') throw new UserError(`activation name '${activation}' gives no usable module name; name it with --module`);
  return /^[0-9]/.test(s) ? `a${s}` : s;
}

/** 'i4' for I = 4, 'im2' for I = -2. */
function intBitsTag(intBits: number): string {
  return intBits < 0 ? `im${-intBits}` : `i${intBits}`;
}

/**
 * Default module name `<activation>_w<W>i<I>` (helu on fixed<8,4> -> helu_w8i4;
 * a negative I is written 'm' plus its magnitude: fixed<8,-2> -> helu_w8im2).
 * An unsigned input format adds 'u' before 'w' (ufixed<8,4> -> helu_uw8i4) so
 * the signed and unsigned units of the same W and I never share a name.
 * Rounding and overflow modes do not appear: the input format's modes do not
 * change the unit. Throws UserError if the result is not a legal module name.
 */
export function moduleName(activation: string, inFmt: FixedFormat): string {
  const prefix = inFmt.signed ? 'w' : 'uw';
  return checkModuleName(`${activationIdentifier(activation)}_${prefix}${inFmt.width}${intBitsTag(inFmt.intBits)}`);
}
