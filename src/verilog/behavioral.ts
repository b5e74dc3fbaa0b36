import { tableIndexShift, type ActivationDef } from '../activations/index.js';
import { UserError } from '../errors.js';
import { codeToBits, formatToString } from '../fixedpoint/index.js';
import type { FixedFormat } from '../fixedpoint/types.js';
import { hardsigmoidRtl } from './behavioral-hard.js';
import { clampRtl, leakyRtl, reluRtl } from './behavioral-logic.js';
import { behavioralModule, romModule, signMuxExpression, type ModuleFrame, type RomStyle } from './module.js';
import type { RtlBody } from './rtl-convert.js';
import { rtlModule } from './rtl.js';

/**
 * How a behavioral module computes y:
 * 'sign-mux'      `assign y = x[W-1] ? 0 : x;` (HeLU/ReLU, output format = input format)
 * 'pass-through'  `assign y = x;` (HeLU/ReLU of an unsigned input, same format)
 * 'rtl'           readable RTL written from the fixed-point definition (conversion, comparisons, products, division)
 * 'rom-readmemh'  a ROM loaded by `$readmemh("<module>.mem")` (table activations)
 * 'rom-case'      a ROM written as a case statement (table activations with rom 'case'; any other
 *                 logic activation without an RTL writer, as a table of its functional model, W <= 12)
 */
export type BehavioralForm = 'sign-mux' | 'pass-through' | 'rtl' | 'rom-readmemh' | 'rom-case';

export interface BehavioralModule {
  readonly text: string;
  readonly form: BehavioralForm;
}

/** Widest input written as a case-statement table of a logic activation's functional model. */
export const CASE_FALLBACK_MAX_BITS = 12;
/** Widest input whose table may be written as a case statement (2^16 case items). */
export const CASE_ROM_MAX_BITS = 16;

/** Same signedness, width and LSB: the conversion is the identity in every rounding and overflow mode. */
function sameGrid(a: FixedFormat, b: FixedFormat): boolean {
  return a.signed === b.signed && a.width === b.width && a.intBits === b.intBits;
}

function rtlBody(def: ActivationDef, inFmt: FixedFormat, outFmt: FixedFormat): RtlBody | undefined {
  switch (def.spec.kind) {
    case 'helu':
    case 'relu':
      return reluRtl(inFmt, outFmt);
    case 'leakyrelu':
      return leakyRtl(def.spec, inFmt, outFmt);
    case 'relu6':
    case 'clamp':
      return clampRtl(def.spec, inFmt, outFmt);
    case 'hardsigmoid':
      return hardsigmoidRtl(inFmt, outFmt);
    default:
      return undefined;
  }
}

/**
 * The ROM of a table activation: entry i is the output for table index i,
 * the top min(W, 16) input bits (all of x when W <= 16). Wider inputs index
 * with x[W-1:W-16] and ignore the low bits, as the functional model does.
 */
function romBody(frame: ModuleFrame, table: readonly bigint[], shift: number, style: RomStyle): BehavioralModule {
  if (shift === 0) return { text: romModule({ ...frame, table, style }), form: style === 'case' ? 'rom-case' : 'rom-readmemh' };
  if (style === 'case')
    throw new UserError(`--rom case: tables of inputs up to ${CASE_ROM_MAX_BITS} bits, got ${frame.inWidth}; use --rom readmemh`);
  const items = [`  reg [${frame.outWidth - 1}:0] rom [0:${table.length - 1}];`, `  initial $readmemh("${frame.name}.mem", rom);`];
  const index = `x[${frame.inWidth - 1}:${shift}]`;
  return { text: rtlModule({ ...frame, unusedInputBits: true }, items, `rom[${index}]`), form: 'rom-readmemh' };
}

/** The functional model of a logic activation as a case-statement ROM (raw input pattern -> raw output pattern). */
function caseFallback(def: ActivationDef, frame: ModuleFrame, inFmt: FixedFormat, outFmt: FixedFormat): BehavioralModule {
  if (inFmt.width > CASE_FALLBACK_MAX_BITS) {
    throw new UserError(
      `${def.name}: behavioral Verilog for inputs up to ${CASE_FALLBACK_MAX_BITS} bits, got ${formatToString(inFmt)}; use --style structural`,
    );
  }
  const f = def.functional(inFmt, outFmt);
  const table = Array.from({ length: 2 ** inFmt.width }, (_, raw) => {
    const code = inFmt.signed && raw >= 2 ** (inFmt.width - 1) ? raw - 2 ** inFmt.width : raw;
    return codeToBits(BigInt(f(code)), outFmt);
  });
  const comment = [...(frame.comment ?? []), 'written as a table of the fixed-point functional model'];
  return { text: romModule({ ...frame, comment, table, style: 'case' }), form: 'rom-case' };
}

/**
 * Behavioral Verilog of an activation unit: the sign-bit mux for HeLU/ReLU
 * when the output format equals the input format, readable RTL for the other
 * logic activations, a ROM for table activations (`rom`: $readmemh of
 * `<name>.mem`, the default, or a case statement). `frame` gives the name,
 * widths, pipeline ranks and header comment.
 */
export function behavioralVerilog(
  def: ActivationDef,
  inFmt: FixedFormat,
  outFmt: FixedFormat,
  frame: ModuleFrame,
  rom: RomStyle = 'readmemh',
): BehavioralModule {
  if (def.family === 'table' && def.table) {
    return romBody(frame, def.table(inFmt, outFmt), tableIndexShift(inFmt), rom);
  }
  if ((def.spec.kind === 'helu' || def.spec.kind === 'relu') && sameGrid(inFmt, outFmt)) {
    const expression = inFmt.signed ? signMuxExpression(inFmt.width) : 'x';
    return { text: behavioralModule({ ...frame, expression }), form: inFmt.signed ? 'sign-mux' : 'pass-through' };
  }
  const body = rtlBody(def, inFmt, outFmt);
  if (!body) return caseFallback(def, frame, inFmt, outFmt);
  const comment = [...(frame.comment ?? []), ...body.comment];
  return { text: rtlModule({ ...frame, comment, unusedInputBits: body.constant }, body.items, body.result), form: 'rtl' };
}
