export * from './types.js';
export {
  parseFormat,
  formatToString,
  validateFormat,
  fracBits,
  minCode,
  maxCode,
  withModes,
  sameFormat,
  MAX_PARSED_WIDTH,
  MAX_ABS_INT_BITS,
} from './format.js';
export { roundsUp, shiftRightRound, divRound, roundDouble } from './rounding.js';
export { applyOverflow, overflows, lowestKept, type FixedResult } from './overflow.js';
export {
  quantize,
  quantizeRational,
  toReal,
  quantizationError,
  quantizationErrorRational,
  compareDoubleToCode,
  realRange,
} from './quantize.js';
export { convert, checkCode } from './convert.js';
export { codeToBits, bitsToCode, bitsToBinary, bitsToHex } from './bits.js';
export { decomposeDouble, bigToDouble, rationalToDouble, bitLength, nextUp, nextDown } from './double.js';
export {
  quantizeNumber,
  convertNumber,
  shiftRightRoundNumber,
  applyOverflowNumber,
  overflowsNumber,
  wrapNumber,
  MAX_NUMBER_WIDTH,
} from './number.js';
export { addFormat, subFormat, mulFormat, sumFormat, addFixed, subFixed, mulFixed, dotFixed, type FixedValue } from './arith.js';
export { parseDecimal } from './decimal.js';
export { describeValues, type FixedCalcReport, type FixedValueReport } from './describe.js';
export { quantizeArray, toRealArray, type CodeArray } from './batch.js';
export { quantizeMultiplier, type QuantizedMultiplier } from './multiplier.js';
export { saturatingRoundingDoublingHighMul, roundingDivideByPOT, multiplyByQuantizedMultiplier } from './gemmlowp.js';
export {
  requantize,
  makeRequantizer,
  realMultiplier,
  outputRange,
  parseRequantScheme,
  REQUANT_SCHEMES,
  type RequantScheme,
  type RequantParams,
  type TfliteKernel,
  TFLITE_KERNELS,
} from './requant.js';
export { requantizeArray } from './requant-batch.js';
export { quantizeLinear, quantizeLinearArray, dequantizeLinear } from './onnx.js';
export { maddubsPair, dotPairSaturated, pairSaturationPossible } from './pair-saturation.js';
export { lrintf, pytorchChannel, pytorchRequantize, averageHalfEven, type PytorchChannel } from './pytorch.js';
