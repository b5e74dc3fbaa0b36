/**
 * helu-sim/fixedpoint: fixed<W,I,Q,O> formats, their 7 rounding and 4
 * overflow modes, exact quantization and conversion, fixed-point arithmetic,
 * and the integer requantization schemes (docs/fixed-point.md,
 * docs/requantization.md). Imports none of helu-sim's heavier rooms.
 */
export { ROUNDINGS, OVERFLOWS, type Rounding, type Overflow, type FixedFormat } from '../fixedpoint/types.js';
export { parseFormat, formatToString, validateFormat, fracBits, minCode, maxCode, withModes, sameFormat } from '../fixedpoint/format.js';
export { shiftRightRound, divRound, roundDouble } from '../fixedpoint/rounding.js';
export { applyOverflow, overflows, type FixedResult } from '../fixedpoint/overflow.js';
export { quantize, quantizeRational, toReal, quantizationError, realRange } from '../fixedpoint/quantize.js';
export { convert, checkCode } from '../fixedpoint/convert.js';
export { codeToBits, bitsToCode, bitsToBinary, bitsToHex } from '../fixedpoint/bits.js';
export { quantizeNumber, convertNumber, MAX_NUMBER_WIDTH } from '../fixedpoint/number.js';
export { quantizeArray, toRealArray, type CodeArray } from '../fixedpoint/batch.js';
export {
  addFormat,
  subFormat,
  mulFormat,
  sumFormat,
  addFixed,
  subFixed,
  mulFixed,
  dotFixed,
  type FixedValue,
} from '../fixedpoint/arith.js';
export { parseDecimal } from '../fixedpoint/decimal.js';
export { describeValues, type FixedCalcReport, type FixedValueReport } from '../fixedpoint/describe.js';
export { quantizeMultiplier, type QuantizedMultiplier } from '../fixedpoint/multiplier.js';
export { saturatingRoundingDoublingHighMul, roundingDivideByPOT, multiplyByQuantizedMultiplier } from '../fixedpoint/gemmlowp.js';
export {
  requantize,
  makeRequantizer,
  realMultiplier,
  outputRange,
  parseRequantScheme,
  REQUANT_SCHEMES,
  TFLITE_KERNELS,
  type RequantScheme,
  type RequantParams,
  type TfliteKernel,
} from '../fixedpoint/requant.js';
export { requantizeArray } from '../fixedpoint/requant-batch.js';
export { quantizeLinear, quantizeLinearArray, dequantizeLinear } from '../fixedpoint/onnx.js';
