// The affine scheme (int8/uint8 scale and zero point) of the integer
// simulator: export, engine, float reference, scheme comparison.
import './register.js';

export {
  AFFINE_RANGE, FUSED_ACTIVATIONS, tensorParams as affineTensorParams, affineQuant, sameAffine, dequantizeCodes as affineDequantize,
  type AffineType, type Affine8, type AffineParams, type FloatRescale, type AddConstant, type AffineExtras,
  type AffineLayer, type FusedActivation,
} from './types.js';
export { checkAffineLayer } from './validate.js';
export { activationQuant, weightQuant, biasCodes } from './params.js';
export { quantizeAffine, type AffineQuantizeOptions } from './export.js';
export { runAffine, runAffineCodes, type AffineRunOptions, type AffineRunResult } from './engine/run.js';
export {
  runAffineReference, type AffineReferenceOptions, type AffineReferenceResult,
} from './reference/run.js';
export type { Arithmetic as AffineArithmetic } from './reference/types.js';
export {
  compareAffineSchemes, type AffineDifferenceReport, type SchemeDiff, type TensorDiff,
} from './compare.js';
export {
  activationTable as affineActivationTable, activationCircuit as affineActivationCircuit, circuitIdentity as affineCircuitIdentity,
  type ActivationTable as AffineActivationTable,
} from './table.js';
