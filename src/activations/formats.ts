import { parseFormat, withModes } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';

/**
 * Output formats of activations round to nearest, ties to even (RND_CONV), and
 * saturate (SAT), unless the user writes the modes explicitly. This is the rule
 * for every activation, logic or table, so one format means one thing.
 */
export const DEFAULT_OUTPUT_ROUNDING = 'RND_CONV' as const;
export const DEFAULT_OUTPUT_OVERFLOW = 'SAT' as const;

/** The input format with the default output modes (activations whose range the input format already covers). */
export function sameRangeOutput(inFmt: FixedFormat): FixedFormat {
  return withModes(inFmt, DEFAULT_OUTPUT_ROUNDING, DEFAULT_OUTPUT_OVERFLOW);
}

/** ufixed<W,1,RND_CONV,SAT>: [0, 2 - 2^-(W-1)], for outputs in [0, 1] (sigmoid, hardsigmoid); 1.0 is exact. */
export function unitOutput(inFmt: FixedFormat): FixedFormat {
  return { signed: false, width: inFmt.width, intBits: 1, rounding: DEFAULT_OUTPUT_ROUNDING, overflow: DEFAULT_OUTPUT_OVERFLOW };
}

/**
 * fixed<W,1,RND_CONV,SAT>: [-1, 1 - 2^-(W-1)], for outputs in [-1, 1] (tanh);
 * +1.0 saturates to the largest code, one LSB below 1.
 */
export function symmetricUnitOutput(inFmt: FixedFormat): FixedFormat {
  return { signed: true, width: inFmt.width, intBits: 1, rounding: DEFAULT_OUTPUT_ROUNDING, overflow: DEFAULT_OUTPUT_OVERFLOW };
}

/** True when a format text names its rounding and overflow modes ('fixed<8,4,RND,SAT>'). */
export function hasExplicitModes(text: string): boolean {
  const inner = /<([^>]*)>/.exec(text);
  return inner !== null && inner[1].split(',').length > 2;
}

/**
 * Parses an activation output format: like parseFormat, except that a text
 * without explicit modes ('fixed<8,4>', 'int8') gets RND_CONV and SAT instead
 * of the ap_fixed defaults TRN and WRAP.
 */
export function parseOutputFormat(text: string): FixedFormat {
  const f = parseFormat(text);
  return hasExplicitModes(text) ? f : withModes(f, DEFAULT_OUTPUT_ROUNDING, DEFAULT_OUTPUT_OVERFLOW);
}
