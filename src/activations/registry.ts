import { UserError } from '../errors.js';
import { clampCore } from './clamp.js';
import { defineActivation, type ActivationCore } from './common.js';
import {
  ACTIVATION_KINDS,
  activationToString,
  isElementwiseSpec,
  normalizeActivation,
  parseActivation,
  type ActivationKind,
  type ActivationSpec,
} from './float.js';
import { BOOLEAN_KINDS } from './elementwise.js';
import { sameRangeOutput, symmetricUnitOutput, unitOutput } from './formats.js';
import { hardsigmoidCore } from './hard.js';
import { leakyCore } from './leaky.js';
import { reluCore } from './relu.js';
import { tableCore } from './table.js';
import type { ActivationDef } from './types.js';

/** Every activation name the registry accepts (parameters follow a colon: 'leakyrelu:0.01', 'clamp:-1:1'). */
export const ACTIVATION_NAMES: readonly ActivationKind[] = ACTIVATION_KINDS;

function coreFor(spec: ActivationSpec): ActivationCore {
  if (isElementwiseSpec(spec)) return tableCore(spec, BOOLEAN_KINDS.has(spec.kind) ? unitOutput : sameRangeOutput);
  switch (spec.kind) {
    case 'helu':
    case 'relu':
      return reluCore;
    case 'leakyrelu':
      return leakyCore(spec);
    case 'relu6':
    case 'clamp':
      return clampCore(spec);
    case 'hardsigmoid':
      return hardsigmoidCore;
    case 'sigmoid':
      return tableCore(spec, unitOutput);
    case 'tanh':
      return tableCore(spec, symmetricUnitOutput);
    case 'hardswish':
    case 'gelu':
    case 'silu':
    case 'elu':
      return tableCore(spec, sameRangeOutput);
  }
  throw new UserError(`unknown activation '${String((spec as { kind: unknown }).kind)}'; accepted: ${ACTIVATION_NAMES.join(', ')}`);
}

const defs = new Map<string, ActivationDef>();

/**
 * The activation for a spec or its text ('helu', 'leakyrelu:0.01'); UserError
 * for an unknown name. Definitions are cached, so their format-pair caches
 * (precomputed models, tables) are shared by all callers.
 */
export function getActivation(spec: ActivationSpec | string): ActivationDef {
  const s = typeof spec === 'string' ? parseActivation(spec) : spec;
  const key = activationToString(s);
  let def = defs.get(key);
  if (!def) {
    def = defineActivation(s, coreFor(s));
    defs.set(key, def);
  }
  return def;
}

/** One definition per kind with default parameters, in registry order (what `activation all` shows). */
export function allActivations(): ActivationDef[] {
  return ACTIVATION_NAMES.map((kind) => getActivation(normalizeActivation({ kind })));
}
